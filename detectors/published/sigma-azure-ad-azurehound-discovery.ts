/**
 * builtin:sigma-azure-ad-azurehound-discovery — Sigma rule "Discovery Using AzureHound",
 * SigmaHQ/sigma rules/cloud/azure/signin_logs/azure_ad_azurehound_discovery.yml
 * (id 35b781cc-1a08-4a5a-80af-42fd7c315c6b, status test, level high, author Janantha Marasinghe).
 * Detection Rule License 1.1: this port is attributed to that rule and its author.
 *
 * Logic: Entra sign-in logs where `userAgent|contains: 'azurehound'` (Sigma string matching is
 * case-insensitive) and `ResultType: 0` (a successful sign-in). `ResultType` is the top-level
 * `resultType` of the diagnostic-settings record (`ResultType` in Log Analytics), else
 * `properties.status.errorCode`. Sigma has no schedule: every matching record alerts as it arrives.
 */
import type { DetectorFactory } from '../../src/core/detector.js';
import { alert, COMMON_OPTIONS, commonOptions, compare, iso } from './engine.js';
import { readSignIn } from './fields.js';

export const ID = 'sigma-azure-ad-azurehound-discovery';

const create: DetectorFactory = (options) => {
  commonOptions(options);
  const seen = new Set<string>();
  return {
    name: ID,
    start() {},
    ingest(batch, ctx) {
      const hits = [];
      for (const d of batch) {
        if (d.source !== 'signIns') continue;
        const s = readSignIn(d.record);
        if (!s || s.userAgent === undefined || !s.userAgent.toLowerCase().includes('azurehound')) continue;
        if (s.resultType !== '0') continue;
        if (s.id !== undefined) {
          if (seen.has(s.id)) continue;
          seen.add(s.id);
        }
        hits.push(s);
      }
      hits.sort((a, b) => a.time - b.time || compare(a.id ?? '', b.id ?? ''));
      for (const s of hits) {
        ctx.emit(
          alert({
            rule: ID,
            principal: s.userId ?? s.userPrincipalName,
            sessionId: s.sessionId,
            ip: s.ipAddress,
            evidence: s.id === undefined ? undefined : [s.id],
            time: iso(ctx.now()),
            severity: 'high',
            technique: 'T1087.004',
            details: {
              userAgent: s.userAgent,
              userPrincipalName: s.userPrincipalName,
              appId: s.appId,
              publishedRuleId: '35b781cc-1a08-4a5a-80af-42fd7c315c6b',
              publishedTechniques: ['T1087.004', 'T1526'],
            },
          }),
        );
      }
    },
    stop() {},
  };
};

export const sigmaAzureAdAzurehoundDiscovery = {
  info: {
    id: ID,
    summary: 'Sigma: a successful Entra sign-in (ResultType 0) whose user agent contains "azurehound"',
    options: COMMON_OPTIONS,
  },
  create,
};

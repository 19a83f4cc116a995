/** Incidents, not alerts: true positives group by campaign, false positives by (rule, principal, day). */
import type { AlertOutcome, Incident } from './types.js';

/** Group alerts into incidents: tp and weak by campaign, fp by (rule, principal, day). */
export function buildIncidents(alerts: readonly AlertOutcome[]): Incident[] {
  const map = new Map<string, Incident>();
  const add = (kind: Incident['kind'], key: string, a: AlertOutcome, fields: Partial<Incident>) => {
    const full = `${a.scenario}\u0000${a.seed}\u0000${kind}\u0000${key}`;
    const prev = map.get(full);
    if (prev) {
      prev.alerts++;
      if (!prev.rules.includes(a.rule)) prev.rules = [...prev.rules, a.rule].sort();
      if (a.arrivedAt < prev.firstArrival) prev.firstArrival = a.arrivedAt;
      return;
    }
    map.set(full, {
      scenario: a.scenario,
      seed: a.seed,
      kind,
      key,
      campaign: null,
      rules: [a.rule],
      principal: null,
      day: null,
      profile: null,
      alerts: 1,
      firstArrival: a.arrivedAt,
      ...fields,
    });
  };
  for (const a of alerts) {
    if (a.verdict === 'tp') for (const c of a.campaigns) add('tp', c, a, { campaign: c });
    else if (a.verdict === 'weak') for (const c of a.weakCampaigns) add('weak', c, a, { campaign: c });
    else if (a.verdict === 'fp') {
      add('fp', `${a.rule}|${a.subject}|${a.day}`, a, { principal: a.subject, day: a.day, profile: a.profile });
    }
  }
  return [...map.values()].sort(
    (x, y) => cmp(x.scenario, y.scenario) || x.seed - y.seed || cmp(x.kind, y.kind) || cmp(x.key, y.key),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The v1 scenario schema (CONTRACTS.md §2), strict: unknown keys are errors. It checks structure,
 * types and formats; meaning (known techniques, option values, roles, windows, thresholds) is
 * checked in normalise.ts against the injected catalogue. `scenarios/scenario.schema.json` is
 * generated from this schema (plus the catalogue) by harness/scripts/gen-schema.ts.
 *
 * Format errors carry a token ("FORMAT:duration") that the loader turns into a message with the
 * value and a hint from the real parser, so the schema and the parser never disagree.
 */

import { z } from 'zod';
import { COUNTRY_CODES } from '../core/countries.js';
import { ROLE_NAMES } from '../core/directory-roles.js';
import { COLLECTION_PRESETS, HYPOTHESES, SOURCE_IDS } from '../core/sources.js';

export const DURATION_PATTERN = '^(0|([0-9]+(\\.[0-9]+)?(ms|s|min|m|h|d|w))+)$';
export const RATE_PATTERN =
  '^[0-9]+(\\.[0-9]+)?\\s*/\\s*([0-9]+(\\.[0-9]+)?)?\\s*(ms|s|sec|min|m|hour|h|day|d|week|w)$';
export const TIME_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$';
/** an absolute time, or an offset from time.start such as "+1d14h20m" */
export const AT_PATTERN = `(${TIME_PATTERN})|(^\\+(([0-9]+(\\.[0-9]+)?(ms|s|min|m|h|d|w))+)$)`;

const duration = () =>
  z
    .string({ error: 'FORMAT:duration' })
    .regex(new RegExp(DURATION_PATTERN), { error: 'FORMAT:duration' })
    .describe('a duration: 90s, 30m, 2h, 7d, 1h30m');
const rate = () =>
  z
    .string({ error: 'FORMAT:rate' })
    .regex(new RegExp(RATE_PATTERN), { error: 'FORMAT:rate' })
    .describe('a rate: 4/h, 1/min, 30/d, 1/5min');
const time = () =>
  z
    .string({ error: 'FORMAT:time' })
    .regex(new RegExp(TIME_PATTERN), { error: 'FORMAT:time' })
    .describe('an ISO 8601 time with a zone, e.g. 2026-11-02T00:00:00Z');

const selector = z
  .union([z.string().min(1), z.number().int().min(1)], {
    error: 'FORMAT:selector',
  })
  .describe('who: "role:<Role Name>", "random-user", "random-admin", "all", a UPN, or a number of random users');

const optionsMap = z
  .record(z.string(), z.unknown())
  .describe('technique/profile options; each module documents its own (`enumbench list techniques`)');

const latency = z.strictObject({
  median: duration().optional(),
  p95: duration().optional(),
  max: duration().optional(),
});

const sourceDelivery = z.strictObject({
  latency: latency.optional().describe('ingestion delay distribution: event time to availability'),
  blob: z
    .strictObject({
      maxRecords: z.number().int().min(1).max(100_000).optional(),
      maxSpan: duration().optional(),
    })
    .optional()
    .describe('how records are cut into blobs (Management Activity API content)'),
  duplicates: z.number().min(0).max(0.5).optional().describe('share of records delivered twice (0..0.5)'),
});

const deliveryShape = Object.fromEntries(SOURCE_IDS.map((s) => [s, sourceDelivery.optional()])) as Record<
  (typeof SOURCE_IDS)[number],
  z.ZodOptional<typeof sourceDelivery>
>;

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export const ScenarioInput = z
  .strictObject({
    version: z.literal(1, { error: 'FORMAT:version' }).optional().describe('scenario format version (1)'),
    name: z
      .string({ error: 'FORMAT:name' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: 'FORMAT:name' })
      .describe('a short id: letters, digits, ".", "_" and "-"'),
    description: z.string().optional().describe('a paragraph a purple team can brief from'),
    seed: z.number().int().min(0).max(2_147_483_647).optional().describe('the seed (default 1); --seed overrides'),
    repeat: z.number().int().min(1).max(1000).optional().describe('replay with N derived seeds (same as --seeds N)'),
    tenant: z
      .strictObject({
        domain: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, { error: 'FORMAT:domain' })
          .optional()
          .describe('the tenant domain (default contoso.onmicrosoft.com)'),
        users: z.number().int().min(5).max(500_000).optional().describe('number of users (default 500)'),
        groups: z.number().int().min(0).max(500_000).optional(),
        devices: z.number().int().min(0).max(1_000_000).optional(),
        servicePrincipals: z.number().int().min(0).max(100_000).optional(),
        roles: z
          .record(z.string(), z.number().int().min(0).max(10_000))
          .optional()
          .describe(
            `directory role holders by role name, e.g. {Global Administrator: 3}; roles: ${ROLE_NAMES.join(', ')}`,
          ),
        countries: z
          .array(z.string().regex(/^[A-Z]{2}$/, { error: 'FORMAT:country' }))
          .min(1)
          .optional()
          .describe(
            `ISO 3166 country codes the workforce signs in from; the first sets the default time zone. Modelled: ${COUNTRY_CODES.join(', ')}`,
          ),
        timezone: z.string().optional().describe('IANA time zone for business hours, e.g. America/New_York'),
        businessHours: z
          .strictObject({
            start: z.number().int().min(0).max(23).optional(),
            end: z.number().int().min(1).max(24).optional(),
            days: z.array(z.enum(DAY_NAMES)).min(1).optional(),
          })
          .optional(),
      })
      .optional(),
    time: z
      .strictObject({
        start: time().optional().describe('start of the scored window (default 2026-11-02T00:00:00Z, a Monday)'),
        duration: duration().optional().describe('length of the scored window (default 1d)'),
        history: duration().optional().describe('backfill before start: delivered, never scored (default 0)'),
      })
      .optional(),
    telemetry: z
      .strictObject({
        collection: z
          .enum(COLLECTION_PRESETS.map((p) => p.id) as [string, ...string[]], { error: 'FORMAT:collection' })
          .optional()
          .describe(`what this tenant collects: ${COLLECTION_PRESETS.map((p) => p.id).join(', ')}`),
        sources: z
          .array(z.enum(SOURCE_IDS, { error: 'FORMAT:source' }))
          .min(1)
          .optional()
          .describe('explicit list of collected sources, instead of a collection preset'),
        hypotheses: z
          .array(z.enum(HYPOTHESES.map((h) => h.id) as [string, ...string[]], { error: 'FORMAT:hypothesis' }))
          .optional()
          .describe('telemetry the analytic assumes but Microsoft does not emit'),
      })
      .optional(),
    delivery: z.strictObject(deliveryShape).optional(),
    activity: z
      .array(
        z.strictObject({
          profile: z.string({ error: 'FORMAT:profile' }).min(1).describe('a benign profile id'),
          id: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
            .optional(),
          actors: selector.optional(),
          schedule: z
            .strictObject({
              every: duration().optional(),
              jitter: duration().optional(),
              cron: z.string().optional().describe('five-field cron in the tenant time zone, e.g. "0 9 * * 1"'),
            })
            .optional(),
          rate: z
            .union(
              [
                rate(),
                z.strictObject({
                  perMinute: z.number().positive().optional(),
                  perHour: z.number().positive().optional(),
                  perDay: z.number().positive().optional(),
                  hours: z.enum(['business', 'all', 'night', 'weekdays']).optional(),
                }),
              ],
              { error: 'FORMAT:rateEntry' },
            )
            .optional(),
          app: z.string().min(1).optional().describe('the application this actor uses (name or app id)'),
          options: optionsMap.optional(),
        }),
      )
      .optional(),
    attacks: z
      .array(
        z.strictObject({
          id: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'FORMAT:id' })
            .optional(),
          technique: z.string({ error: 'FORMAT:technique' }).min(1).describe('an attack technique id'),
          actor: z
            .union(
              [
                selector,
                z.strictObject({
                  account: selector.optional(),
                  servicePrincipal: z.string().optional(),
                }),
              ],
              { error: 'FORMAT:actor' },
            )
            .optional(),
          session: z
            .strictObject({
              network: z
                .enum(['corporate', 'home', 'mobile', 'vps', 'residential-proxy', 'tor', 'vendor-cloud', 'microsoft'])
                .optional(),
              country: z
                .string()
                .regex(/^[A-Z]{2}$/, { error: 'FORMAT:country' })
                .optional(),
              signIn: z
                .enum(['password', 'mfa', 'deviceCode', 'refreshToken', 'clientSecret', 'certificate', 'stolenToken'])
                .optional(),
              userAgent: z.string().optional(),
            })
            .optional(),
          at: z
            .string({ error: 'FORMAT:at' })
            .regex(new RegExp(AT_PATTERN), { error: 'FORMAT:at' })
            .optional()
            .describe('when the campaign starts: an ISO time, or an offset from time.start such as "+1d14h"'),
          options: optionsMap.optional(),
        }),
      )
      .optional(),
    expect: z
      .record(z.string(), z.union([z.string(), z.array(z.string()).min(1)], { error: 'FORMAT:condition' }))
      .optional()
      .describe('thresholds (the CI gate), e.g. recall: ">= 0.95", latency.p95: "<= 2h"'),
  })
  .describe('An enumbench scenario (format version 1)');

export type ScenarioInput = z.input<typeof ScenarioInput>;
export type ScenarioParsed = z.output<typeof ScenarioInput>;

/**
 * The request-URI normaliser shared by Fabian Bader's (Cloudbrothers) Microsoft Graph
 * reconnaissance rules: f-bader/AzSentinelQueries AnalyticsRules/AzureHoundReconnaissanceDetected.yaml
 * (and its Purple Knight and GraphRunner siblings), described in
 * https://cloudbrothers.info/en/detect-threats-microsoft-graph-logs-part-1/. That repository has no
 * licence: this is an independent implementation of the published logic (eight global
 * `replace_regex` steps, applied in this order), not a copy of it.
 *
 * KQL regexes are RE2; every pattern here behaves the same in JavaScript (no look-around, `$` is
 * end-of-text without the `m` flag, `\b` between a hex digit and `-` always holds).
 */

export interface NormaliseStep {
  /** what the step does, for docs and tests */
  what: string;
  pattern: RegExp;
  replacement: string;
}

export const NORMALISE_STEPS: readonly NormaliseStep[] = [
  {
    what: 'GUIDs → <UUID>',
    pattern: /[0-9a-fA-F]{8}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{12}/g,
    replacement: '<UUID>',
  },
  // before the query string is stripped: `?$top=999` becomes `?$top=<UUID>` (then goes with step 8)
  { what: 'trailing digits → <UUID>', pattern: /\d+$/g, replacement: '<UUID>' },
  // turns `https://` into `https:/`, which is why every signature entry starts `https:/graph…`
  { what: 'runs of slashes → one slash', pattern: /\/+/g, replacement: '/' },
  { what: '/v1.0/ or /beta/ → /version/', pattern: /\/(v1\.0|beta)\//g, replacement: '/version/' },
  { what: 'guest marker %23EXT%23 removed', pattern: /%23EXT%23/g, replacement: '' },
  // a UPN path segment, only when a `/` follows it
  { what: 'UPN path segment → /<UUID>/', pattern: /\/[a-zA-Z0-9+_.-]+@[a-zA-Z0-9.]+\//g, replacement: '/<UUID>/' },
  { what: 'leading /<UUID> removed', pattern: /^\/<UUID>/g, replacement: '' },
  { what: 'query string removed', pattern: /\?.*$/g, replacement: '' },
];

/** Every intermediate value: `[input, after step 1, …, after step 8]`. */
export function normaliseSteps(uri: string): string[] {
  const out = [uri];
  let s = uri;
  for (const step of NORMALISE_STEPS) {
    s = s.replace(step.pattern, step.replacement);
    out.push(s);
  }
  return out;
}

export function normaliseRequestUri(uri: string): string {
  let s = uri;
  for (const step of NORMALISE_STEPS) s = s.replace(step.pattern, step.replacement);
  return s;
}

/** The prefix every signature entry shares, after normalisation. */
export const SIGNATURE_PREFIX = 'https:/graph.microsoft.com/version';

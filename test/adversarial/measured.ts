/**
 * Measured advantage (min(recall, precision); 1 for a silent day without an attack) of each adversarial
 * baseline on each library scenario: printed by `npx tsx test/adversarial/measure-baselines.ts --ts`.
 * A figure ≥ 0.9 marks an expected failure until issue #13 (baselines-suite.ts).
 */
export const MEASURED: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'azurehound-helpdesk': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 1.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.14, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'collection-e5-diagnostics': { 'hosting-prefix': 0.60, 'no-device-id': 0.40, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.20, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.01, 'night-directory-read': 0.00, 'non-browser-ua': 0.01 },
  'collection-e5-endpoint': { 'hosting-prefix': 0.60, 'no-device-id': 0.40, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.20, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.01, 'night-directory-read': 0.00, 'non-browser-ua': 0.01 },
  'collection-ual-only': { 'hosting-prefix': 0.40, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.02, 'night-directory-read': 0.00, 'non-browser-ua': 0.02 },
  'collection-ual-signins': { 'hosting-prefix': 0.40, 'no-device-id': 0.40, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.01, 'night-directory-read': 0.00, 'non-browser-ua': 0.01 },
  'compromised-app': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 1.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'exo-powershell-recon': { 'hosting-prefix': 0.00, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'fidelity-an1089': { 'hosting-prefix': 0.00, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'fidelity-real': { 'hosting-prefix': 0.00, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'fp-exchange-reports-audited': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 1.00, 'app-only-directory-read': 1.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 1.00, 'non-browser-ua': 0.00 },
  'fp-sync-storm': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 1.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 1.00, 'non-browser-ua': 0.00 },
  'fp-trap-no-attack': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 1.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'gal-dump': { 'hosting-prefix': 0.00, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'graphrunner-devicecode': { 'hosting-prefix': 0.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 1.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'hard-low-and-slow': { 'hosting-prefix': 0.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'insider-admin': { 'hosting-prefix': 0.00, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 1.00, 'non-browser-ua': 0.00 },
  'large-tenant': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 1.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'quickstart': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'roadrecon-legacy': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'teamfiltration-exfil': { 'hosting-prefix': 1.00, 'no-device-id': 1.00, 'failed-or-single-factor': 1.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 1.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
  'token-replay': { 'hosting-prefix': 1.00, 'no-device-id': 0.00, 'failed-or-single-factor': 0.00, 'app-only-directory-read': 0.00, 'graph-skiptoken': 0.00, 'first-ip-for-account': 0.00, 'night-directory-read': 0.00, 'non-browser-ua': 0.00 },
};

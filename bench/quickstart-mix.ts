/**
 * The scenario the benchmarks measure: the quickstart mix (the workforce profile and one
 * graph-user-listing campaign from a VPS) at a chosen size. One text for every bench, so their
 * figures are about the same tenant.
 */
export interface MixOptions {
  name: string;
  users: number;
  /** ISO start of the window */
  start: string;
  duration: string;
  /** when the campaign starts, relative to the window ("+14h20m") */
  at: string;
  attackId?: string;
  /** the tenant's countries and role holders (flow-style YAML) */
  tenant?: string;
}

export const MIX_TENANT =
  'countries: [US, GB], roles: {Global Administrator: 3, Exchange Administrator: 2, Helpdesk Administrator: 8}';

export const quickstartMix = (o: MixOptions): string => `
name: ${o.name}
seed: 1089
tenant: {users: ${o.users}, ${o.tenant ?? MIX_TENANT}}
time: {start: ${o.start}, duration: ${o.duration}}
telemetry: {collection: e5-diagnostics}
activity:
  - profile: workforce
attacks:
  - id: ${o.attackId ?? 'listing'}
    technique: graph-user-listing
    actor: {account: random-user}
    session: {network: vps, country: NL, signIn: password}
    at: "${o.at}"
`;

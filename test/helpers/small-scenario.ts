/**
 * The end-to-end tests' small scenario: a 60-user tenant for two hours in which one account pages
 * through the users five at a time from a VPS (about 2,400 records: generated in seconds).
 */
export function smallScenario(expect = ''): string {
  return `name: small
description: A 60-user tenant for two hours; one account pages through the users ten at a time from a VPS.
seed: 7
tenant: {users: 60}
time: {start: 2026-11-02T13:00:00Z, duration: 2h}
activity: [{profile: workforce}]
attacks:
  - technique: graph-user-listing
    session: {network: vps, signIn: password}
    at: "+30m"
    options: {pageSize: 5, pace: 30/min}
${expect}`;
}

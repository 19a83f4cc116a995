/**
 * The rates `npm run bench` measured, in one place: what `validate` turns a scenario's size into
 * time with. Re-measure with the command beside each figure (README "Performance" has the table);
 * on another machine the times scale with its speed.
 */
export const MEASURED_RATES = {
  /** `generate --jobs 1`: records per second, wall clock (bench scenario, 2,000 users × 2 days) */
  generateOneThread: { perSecond: 62_600, command: 'npm run bench -- generate', measured: '2026-11-27' },
  /** `generate --jobs 2` (worker threads): records per second, wall clock, same scenario */
  generateTwoThreads: { perSecond: 81_700, command: 'npm run bench -- generate', measured: '2026-11-27' },
  /** `run DIR` lockstep replay into builtin:volume, scoring included: records per second */
  replayVolume: { perSecond: 28_500, command: 'npm run bench -- run-memory', measured: '2026-11-27' },
} as const;

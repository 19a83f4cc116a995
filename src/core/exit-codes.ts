/**
 * The exit-code table. Only harness/cli picks one; everything below returns data.
 * (CONTRACTS.md §1.)
 */
export const ExitCode = {
  /** every threshold passed (or there were none) */
  Passed: 0,
  /** at least one threshold was crossed */
  ThresholdsCrossed: 1,
  /** the detector crashed, hung past its drain timeout, flooded or broke the protocol */
  DetectorFailed: 2,
  /** a bug in enumbench */
  InternalError: 3,
  /** bad input: a scenario, an option, an alerts file, a dataset */
  InvalidInput: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: 'passed',
  1: 'thresholds crossed',
  2: 'detector failed',
  3: 'internal error',
  4: 'invalid input',
};

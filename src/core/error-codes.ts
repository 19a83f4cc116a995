/**
 * Every error code enumbench reports, declared once: its kind (whose to fix), hence its exit code,
 * and what it means. `EnumbenchError` and `Diagnostic` take only these codes; docs/errors.md is
 * generated from this table (`npm run docs`), and test/core/error-codes.test.ts checks that every
 * code used in the source is declared here and every code declared here is used.
 */
import type { ErrorCode as YamlParserCode } from 'yaml';
import { ExitCode } from './exit-codes.js';

/** user: the input's to fix (exit 4); detector: the detector failed (exit 2); internal: a bug in enumbench (exit 3). */
export type ErrorKind = 'user' | 'detector' | 'internal';

export const EXIT_CODE_OF_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  user: ExitCode.InvalidInput,
  detector: ExitCode.DetectorFailed,
  internal: ExitCode.InternalError,
};

export interface ErrorCodeInfo {
  kind: ErrorKind;
  /** one line: what went wrong */
  meaning: string;
}

const user = (meaning: string): ErrorCodeInfo => ({ kind: 'user', meaning });

const DECLARED = {
  // scenario files: syntax and schema
  E_FILE: user('a scenario path is a directory or cannot be read'),
  E_EMPTY: user('the scenario file is empty'),
  E_YAML: user('the scenario is not valid YAML (a value the YAML parser cannot build)'),
  E_TYPE: user('a scenario, or a value in it, has the wrong type'),
  E_REQUIRED: user('a required scenario key is missing'),
  E_UNKNOWN_KEY: user('the scenario has a key the schema does not know'),
  E_VALUE: user('a scenario value is not one of the allowed values'),
  E_RANGE: user('a scenario number is outside its range'),
  E_FORMAT: user('a scenario value has the wrong format (a duration, time, rate or id)'),
  E_INVALID: user('a scenario value is invalid for another reason the schema states'),
  E_SCENARIO: user('one or more scenarios given to a command have problems (listed one per line)'),
  // scenario files: meaning
  E_TIMEZONE: user('an unknown IANA time zone'),
  E_BUSINESS_HOURS: user('business hours end before they start'),
  E_TIME_WINDOW: user('the scored time window has no length'),
  E_COLLECTION: user('both a collection preset and an explicit source list are given'),
  E_LATENCY: user('delivery latency figures are out of order (median ≤ p95 ≤ max)'),
  E_BLOB: user('a content blob setting is invalid (a span that is not positive)'),
  E_SELECTOR: user('an actor selector cannot be parsed'),
  E_SELECTOR_EMPTY: user('an actor selector matches nobody in the tenant'),
  E_UNKNOWN_ROLE: user('an unknown directory role'),
  E_TENANT_ROLES: user('the tenant has more directory role holders than users'),
  E_TENANT_UNSATISFIABLE: user('the tenant cannot be built as described (roles, sizes)'),
  E_DUPLICATE_ID: user('two activity entries share an id'),
  E_ACTOR_DUPLICATE: user('two actors share an id'),
  E_UNKNOWN_PROFILE: user('an unknown benign profile'),
  E_UNKNOWN_TECHNIQUE: user('an unknown attack technique'),
  E_UNKNOWN_OPTION: user('a technique or profile has no such option'),
  E_OPTION: user('an option is invalid or does not apply: a technique’s or profile’s, or a command line’s'),
  E_ACTOR: user('an attack acts both as an account and as a service principal'),
  E_COUNTRY: user('no network is modelled for the country given'),
  E_ATTACK_WINDOW: user('an attack starts outside the scored window'),
  E_SCHEDULE: user('an activity schedule is invalid (both schedule and rate, or neither)'),
  E_CRON: user('not a five-field cron expression'),
  E_RATE: user('an activity rate cannot be parsed'),
  E_THRESHOLD: user('a threshold (expect: or --threshold) cannot be parsed or names an unknown metric'),
  // command-line options
  E_INPUT: user('an input path does not exist or is neither a scenario nor a dataset'),
  E_OUT: user('the output path cannot be used (a file, or inside a dataset)'),
  E_OUTPUT_HOLDS_KEY: user('the output folder holds an answer key a detector could read'),
  E_SPEED: user('an invalid --speed'),
  E_PORT: user('an invalid --port, or the port is in use'),
  E_PAGE_SIZE: user('an invalid --page-size'),
  E_FAULTS: user('an invalid --faults specification'),
  E_STATE: user('the mock services’ --state-dir holds a state file that cannot be read or is of another version'),
  E_REPORT_FORMAT: user('an unknown report format in --report'),
  E_READ: user('an input file cannot be read'),
  E_TMPDIR: user('the system temporary folder (TMPDIR) cannot be used'),
  // datasets, answer keys, alerts and baselines
  E_DATASET: user('a dataset directory is missing a file, or a file in it is malformed'),
  E_DATASET_TRUNCATED: user('a compressed dataset file ends inside a block (cut short while written or copied)'),
  E_DATASET_MISMATCH: user('the alerts, dataset and answer key are not of the same dataset'),
  E_MERGE: user('generated shards cannot be merged into one dataset'),
  E_LABELS: user('a labels.jsonl line of an answer key is malformed'),
  E_DELIVERY: user('a delivery.jsonl line of a dataset is malformed'),
  E_TRUTH: user('an answer key (truth.json) is missing or malformed'),
  E_MANIFEST_EXPECT: user('a dataset manifest’s expect block was edited, or datasets of one scenario disagree'),
  E_IP_NETWORKS: user('the IP enrichment table is malformed'),
  E_BASELINE: user('the --baseline file is not a summary.json'),
  E_BASELINE_VERSION: user('the --baseline was written by another summary schema or dataset format version'),
  E_BASELINE_MISMATCH: user('the --baseline was made from other scenarios or seeds than this run'),
  E_COMBINE_DUPLICATE: user('a scenario and seed are scored twice'),
  E_COMBINE_OPTIONS: user('scorecards scored with different options cannot be combined'),
  E_COMBINE_VERSION: user('scorecards of different schema or dataset format versions cannot be combined'),
  // detectors: what the user gave
  E_DETECTOR_SPEC: user('a --detector specification is malformed'),
  E_DETECTOR_COMMAND: user('the detector command does not exist or is not executable'),
  E_DETECTOR_MODULE: user('a module: detector cannot be loaded (not found, a syntax error, no detector exported)'),
  E_DETECTOR_OPTIONS: user('the detector does not take the options given'),
  E_KQL_RULE: user('a KQL rule file cannot be used (read, settings, output columns)'),
  E_KQL_SYNTAX: user('a KQL rule has a syntax error'),
  E_KQL_NAME: user('a KQL rule refers to a table, column or function that does not exist'),
  E_KQL_UNSUPPORTED: user('a KQL rule uses an operator or function the bench does not evaluate'),
  E_KQL_SOURCE: user('a KQL rule reads a table no scenario source fills'),
  E_SIGMA: user('Sigma rules are refused (each problem listed)'),
  E_SIGMA_READ: user('Sigma rules cannot be read'),
  E_SIGMA_YAML: user('a Sigma rule is not valid YAML'),
  E_SIGMA_CONDITION: user('a Sigma rule’s condition cannot be parsed'),
  E_SIGMA_LOGSOURCE: user('a Sigma rule’s logsource maps to no source the bench produces'),
  E_SIGMA_UNSUPPORTED: user('a Sigma rule uses a construct the bench does not evaluate'),
  // detectors: what the detector did
  E_DETECTOR_LOAD: { kind: 'detector', meaning: 'building the detector did not finish within --detector-timeout' },
  E_DETECTOR_FAILED: {
    kind: 'detector',
    meaning: 'the detector failed as it loaded or ran: its module or factory threw, its thread exited',
  },
  // our bugs
  E_INTERNAL: { kind: 'internal', meaning: 'a bug in enumbench' },
  E_TICK: { kind: 'internal', meaning: 'a lockstep replay was asked for a tick that is not positive' },
  E_DELIVERY_ORDER: { kind: 'internal', meaning: 'the replay met deliveries out of availability order' },
  E_REPLAY_INVARIANT: {
    kind: 'internal',
    meaning: 'the replay met a dataset inconsistency the checks before it should have refused',
  },
  E_COMBINE_EMPTY: { kind: 'internal', meaning: 'no scorecards were given to combine' },
  // the environment (errno codes met writing or reading files: harness/output-files.ts)
  E_ENOSPC: user('the disk is full'),
  E_EDQUOT: user('the disk quota is used up'),
  E_EACCES: user('permission denied'),
  E_EPERM: user('operation not permitted'),
  E_EROFS: user('the file system is read-only'),
  E_EMFILE: user('too many open files in this process'),
  E_ENFILE: user('too many open files on the system'),
  E_ENOMEM: user('out of memory'),
  E_EISDIR: user('a directory is where a file should be'),
  E_ENOTDIR: user('a file is where a directory should be'),
} as const satisfies Record<`E_${string}`, ErrorCodeInfo>;

/** The YAML parser's own error codes (yaml's `ErrorCode`), each reported as E_YAML_<code>. */
const YAML_PARSER_CODES = {
  ALIAS_PROPS: 'an alias has properties (an anchor or tag)',
  BAD_ALIAS: 'an alias refers to no anchor',
  BAD_COLLECTION_TYPE: 'a tag does not fit its collection',
  BAD_DIRECTIVE: 'a malformed YAML directive',
  BAD_DQ_ESCAPE: 'a bad escape in a double-quoted string',
  BAD_INDENT: 'wrong indentation',
  BAD_PROP_ORDER: 'anchor and tag in the wrong order',
  BAD_SCALAR_START: 'a plain value starts with a reserved character',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection where a key is expected',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection',
  DUPLICATE_KEY: 'a key is given twice in one mapping',
  IMPOSSIBLE: 'a state the YAML parser cannot reach',
  KEY_OVER_1024_CHARS: 'an implicit key longer than 1024 characters',
  MISSING_CHAR: 'a quote, bracket or brace is not closed',
  MULTILINE_IMPLICIT_KEY: 'a key spread over several lines',
  MULTIPLE_ANCHORS: 'a node with two anchors',
  MULTIPLE_DOCS: 'more than one YAML document in the file',
  MULTIPLE_TAGS: 'a node with two tags',
  NON_STRING_KEY: 'a key that is not a string',
  RESOURCE_EXHAUSTION: 'too many alias expansions',
  TAB_AS_INDENT: 'a tab used for indentation',
  TAG_RESOLVE_FAILED: 'a tag cannot be resolved',
  UNEXPECTED_TOKEN: 'an unexpected character',
} as const satisfies Record<YamlParserCode, string>;

export type ErrorCode = keyof typeof DECLARED | `E_YAML_${YamlParserCode}`;

/** The registry: every code, its kind and meaning. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  ...DECLARED,
  ...(Object.fromEntries(
    Object.entries(YAML_PARSER_CODES).map(([code, meaning]) => [`E_YAML_${code}`, user(`YAML syntax: ${meaning}`)]),
  ) as Record<`E_YAML_${YamlParserCode}`, ErrorCodeInfo>),
};

/** The code a YAML parser error is reported with. */
export function yamlErrorCode(code: YamlParserCode): ErrorCode {
  return `E_YAML_${code}`;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** The exit code a command ends with on an error of this code. */
export function exitCodeOf(code: ErrorCode): ExitCode {
  return EXIT_CODE_OF_KIND[ERROR_CODES[code].kind];
}

/**
 * From scorecards to a scenario's verdicts: combine the seeds, evaluate the scenario's `expect:`
 * thresholds (from the scenario file, or from the dataset manifest that carries them), the command
 * line's `--threshold`s, the built-in gates and the baseline's regression gates, and record where
 * each set came from. Shared by `score` and `run`; the CLI maps the report's outcome to an exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Catalog } from '../../src/core/catalog.js';
import { DATASET_FILES, type DatasetManifest } from '../../src/core/dataset.js';
import { EnumbenchError } from '../../src/core/errors.js';
import type { GateSource, ScenarioReport } from '../../src/report/model.js';
import { expectHash, gateCount, parseExpectBlock, type Threshold } from '../../src/scenario/thresholds.js';
import { combineScorecards } from '../../src/scoring/combine.js';
import type { Scorecard } from '../../src/scoring/types.js';
import {
  type BaselineSummary,
  builtinVerdicts,
  evaluateThresholds,
  type RegressionAllowance,
  regressionVerdicts,
} from '../../src/thresholds/index.js';

/** A scenario's `expect:` gates and where they were read. */
export interface ExpectGates {
  thresholds: readonly Threshold[];
  source: GateSource;
}

export interface Baseline {
  summary: BaselineSummary;
  allowances: readonly RegressionAllowance[];
  /** the summary.json it was read from, as given */
  file: string;
}

export interface GateInput {
  name: string;
  /** one scorecard per seed */
  cards: readonly Scorecard[];
  /** the scenario's `expect:` block and where it came from */
  expect?: ExpectGates | null;
  /** `--threshold` flags */
  cli?: readonly Threshold[];
  baseline?: Baseline | null;
  replay: string;
}

export function gateScenario(g: GateInput): ScenarioReport {
  const card = g.cards.length === 1 ? (g.cards[0] as Scorecard) : combineScorecards(g.cards);
  const cli = g.cli ?? [];
  const regression = g.baseline ? regressionVerdicts(card, g.name, g.baseline.summary, g.baseline.allowances) : [];
  const builtin = builtinVerdicts(card);
  const verdicts = [
    ...evaluateThresholds(card, g.expect?.thresholds ?? [], 'expect'),
    ...evaluateThresholds(card, cli, 'cli'),
    ...builtin,
    ...regression,
  ];
  const gates: GateSource[] = [];
  if (g.expect) gates.push(g.expect.source);
  if (cli.length) gates.push({ origin: 'cli', from: '--threshold', count: gateCount(cli) });
  if (g.baseline) gates.push({ origin: 'baseline', from: g.baseline.file, count: regression.length });
  gates.push({ origin: 'builtin', from: 'enumbench', count: builtin.length, note: 'no leaks' });
  return { name: g.name, card, verdicts, gates, replay: g.replay };
}

const short = (sha: string) => sha.slice(0, 12);

/** The gates of a scenario file's `expect:` block (or a note that `--no-expect` dropped them). */
export function scenarioExpect(thresholds: readonly Threshold[], file: string, ignore: boolean): ExpectGates {
  if (ignore) {
    return {
      thresholds: [],
      source: { origin: 'expect', from: file, count: 0, note: `${gateCount(thresholds)} ignored (--no-expect)` },
    };
  }
  return { thresholds, source: { origin: 'expect', from: file, count: gateCount(thresholds) } };
}

/**
 * The gates a dataset carries: its manifest's `expect:` block, checked against its sha256 (a block
 * edited after generation is refused) and parsed with the catalogue. Several datasets of one
 * scenario (seeds) must carry the same block. A manifest from before gates travelled has none: the
 * source says so and gives no gate.
 */
export function manifestExpect(
  dirs: readonly string[],
  o: { catalog: Catalog; cwd: string; ignore: boolean },
): ExpectGates {
  const from = relative(o.cwd, join(dirs[0] as string, DATASET_FILES.manifest)) || DATASET_FILES.manifest;
  if (o.ignore) return { thresholds: [], source: { origin: 'expect', from, count: 0, note: 'ignored (--no-expect)' } };
  const missing = dirs.filter((dir) => !existsSync(join(dir, DATASET_FILES.manifest)));
  if (missing.length) {
    return {
      thresholds: [],
      source: { origin: 'expect', from: missing.join(', '), count: 0, note: `no ${DATASET_FILES.manifest} there` },
    };
  }
  const blocks = dirs.map((dir) => readExpect(join(dir, DATASET_FILES.manifest)));
  const first = blocks[0];
  if (blocks.some((b) => b?.sha !== first?.sha)) {
    throw new EnumbenchError(
      'E_MANIFEST_EXPECT',
      `the datasets of one scenario carry different expect blocks: ${dirs.join(', ')}`,
      {
        hint: 'generate every seed from the same scenario file, or pass --no-expect and give the gates with --threshold',
      },
    );
  }
  if (!first) {
    return {
      thresholds: [],
      source: {
        origin: 'expect',
        from,
        count: 0,
        note: 'the manifest carries no expect block: written before gates travelled with the data',
      },
    };
  }
  const parsed = parseExpectBlock(first.block, { catalog: o.catalog });
  if (!parsed.ok) {
    throw new EnumbenchError('E_MANIFEST_EXPECT', `${from}: ${parsed.problems.join('; ')}`, {
      hint: 'the dataset was written by another enumbench version: regenerate it, or pass --no-expect and --threshold',
    });
  }
  return {
    thresholds: parsed.value,
    source: { origin: 'expect', from, count: gateCount(parsed.value), note: `expect sha256 ${short(first.sha)}` },
  };
}

/** A manifest's expect block, checked against its recorded sha256; undefined when it has none. */
function readExpect(path: string): { block: Record<string, string[]>; sha: string } | undefined {
  let m: Partial<DatasetManifest>;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Partial<DatasetManifest>;
  } catch (e) {
    throw new EnumbenchError(
      'E_DATASET',
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { hint: 'the gates of a dataset travel in its manifest.json: pass a directory written by `enumbench generate`' },
    );
  }
  if (m.expect === undefined) return undefined;
  const sha = expectHash(m.expect);
  if (m.expectSha256 !== sha) {
    throw new EnumbenchError(
      'E_MANIFEST_EXPECT',
      `${path}: its expect block does not match its expectSha256 (${String(m.expectSha256)} recorded, ${sha} computed): the gates were edited after generation`,
      { hint: 'regenerate the dataset from the scenario, or pass --no-expect and give the gates with --threshold' },
    );
  }
  return { block: m.expect, sha };
}

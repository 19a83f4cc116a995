/**
 * `enumbench score --truth F --alerts F`: score alerts produced elsewhere (a SIEM export, a run's
 * alerts.jsonl) against a dataset's truth. `--truth` and `--alerts` may be repeated in pairs (one
 * pair per seed): pairs of the same scenario are combined, with Wilson intervals. Reads files, calls
 * the pure scorer, thresholds and renderers, writes reports, and picks the exit code: 0 passed,
 * 1 a gate crossed, 4 invalid input (malformed alerts, a threshold the scorecard cannot answer,
 * mismatched files).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import type { Catalog } from '../../../src/core/catalog.js';
import { DATASET_FILES } from '../../../src/core/dataset.js';
import { type Diagnostic, EnumbenchError, formatDiagnostic } from '../../../src/core/errors.js';
import { isTimeZone } from '../../../src/core/time-zone.js';
import type { Truth } from '../../../src/core/truth.js';
import {
  commandLine,
  type Report,
  renderConsole,
  renderSummaryJson,
  reportOutcome,
  type ScenarioReport,
} from '../../../src/report/index.js';
import { parseThresholdLine, type Threshold } from '../../../src/scenario/thresholds.js';
import { formatDuration, parseDuration } from '../../../src/scenario/units.js';
import {
  ALERTS_FORMATS,
  type AlertsFormat,
  checkSameDataset,
  DEFAULT_EVIDENCE_CAP,
  DEFAULT_TOLERANCE_MS,
  type ImportOptions,
  importAlerts,
  MAPPED_FIELDS,
  type MappedField,
  parseTimeOffset,
  parseTruthText,
  SCORECARD_SCHEMA_VERSION,
  type Scorecard,
  type ScoringOptions,
  ScoringSubset,
  scoreWithLookups,
} from '../../../src/scoring/index.js';
import {
  assertBaselineFits,
  type BaselineSummary,
  checkBaseline,
  parseMaxRegression,
} from '../../../src/thresholds/index.js';
import { checkAnswerKeyMatches, type ScoringFiles, scoringFilesOf } from '../../dataset/answer-key.js';
import { type GateInput, gateScenario, manifestExpect } from '../../run/gate.js';
import { feedScoringSubset } from '../../run/scoring-files.js';
import { parseReportFormats, removeStaleOutputs, writeReports } from '../../run/write-reports.js';
import { ALLOW_NO_GATES_HELP, type CommandModule, NO_EXPECT_HELP, outcomeExitCode } from '../command.js';

const MAX_LISTED = 20;
const DEFAULT_TOLERANCE = formatDuration(DEFAULT_TOLERANCE_MS);

function cannotRead(path: string, what: string, e: unknown): EnumbenchError {
  return new EnumbenchError(
    'E_READ',
    `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    { hint: `check the path given to --${what}` },
  );
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw cannotRead(path, what, e);
  }
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

interface PairInput {
  truth: string;
  alerts: string;
  labels: string | undefined;
  delivery: string | undefined;
}

interface LoadedTruth {
  path: string;
  truth: Truth;
  /** the key's labels and the dataset directory, as found from --truth */
  files: ScoringFiles;
}

/** `--truth X`: a dataset directory (its answer key found beside it), an answer-key folder, or its truth.json. */
function loadTruth(arg: string, cwd: string): LoadedTruth {
  const files = scoringFilesOf(resolve(cwd, arg));
  const truth = parseTruthText(readText(files.truth, 'truth'), arg);
  if (files.dataset !== null) checkAnswerKeyMatches(files.dataset, truth, files.truth);
  return { path: files.truth, truth, files };
}

/**
 * The catalogue tag values are checked against: the registered techniques and profiles plus those
 * the truth files hold (a dataset made by another enumbench version may hold modules this one lacks).
 */
function catalogWith(catalog: Catalog, truths: readonly Truth[]): Catalog {
  const techniques = new Set(catalog.techniques.map((t) => t.id));
  const profiles = new Set(catalog.profiles.map((p) => p.id));
  const extraTechniques = [...new Set(truths.flatMap((t) => t.campaigns.map((c) => c.technique)))]
    .filter((id) => !techniques.has(id))
    .map((id) => ({ id, name: id, kind: 'technique' as const, attack: [], summary: '', options: {} }));
  const extraProfiles = [...new Set(truths.flatMap((t) => t.benign.map((b) => b.profile)))]
    .filter((id) => !profiles.has(id))
    .map((id) => ({ id, name: id, kind: 'profile' as const, attack: [], summary: '', options: {} }));
  return {
    ...catalog,
    techniques: [...catalog.techniques, ...extraTechniques],
    profiles: [...catalog.profiles, ...extraProfiles],
  };
}

/** Read and score one (truth, alerts) pair; input problems go to `problems`. */
function scorePair(
  pair: PairInput,
  loaded: LoadedTruth,
  cwd: string,
  options: ScoringOptions,
  importOptions: ImportOptions,
  problems: string[],
  note: (s: string) => void,
): Scorecard {
  const { truth, files } = loaded;
  const schedule = files.dataset !== null ? join(files.dataset, DATASET_FILES.delivery) : undefined;
  const labelsPath = pair.labels !== undefined ? resolve(cwd, pair.labels) : (files.labels ?? undefined);
  const deliveryPath =
    pair.delivery !== undefined
      ? resolve(cwd, pair.delivery)
      : schedule !== undefined && existsSync(schedule)
        ? schedule
        : undefined;
  // the truth side is streamed (memory does not grow with the dataset): the alerts first, to know
  // which records they cite; problems are listed in the order of the files, as before
  const lineProblems = { labels: new ListedProblems(), delivery: new ListedProblems() };
  if (labelsPath && pair.labels === undefined) note(`using labels ${labelsPath}`);
  if (deliveryPath && pair.delivery === undefined) note(`using delivery schedule ${deliveryPath}`);
  const alertsFile = importAlerts(readText(resolve(cwd, pair.alerts), 'alerts'), importOptions);
  if (alertsFile.format !== 'enumbench')
    note(`reading ${pair.alerts} as a ${alertsFile.format} export (${alertsFile.container})`);
  const subset = new ScoringSubset(alertsFile.alerts, {
    labels: labelsPath !== undefined,
    delivery: deliveryPath !== undefined,
    scheduleIsLedger: false,
  });
  feedScoringSubset(subset, {
    labels: labelsPath ?? null,
    delivery: deliveryPath ?? null,
    onProblem: (d, file) => lineProblems[file].add(d),
    readError: (e, path, file) => cannotRead(path, file, e),
  });
  lineProblems.labels.report(problems);
  lineProblems.delivery.report(problems);
  for (const m of alertsFile.malformed.slice(0, MAX_LISTED)) {
    problems.push(`${pair.alerts}:${m.line}: malformed alert: ${m.problems.join('; ')}`);
  }
  if (alertsFile.malformed.length > MAX_LISTED) {
    problems.push(`${pair.alerts}: ... and ${alertsFile.malformed.length - MAX_LISTED} more malformed alerts`);
  }
  const known = labelsPath || deliveryPath ? (id: string) => subset.isKnown(id) : null;
  const mismatch = checkSameDataset(truth, alertsFile, known);
  if (mismatch) throw mismatch;
  return scoreWithLookups(
    { truth, alerts: alertsFile.alerts, malformed: alertsFile.malformed.length, options },
    subset.lookups(),
  );
}

/** The first MAX_LISTED problems of a file, and how many more. */
class ListedProblems {
  private readonly listed: Diagnostic[] = [];
  private more = 0;

  add(d: Diagnostic): void {
    if (this.listed.length < MAX_LISTED) this.listed.push(d);
    else this.more++;
  }

  report(problems: string[]): void {
    for (const d of this.listed) problems.push(formatDiagnostic(d));
    if (this.more > 0) problems.push(`... and ${this.more} more`);
  }
}

/** --alerts-format, --timezone, --time-offset and --map, checked before any file is read. */
function parseImportOptions(opts: {
  alertsFormat: AlertsFormat;
  timezone?: string | undefined;
  timeOffset?: string | undefined;
  map: string[];
}): ImportOptions {
  const out: ImportOptions = { format: opts.alertsFormat };
  if (opts.timezone !== undefined) {
    if (!isTimeZone(opts.timezone)) {
      throw new EnumbenchError('E_OPTION', `--timezone: unknown time zone "${opts.timezone}"`, {
        hint: 'use an IANA zone name such as UTC, Europe/London or America/New_York',
      });
    }
    out.timeZone = opts.timezone;
  }
  if (opts.timeOffset !== undefined) {
    const o = parseTimeOffset(opts.timeOffset);
    if (!o.ok) throw new EnumbenchError('E_OPTION', `--time-offset: ${o.message}`, o.hint ? { hint: o.hint } : {});
    out.offsetMs = o.value;
  }
  const map: Partial<Record<MappedField, string>> = {};
  for (const m of opts.map) {
    const i = m.indexOf('=');
    const key = m.slice(0, i).trim();
    const column = m.slice(i + 1).trim();
    if (i < 0 || column === '' || !(MAPPED_FIELDS as readonly string[]).includes(key)) {
      throw new EnumbenchError(
        'E_OPTION',
        `--map "${m}": expected FIELD=COLUMN with FIELD one of ${MAPPED_FIELDS.join(', ')}`,
        {
          hint: 'e.g. --map principal=UserPrincipalName --map evidence=RecordIds',
        },
      );
    }
    map[key as MappedField] = column;
  }
  if (Object.keys(map).length) out.map = map;
  return out;
}

export const scoreCommand: CommandModule = {
  name: 'score',
  register(program, ctx) {
    program
      .command('score')
      .description("score alerts from a file (JSON lines or a JSON array) against a dataset's answer key")
      .addOption(
        new Option(
          '--truth <path>',
          'the dataset directory (its answer key is found beside it), the answer-key folder or its truth.json (repeat in pairs with --alerts)',
        )
          .argParser(collect)
          .makeOptionMandatory(),
      )
      .addOption(
        new Option(
          '--alerts <file>',
          'alerts: JSON lines or a JSON array (bench envelopes, or bare alerts with "time")',
        )
          .argParser(collect)
          .makeOptionMandatory(),
      )
      .option('--labels <file>', "labels.jsonl (default: the answer key's, beside truth.json)")
      .option('--delivery <file>', "delivery.jsonl (default: the dataset directory's, when found)")
      .addOption(
        new Option('--threshold <expr>', 'a gate, e.g. "recall>=0.9" or "latency.p95<=2h" (repeatable)')
          .argParser(collect)
          .default([] as string[]),
      )
      .option('--no-expect', NO_EXPECT_HELP)
      .option('--allow-no-gates', ALLOW_NO_GATES_HELP)
      .option('--baseline <summary.json>', 'a previous summary.json: turn it into regression gates')
      .option('--max-regression <list>', 'allowed regressions, e.g. recall=0.02,latency.p95=10m')
      .option('--tolerance <duration>', 'entity matches count until last availability + this', DEFAULT_TOLERANCE)
      .option('--evidence-cap <n>', 'evidence ids considered per alert', String(DEFAULT_EVIDENCE_CAP))
      .addOption(
        new Option('--alerts-format <format>', 'what wrote the alerts file (auto: told by its fields)')
          .choices(ALERTS_FORMATS)
          .default('auto' as AlertsFormat),
      )
      .option('--timezone <zone>', 'IANA time zone of zone-less times in the alerts file, e.g. UTC or America/New_York')
      .option(
        '--time-offset <shift>',
        'the shift of the replay the alerts were raised on (what `serve` printed): alert times are moved back by it',
      )
      .option('--trust-alert-time', "let latency gate on the alerts' self-reported times (marked in every report)")
      .addOption(
        new Option(
          '--map <field=column>',
          `read an alert field from another export column (${MAPPED_FIELDS.join(', ')}; repeatable)`,
        )
          .argParser(collect)
          .default([] as string[]),
      )
      .option('--report <formats>', 'write reports: json,junit,md,html,navigator')
      .option('--out <dir>', 'directory for --report files', 'out')
      .option('--json', 'print summary.json on stdout instead of the console summary')
      .action(async (opts) => {
        const { io } = ctx;
        const cwd = io.cwd;
        const problems: string[] = [];
        const note = (s: string) => {
          if (!opts.json) io.err(`${ctx.errStyle.dim(s)}\n`);
        };

        // options first: a typo fails before any file is read
        const truths = opts.truth;
        const alertFiles = opts.alerts;
        if (truths.length !== alertFiles.length) {
          throw new EnumbenchError(
            'E_OPTION',
            `--truth and --alerts come in pairs: got ${truths.length} --truth and ${alertFiles.length} --alerts`,
            { hint: 'give one --alerts per --truth, in the same order (one pair per seed)' },
          );
        }
        if (truths.length > 1 && (opts.labels !== undefined || opts.delivery !== undefined)) {
          throw new EnumbenchError('E_OPTION', '--labels and --delivery name the files of a single dataset', {
            hint: 'with several --truth, give each dataset directory (its key beside it, DIR.truth/)',
          });
        }
        const tol = parseDuration(opts.tolerance);
        if (!tol.ok) {
          throw new EnumbenchError('E_OPTION', `--tolerance: ${tol.message}`, tol.hint ? { hint: tol.hint } : {});
        }
        const cap = Number(opts.evidenceCap);
        if (!Number.isInteger(cap) || cap < 1) {
          throw new EnumbenchError('E_OPTION', `--evidence-cap must be a positive integer, not "${opts.evidenceCap}"`);
        }
        const formats = parseReportFormats(opts.report);
        const importOptions = parseImportOptions(opts);
        let baselineRaw: unknown;
        if (opts.baseline !== undefined) {
          try {
            baselineRaw = JSON.parse(readText(resolve(cwd, opts.baseline), 'baseline'));
          } catch (e) {
            if (e instanceof EnumbenchError) throw e;
            throw new EnumbenchError('E_BASELINE', `${opts.baseline}: not valid JSON: ${(e as Error).message}`);
          }
        } else if (opts.maxRegression !== undefined) {
          problems.push('--max-regression needs --baseline');
        }
        const allowances =
          opts.maxRegression !== undefined ? parseMaxRegression(opts.maxRegression) : { ok: true as const, value: [] };
        if (!allowances.ok) for (const p of allowances.problems) problems.push(`--max-regression: ${p}`);

        // the truth files, then the thresholds (their tags checked against what is registered and held)
        const loaded = truths.map((t) => loadTruth(t, cwd));
        const catalog = catalogWith(
          ctx.catalog,
          loaded.map((l) => l.truth),
        );
        const thresholds: Threshold[] = [];
        for (const line of opts.threshold) {
          const r = parseThresholdLine(line, { catalog });
          if (r.ok) thresholds.push(r.value);
          else {
            for (const p of r.problems) {
              problems.push(`--threshold "${line}": ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`);
            }
          }
        }

        // a baseline of another scenario or seed set is refused before anything is scored
        let baselineSummary: BaselineSummary | null = null;
        if (baselineRaw !== undefined && allowances.ok) {
          baselineSummary = checkBaseline(
            baselineRaw,
            { schemaVersion: SCORECARD_SCHEMA_VERSION, datasetFormatVersion: loaded[0]?.truth.formatVersion ?? 0 },
            opts.baseline,
          );
          const subjects = new Map<string, { name: string; hash: string; seeds: number[] }>();
          for (const l of loaded) {
            const s = subjects.get(l.truth.scenario.name) ?? {
              name: l.truth.scenario.name,
              hash: l.truth.scenario.hash,
              seeds: [],
            };
            s.seeds.push(l.truth.seed);
            subjects.set(s.name, s);
          }
          assertBaselineFits(baselineSummary, [...subjects.values()], opts.baseline as string);
        }

        // the reports of an earlier score or run in --out go before anything is scored
        if (formats.length) removeStaleOutputs(resolve(cwd, opts.out), 'reports');

        // score every pair, group by scenario
        const options: ScoringOptions = {
          toleranceMs: tol.value,
          evidenceCap: cap,
          ...(opts.trustAlertTime ? { trustAlertTime: true } : {}),
        };
        const groups = new Map<string, { cards: Scorecard[]; pairs: number[] }>();
        truths.forEach((t, i) => {
          const card = scorePair(
            { truth: t, alerts: alertFiles[i] as string, labels: opts.labels, delivery: opts.delivery },
            loaded[i] as LoadedTruth,
            cwd,
            options,
            importOptions,
            problems,
            note,
          );
          if (importOptions.offsetMs) {
            card.notes.push(
              `alert times moved back by ${formatDuration(importOptions.offsetMs)} (--time-offset ${opts.timeOffset}): the shift of the replay they were raised on`,
            );
          }
          const name = card.runs[0]?.scenario ?? t;
          const g = groups.get(name) ?? { cards: [], pairs: [] };
          g.cards.push(card);
          g.pairs.push(i);
          groups.set(name, g);
        });

        const baseline: GateInput['baseline'] =
          baselineSummary && allowances.ok
            ? { summary: baselineSummary, allowances: allowances.value, file: opts.baseline as string }
            : null;

        const scenarios: ScenarioReport[] = [...groups.entries()].map(([name, g]) => {
          const args = ['enumbench', 'score'];
          for (const i of g.pairs) args.push('--truth', truths[i] as string, '--alerts', alertFiles[i] as string);
          if (opts.labels !== undefined) args.push('--labels', opts.labels);
          if (opts.delivery !== undefined) args.push('--delivery', opts.delivery);
          for (const t of opts.threshold) args.push('--threshold', t);
          if (opts.tolerance !== DEFAULT_TOLERANCE) args.push('--tolerance', opts.tolerance);
          if (cap !== DEFAULT_EVIDENCE_CAP) args.push('--evidence-cap', String(cap));
          if (!opts.expect) args.push('--no-expect');
          if (opts.allowNoGates) args.push('--allow-no-gates');
          if (opts.alertsFormat !== 'auto') args.push('--alerts-format', opts.alertsFormat);
          if (opts.timezone !== undefined) args.push('--timezone', opts.timezone);
          if (opts.timeOffset !== undefined) args.push('--time-offset', opts.timeOffset);
          if (opts.trustAlertTime) args.push('--trust-alert-time');
          for (const m of opts.map) args.push('--map', m);
          const seeds = g.cards.map((c) => c.runs[0]?.seed).join(', ');
          return gateScenario({
            name,
            cards: g.cards,
            expect: manifestExpect(
              g.pairs.map((i) => {
                const l = loaded[i] as LoadedTruth;
                return l.files.dataset ?? dirname(l.path);
              }),
              { catalog, cwd, ignore: !opts.expect },
            ),
            cli: thresholds,
            baseline,
            replay: `${commandLine(args)}  # seed${g.cards.length > 1 ? 's' : ''} ${seeds}`,
          });
        });
        const report: Report = {
          tool: { name: 'enumbench', version: ctx.version },
          command: 'score',
          scenarios,
          problems,
          ...(opts.allowNoGates ? { allowNoGates: true } : {}),
        };
        const written = await writeReports(report, formats, resolve(cwd, opts.out), io.env, (m) =>
          io.err(`${ctx.errStyle.yellow('warning:')} ${m}\n`),
        );
        if (opts.json) io.out(renderSummaryJson(report));
        else {
          io.out(renderConsole(report, ctx.outStyle));
          for (const w of written) io.err(`${ctx.errStyle.dim(`wrote ${w}`)}\n`);
        }
        ctx.exit(outcomeExitCode(reportOutcome(report)));
      });
  },
};

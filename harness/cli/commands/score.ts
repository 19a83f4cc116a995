/**
 * `enumbench score --truth F --alerts F`: score alerts produced elsewhere (a SIEM export, a run's
 * alerts.jsonl) against a dataset's truth. Reads files, calls the pure scorer, thresholds and
 * renderers, writes reports, and picks the exit code: 0 passed, 1 a gate crossed, 4 invalid input
 * (malformed alerts, a threshold the scorecard cannot answer, mismatched files).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { DATASET_FILES } from '../../../src/core/dataset.js';
import { EnumbenchError, formatDiagnostic } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import {
  commandLine,
  type Report,
  renderConsole,
  renderSummaryJson,
  reportOutcome,
} from '../../../src/report/index.js';
import { parseThresholdLine, type Threshold } from '../../../src/scenario/thresholds.js';
import { formatDuration, parseDuration } from '../../../src/scenario/units.js';
import {
  checkSameDataset,
  DEFAULT_EVIDENCE_CAP,
  DEFAULT_TOLERANCE_MS,
  norm,
  parseAlertsText,
  parseDeliveryText,
  parseLabelsText,
  parseTruthText,
  SCORECARD_SCHEMA_VERSION,
  scoreRun,
} from '../../../src/scoring/index.js';
import { checkBaseline, parseMaxRegression } from '../../../src/thresholds/index.js';
import { type GateInput, gateScenario } from '../../run/gate.js';
import { parseReportFormats, writeReports } from '../../run/write-reports.js';
import type { CommandModule } from '../command.js';

const MAX_LISTED = 20;
const DEFAULT_TOLERANCE = formatDuration(DEFAULT_TOLERANCE_MS);

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new EnumbenchError(
      'E_READ',
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: `check the path given to --${what}`,
      },
    );
  }
}

export const scoreCommand: CommandModule = {
  name: 'score',
  register(program, ctx) {
    program
      .command('score')
      .description('score alerts from a file (JSON lines or a JSON array) against a dataset truth file')
      .requiredOption('--truth <file>', 'truth.json of the dataset (or the dataset directory)')
      .requiredOption(
        '--alerts <file>',
        'alerts: JSON lines or one JSON array (bench envelopes or bare alerts with "time")',
      )
      .option('--labels <file>', 'labels.jsonl (default: beside the truth file, when present)')
      .option('--delivery <file>', 'delivery.jsonl (default: beside the truth file, when present)')
      .addOption(
        new Option('--threshold <expr>', 'a gate, e.g. "recall>=0.9" or "latency.p95<=2h" (repeatable)')
          .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v])
          .default([] as string[]),
      )
      .option('--baseline <summary.json>', 'a previous summary.json: turn it into regression gates')
      .option('--max-regression <list>', 'allowed regressions, e.g. recall=0.02,latency.p95=10m')
      .option('--tolerance <duration>', 'entity matches count until last availability + this', DEFAULT_TOLERANCE)
      .option('--evidence-cap <n>', 'evidence ids considered per alert', String(DEFAULT_EVIDENCE_CAP))
      .option('--report <formats>', 'write reports: json,junit,md')
      .option('--out <dir>', 'directory for --report files', 'out')
      .option('--json', 'print summary.json on stdout instead of the console summary')
      .action((opts) => {
        const { io } = ctx;
        const cwd = io.cwd;
        const problems: string[] = [];
        const note = (s: string) => {
          if (!opts.json) io.err(`${ctx.errStyle.dim(s)}\n`);
        };

        // options
        const tol = parseDuration(opts.tolerance);
        if (!tol.ok)
          throw new EnumbenchError('E_OPTION', `--tolerance: ${tol.message}`, tol.hint ? { hint: tol.hint } : {});
        const cap = Number(opts.evidenceCap);
        if (!Number.isInteger(cap) || cap < 1) {
          throw new EnumbenchError('E_OPTION', `--evidence-cap must be a positive integer, not "${opts.evidenceCap}"`);
        }
        const formats = parseReportFormats(opts.report);

        // inputs
        let truthPath = resolve(cwd, opts.truth);
        if (existsSync(truthPath) && statSync(truthPath).isDirectory())
          truthPath = join(truthPath, DATASET_FILES.truth);
        const truth = parseTruthText(readText(truthPath, 'truth'), opts.truth);
        // tag values are checked against the registered techniques and profiles plus those this truth file holds
        // (a dataset made by another enumbench version may hold techniques this one lacks)
        const registered = new Set(ctx.catalog.techniques.map((t) => t.id));
        const extra = [...new Set(truth.campaigns.map((c) => c.technique))]
          .filter((id) => !registered.has(id))
          .map((id) => ({ id, name: id, kind: 'technique' as const, attack: [], summary: '', options: {} }));
        const registeredProfiles = new Set(ctx.catalog.profiles.map((p) => p.id));
        const extraProfiles = [...new Set(truth.benign.map((b) => b.profile))]
          .filter((id) => !registeredProfiles.has(id))
          .map((id) => ({ id, name: id, kind: 'profile' as const, attack: [], summary: '', options: {} }));
        const catalog = {
          ...ctx.catalog,
          techniques: [...ctx.catalog.techniques, ...extra],
          profiles: [...ctx.catalog.profiles, ...extraProfiles],
        };
        const thresholds: Threshold[] = [];
        for (const line of opts.threshold) {
          const r = parseThresholdLine(line, { catalog });
          if (r.ok) thresholds.push(r.value);
          else
            for (const p of r.problems)
              problems.push(`--threshold "${line}": ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`);
        }
        const near = (name: string) => {
          const p = join(dirname(truthPath), name);
          return existsSync(p) ? p : undefined;
        };
        const labelsPath = opts.labels !== undefined ? resolve(cwd, opts.labels) : near(DATASET_FILES.labels);
        const deliveryPath = opts.delivery !== undefined ? resolve(cwd, opts.delivery) : near(DATASET_FILES.delivery);
        const lineProblems = (
          list: { position?: { file: string; line: number; col: number }; message: string; code: string }[],
        ) => {
          for (const d of list.slice(0, MAX_LISTED)) problems.push(formatDiagnostic(d));
          if (list.length > MAX_LISTED) problems.push(`... and ${list.length - MAX_LISTED} more`);
        };
        let labels = null;
        if (labelsPath) {
          if (opts.labels === undefined) note(`using labels ${labelsPath}`);
          const r = parseLabelsText(readText(labelsPath, 'labels'), labelsPath);
          lineProblems(r.problems);
          labels = r.items;
        }
        let delivery = null;
        if (deliveryPath) {
          if (opts.delivery === undefined) note(`using delivery schedule ${deliveryPath}`);
          const r = parseDeliveryText(readText(deliveryPath, 'delivery'), deliveryPath);
          lineProblems(r.problems);
          delivery = r.items;
        }
        const alertsFile = parseAlertsText(readText(resolve(cwd, opts.alerts), 'alerts'));
        for (const m of alertsFile.malformed.slice(0, MAX_LISTED)) {
          problems.push(`${opts.alerts}:${m.line}: malformed alert: ${m.problems.join('; ')}`);
        }
        if (alertsFile.malformed.length > MAX_LISTED) {
          problems.push(`${opts.alerts}: ... and ${alertsFile.malformed.length - MAX_LISTED} more malformed alerts`);
        }
        let known: ((id: string) => boolean) | null = null;
        if (labels || delivery) {
          const ids = new Set<string>();
          for (const l of labels ?? []) ids.add(norm(l.id));
          for (const d of delivery ?? []) ids.add(norm(d.id));
          known = (id) => ids.has(id);
        }
        const mismatch = checkSameDataset(truth, alertsFile, known);
        if (mismatch) throw mismatch;

        let baseline: GateInput['baseline'] = null;
        if (opts.baseline !== undefined) {
          const raw = readText(resolve(cwd, opts.baseline), 'baseline');
          let parsed: unknown;
          try {
            parsed = JSON.parse(raw);
          } catch (e) {
            throw new EnumbenchError('E_BASELINE', `${opts.baseline}: not valid JSON: ${(e as Error).message}`);
          }
          const summary = checkBaseline(
            parsed,
            { schemaVersion: SCORECARD_SCHEMA_VERSION, datasetFormatVersion: truth.formatVersion },
            opts.baseline,
          );
          const allowances =
            opts.maxRegression !== undefined
              ? parseMaxRegression(opts.maxRegression)
              : { ok: true as const, value: [] };
          if (!allowances.ok) for (const p of allowances.problems) problems.push(`--max-regression: ${p}`);
          else baseline = { summary, allowances: allowances.value };
        } else if (opts.maxRegression !== undefined) {
          problems.push('--max-regression needs --baseline');
        }

        // score, gate
        const card = scoreRun({
          truth,
          alerts: alertsFile.alerts,
          labels,
          delivery,
          malformed: alertsFile.malformed.length,
          options: { toleranceMs: tol.value, evidenceCap: cap },
        });
        const replayArgs = ['enumbench', 'score', '--truth', opts.truth, '--alerts', opts.alerts];
        if (opts.labels !== undefined) replayArgs.push('--labels', opts.labels);
        if (opts.delivery !== undefined) replayArgs.push('--delivery', opts.delivery);
        for (const t of opts.threshold) replayArgs.push('--threshold', t);
        if (opts.tolerance !== DEFAULT_TOLERANCE) replayArgs.push('--tolerance', opts.tolerance);
        if (cap !== DEFAULT_EVIDENCE_CAP) replayArgs.push('--evidence-cap', String(cap));
        const report: Report = {
          tool: { name: 'enumbench', version: ctx.version },
          command: 'score',
          scenarios: [
            gateScenario({
              name: truth.scenario.name,
              cards: [card],
              cli: thresholds,
              baseline,
              replay: `${commandLine(replayArgs)}  # seed ${truth.seed}`,
            }),
          ],
          problems,
        };
        const written = writeReports(report, formats, resolve(cwd, opts.out), io.env);
        if (opts.json) io.out(renderSummaryJson(report));
        else {
          io.out(renderConsole(report, ctx.outStyle));
          for (const w of written) io.err(`${ctx.errStyle.dim(`wrote ${w}`)}\n`);
        }
        const outcome = reportOutcome(report);
        ctx.exit(
          outcome === 'passed'
            ? ExitCode.Passed
            : outcome === 'failed'
              ? ExitCode.ThresholdsCrossed
              : ExitCode.InvalidInput,
        );
      });
  },
};

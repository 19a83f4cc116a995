/**
 * Writing reports: the renderers in src/report return strings; this is where they become files
 * (`--report json,junit,md --out DIR`) and where Markdown is appended to `$GITHUB_STEP_SUMMARY`.
 * Shared by `score` and `run`.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EnumbenchError } from '../../src/core/errors.js';
import {
  type Report,
  renderHtmlReport,
  renderJUnit,
  renderMarkdown,
  renderNavigator,
  renderSummaryJson,
} from '../../src/report/index.js';
import { resourceError, writeFileAtomic } from '../output-files.js';

export const REPORT_FORMATS = ['json', 'junit', 'md', 'html', 'navigator'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: 'summary.json',
  junit: 'junit.xml',
  md: 'summary.md',
  html: 'report.html',
  navigator: 'navigator-layer.json',
};
/** the folder of the HTML report's scenario pages (a run of several scenarios or seeds) */
export const HTML_PAGES_DIR = 'report';

export function parseReportFormats(text: string | undefined): ReportFormat[] {
  if (text === undefined || text.trim() === '') return [];
  const out: ReportFormat[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(REPORT_FORMATS as readonly string[]).includes(part)) {
      throw new EnumbenchError('E_REPORT_FORMAT', `unknown report format "${part}"`, {
        hint: `formats: ${REPORT_FORMATS.join(', ')}`,
      });
    }
    if (!out.includes(part as ReportFormat)) out.push(part as ReportFormat);
  }
  return out;
}

/**
 * What an earlier run or score wrote into `outDir`: the reports, and for `what: 'run'` also the
 * alerts files (alerts/<scenario>/seed-N.jsonl) and the detector's stderr logs
 * (detector/*.stderr.log). Removed when a new command starts in the same folder, so one interrupted
 * or failed before writing its own leaves none — never the previous run's, which CI would publish
 * as this one's. (`score` keeps alerts files: they may be its input.)
 */
export function removeStaleOutputs(outDir: string, what: 'reports' | 'run'): void {
  const rm = (path: string) => {
    try {
      rmSync(path, { force: true });
    } catch (e) {
      throw resourceError(e, path) ?? e;
    }
  };
  for (const f of Object.values(REPORT_FILES)) rm(join(outDir, f));
  const inside = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []);
  const pages = join(outDir, HTML_PAGES_DIR);
  for (const f of inside(pages)) if (f.isFile() && f.name.endsWith('.html')) rm(join(pages, f.name));
  if (existsSync(pages) && inside(pages).length === 0) rmdirSync(pages);
  if (what === 'reports') return;
  const alerts = join(outDir, 'alerts');
  for (const d of inside(alerts)) {
    if (!d.isDirectory()) continue;
    const dir = join(alerts, d.name);
    for (const f of inside(dir)) if (f.isFile() && /^seed-\d+\.jsonl$/.test(f.name)) rm(join(dir, f.name));
    if (inside(dir).length === 0) rmdirSync(dir);
  }
  if (existsSync(alerts) && inside(alerts).length === 0) rmdirSync(alerts);
  const logs = join(outDir, 'detector');
  for (const f of inside(logs)) if (f.isFile() && f.name.endsWith('.stderr.log')) rm(join(logs, f.name));
}

/**
 * Write the chosen formats into `outDir`, each complete or not at all (written beside, then
 * renamed); append Markdown to $GITHUB_STEP_SUMMARY when it is set — a job summary that cannot be
 * written is a warning (`warn`), not a failed run. Returns the written paths.
 */
export async function writeReports(
  report: Report,
  formats: readonly ReportFormat[],
  outDir: string,
  env: Readonly<Record<string, string | undefined>>,
  warn: (message: string) => void = () => {},
): Promise<string[]> {
  const written: string[] = [];
  if (formats.length) {
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (e) {
      throw resourceError(e, outDir) ?? e;
    }
  }
  for (const f of formats) {
    if (f === 'html') {
      const files = await renderHtmlReport(report);
      // the scenario pages first, the index (report.html) last: the path printed is the one to open
      for (const h of [...files].reverse()) {
        const file = join(outDir, h.path);
        try {
          mkdirSync(dirname(file), { recursive: true });
        } catch (e) {
          throw resourceError(e, dirname(file)) ?? e;
        }
        writeFileAtomic(file, h.html);
      }
      written.push(join(outDir, REPORT_FILES.html));
      continue;
    }
    const file = join(outDir, REPORT_FILES[f]);
    const text =
      f === 'json'
        ? renderSummaryJson(report)
        : f === 'junit'
          ? renderJUnit(report)
          : f === 'navigator'
            ? renderNavigator(report)
            : renderMarkdown(report);
    writeFileAtomic(file, text);
    written.push(file);
  }
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    try {
      appendFileSync(resolve(stepSummary), renderMarkdown(report));
      written.push(stepSummary);
    } catch (e) {
      const r = resourceError(e, stepSummary);
      warn(
        `cannot append the job summary to $GITHUB_STEP_SUMMARY (${r ? `${r.message}; ${r.hint}` : (e as Error).message}); the reports in ${outDir} are complete`,
      );
    }
  }
  return written;
}

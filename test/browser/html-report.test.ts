// @module-tag slow
/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core (never a browser
 * download). A real `run` of the small scenario writes the page; the page loads offline without a
 * console error or a request beyond its own file, shows every chart, shows the figures summary.json
 * holds, does not overflow horizontally at 1366 px, and prints to PDF. The screenshots are kept in
 * test-artifacts/ (ENUMBENCH_ARTIFACTS to put them elsewhere).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = process.env.ENUMBENCH_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(process.env.ENUMBENCH_ARTIFACTS ?? 'test-artifacts');
const tmp = tempDir('enumbench-browser-');
const out = join(tmp, 'out');
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set ENUMBENCH_CHROMIUM)`);
  writeFileSync(join(tmp, 'small.yaml'), smallScenario('expect:\n  recall: ">= 1"\n'));
  const r = await runBin(
    [
      'run',
      'small.yaml',
      '--detector',
      'builtin:volume',
      '--detector-options',
      '{"minRequests":12,"minObjects":5000,"window":"1m"}',
      '--out',
      out,
      '--report',
      'json,html',
    ],
    { cwd: tmp, timeoutMs: 240_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Chromium as root, on a machine without a network (machines/node.md)
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // playwright gives every launch a new empty profile (its own --user-data-dir)
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(file: string, width = 1366): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

describe('the HTML report in Chromium', () => {
  it('loads offline with no console error and no request but its own file; every chart is drawn', async () => {
    const file = join(out, 'report.html');
    const { page, errors, requests } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    const charts = await page.$$eval('figure[data-chart]', (fs) =>
      fs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return { name: f.getAttribute('data-chart'), w: box?.width ?? 0, h: box?.height ?? 0 };
      }),
    );
    expect(charts.map((c) => c.name)).toEqual(['timeline', 'recall', 'latency', 'false-positives']);
    for (const c of charts) {
      expect(c.w, c.name ?? '').toBeGreaterThan(100);
      expect(c.h, c.name ?? '').toBeGreaterThan(20);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-small.png'), fullPage: true });
    await page.close();
  });

  it('shows the figures summary.json holds, and its verdict', async () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const s = summary.scenarios[0];
    const { page } = await open(join(out, 'report.html'));
    const shown = await page.$$eval('[data-metric]', (els) =>
      els.map((e) => ({ key: e.getAttribute('data-metric') ?? '', value: e.getAttribute('data-value') ?? '' })),
    );
    expect(shown.length).toBeGreaterThan(8);
    for (const { key, value } of shown)
      expect(value === 'null' ? null : Number(value), key).toBe(s.metrics[key]?.value ?? null);
    // what a person reads: recall as k/n, the verdict line, every threshold, the replay command
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: what a person sees
    const text = await page.innerText('main');
    const recall = s.metrics.recall;
    expect(text).toContain(`${recall.k}/${recall.n}`);
    expect(text).toContain(summary.verdict);
    for (const t of s.thresholds) expect(text).toContain(`${t.key} ${t.condition}`);
    expect(text).toContain(s.replay);
    const rows = await page.$$eval('[data-table="campaigns"] tbody tr', (trs) =>
      trs.map((t) => ({ id: t.getAttribute('data-campaign'), detected: t.getAttribute('data-detected') })),
    );
    expect(rows).toEqual(
      s.campaigns.map((c: { id: string; detected: boolean }) => ({ id: c.id, detected: String(c.detected) })),
    );
    await page.close();
  });

  it('does not overflow horizontally at 1366 px', async () => {
    const { page } = await open(join(out, 'report.html'), 1366);
    const { scroll, client } = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    )) as { scroll: number; client: number };
    expect(scroll).toBeLessThanOrEqual(client);
    await page.close();
  });

  it('prints to PDF with every chart', async () => {
    const { page } = await open(join(out, 'report.html'));
    await page.emulateMedia({ media: 'print' });
    const visible = await page.$$eval(
      'figure[data-chart] svg',
      (svgs) => svgs.filter((s) => s.getBoundingClientRect().width > 100).length,
    );
    expect(visible).toBe(4);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'report-small.pdf'), pdf);
    await page.close();
  });
});

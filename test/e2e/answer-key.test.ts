// @module-tag slow
/**
 * The answer key is never where a detector is pointed (issue 12, item 2; docs/dataset.md "The
 * answer key"): hostile detectors — a `module:` one and a `process:` script — walk their working
 * directory, the dataset and output folders they can name and every path their environment holds,
 * looking for a label, and cheat with what they find. They must find nothing and score nothing.
 * `serve` never serves a key; `score` finds it beside a dataset or where `--truth` says; a dataset
 * holding its key (the format 1 layout) is refused by `run` and `serve` with the fix.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBin, startServe } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-answer-key-');

/**
 * What both hunters run: walk the given roots (files and folders, 8 levels deep) and list every
 * answer-key file and every file holding a label line; with `cheat`, the evidence ids they give.
 */
const HUNT = `
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
const LABEL = /"class"\\s*:\\s*"(?:evidence|context|benign)"|"campaign"\\s*:|"malicious"\\s*:/;
export function hunt(roots) {
  const found = { roots: roots.map((r) => resolve(r)), files: 0, hits: [], evidence: [] };
  const walk = (p, depth) => {
    let st;
    try { st = statSync(p); } catch { return; }
    if (st.isDirectory()) {
      if (depth > 8) return;
      let names = [];
      try { names = readdirSync(p); } catch { return; }
      for (const n of names) walk(join(p, n), depth + 1);
      return;
    }
    found.files++;
    let text = '';
    try { text = readFileSync(p, 'utf8'); } catch { return; }
    if (/^(truth\\.json|labels\\.jsonl)$/.test(basename(p)) || LABEL.test(text)) {
      found.hits.push(p);
      for (const line of text.split('\\n')) {
        try { const l = JSON.parse(line); if (l.class === 'evidence' && l.id) found.evidence.push(l.id); } catch {}
      }
    }
  };
  for (const r of found.roots) walk(r, 0);
  return found;
}
/** the environment's values that name a path on disk */
export function envPaths(env) {
  const out = [];
  for (const [k, v] of Object.entries(env)) {
    if (!/^(ENUMBENCH_|PWD$|OLDPWD$|INIT_CWD$)/.test(k) || typeof v !== 'string') continue;
    for (const part of v.split(/[\\s:;,]+/)) {
      try { statSync(part); out.push(part); } catch {}
    }
  }
  return out;
}
`;

/** a module: detector: hunts at start and at stop; cheats with what it found (an alert citing the evidence) */
const MODULE_HUNTER = `
import { writeFileSync } from 'node:fs';
import { envPaths, hunt } from './hunt.mjs';
export default (options) => {
  const look = () => hunt([process.cwd(), ...options.roots, ...envPaths(process.env)]);
  let found;
  return {
    name: 'hunter',
    start() { found = look(); },
    ingest(batch, ctx) {
      if (found.evidence.length) ctx.emit({ rule: 'cheat', evidence: found.evidence.slice(0, 500) });
    },
    stop() {
      const again = look();
      writeFileSync(options.report, JSON.stringify({ start: found, stop: again }));
    },
  };
};
`;

/**
 * a process: detector: hunts its cwd, its arguments and its environment; cheats by POSTing what it
 * found; exits once the replay is over
 */
const PROCESS_HUNTER = `
import { readdirSync, writeFileSync } from 'node:fs';
import { envPaths, hunt } from ${JSON.stringify(join(tmp, 'hunt.mjs'))};
const [report, ...roots] = process.argv.slice(2);
const found = hunt([process.cwd(), ...roots, ...envPaths(process.env)]);
const leads = Object.keys(process.env).filter((k) => /^(PWD|OLDPWD|INIT_CWD)$|^npm_/.test(k) && k !== 'PWD');
writeFileSync(report, JSON.stringify({ ...found, cwd: process.cwd(), cwdEntries: readdirSync(process.cwd()), leads }));
if (found.evidence.length)
  await fetch(process.env.ENUMBENCH_ALERTS_URL, { method: 'POST', body: JSON.stringify({ rule: 'cheat', evidence: found.evidence.slice(0, 500) }) });
// done once the replay is over: exiting then ends the drain (whatever the machine's speed)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
while (!(await (await fetch(process.env.ENUMBENCH_CLOCK_URL)).json()).done) await sleep(100);
`;

interface Hunt {
  roots: string[];
  files: number;
  hits: string[];
  evidence: string[];
}

const hunt = async (roots: string[]): Promise<Hunt> =>
  ((await import(join(tmp, 'hunt.mjs'))) as { hunt: (r: string[]) => Hunt }).hunt(roots);
const summary = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
const metric = (out: string, name: string) => summary(out).scenarios[0].metrics[name]?.value;

const SCENARIO = join(tmp, 'small.yaml');
/** the project of the process: test: a dataset and its key beside it, as `generate --out ds` leaves them */
const PROJECT = join(tmp, 'project');
const DATASET = join(PROJECT, 'ds');

beforeAll(async () => {
  writeFileSync(SCENARIO, smallScenario());
  writeFileSync(join(tmp, 'hunt.mjs'), HUNT);
  writeFileSync(join(tmp, 'hunter.mjs'), MODULE_HUNTER);
  mkdirSync(PROJECT);
  writeFileSync(join(PROJECT, 'hunter-proc.mjs'), PROCESS_HUNTER);
  const g = await runBin(['generate', SCENARIO, '--out', 'ds', '--no-progress'], { cwd: PROJECT });
  expect(g.code, g.stderr).toBe(0);
  expect(g.stderr).toMatch(/answer key \(truth\.json, labels\.jsonl; never give it to a detector\): ds\.truth/);
}, 120_000);

describe('generate', () => {
  it('writes the answer key beside the dataset, never into it', async () => {
    expect(readdirSync(DATASET).filter((f) => /truth|labels/.test(f))).toEqual([]);
    expect(readdirSync(`${DATASET}.truth`).sort()).toEqual(['labels.jsonl', 'truth.json']);
    // the hunters' walk does see a key where there is one (else their finding nothing would prove nothing)
    const control = await hunt([`${DATASET}.truth`]);
    expect(control.hits.length).toBe(2);
    expect(control.evidence.length).toBeGreaterThan(10);
    const inside = await hunt([DATASET]);
    expect(inside.files).toBeGreaterThan(3);
    expect(inside.hits).toEqual([]);
  });

  it('refuses --truth-out inside the dataset directory', async () => {
    const r = await runBin(['generate', SCENARIO, '--out', 'x', '--truth-out', 'x/key'], { cwd: tmp });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/must be outside the dataset directory/);
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });
});

describe('hostile detectors find no label', () => {
  it('module: walking its cwd, the dataset folders and the output folder while it runs', async () => {
    const project = join(tmp, 'module-project');
    mkdirSync(project);
    cpSync(SCENARIO, join(project, 'small.yaml'));
    const out = join(project, 'out');
    const report = join(tmp, 'module-report.json');
    const r = await runBin(
      [
        'run',
        'small.yaml',
        '--detector',
        `module:${join(tmp, 'hunter.mjs')}`,
        '--detector-options',
        JSON.stringify({ roots: [out, join(out, 'datasets')], report }),
        '--out',
        'out',
        '--keep-datasets',
        '--allow-no-gates',
      ],
      // an in-process detector has the bench's environment: here, one that names only the project
      { cwd: project, env: { INIT_CWD: project, PWD: project, OLDPWD: project } },
    );
    expect(r.code, r.stderr).toBe(0);
    const found = JSON.parse(readFileSync(report, 'utf8')) as { start: Hunt; stop: Hunt };
    for (const f of [found.start, found.stop]) {
      expect(f.files).toBeGreaterThan(3); // it saw the dataset's records
      expect(f.hits).toEqual([]);
    }
    expect(metric(out, 'recall')).toBe(0);
    // once the detector has stopped, the keys are beside the output folder, not in it
    expect((await hunt([out])).hits).toEqual([]);
    expect((await hunt([`${out}.truth`])).hits.length).toBe(2);
    expect(existsSync(join(`${out}.truth`, 'datasets', 'small', 'seed-7', 'labels.jsonl'))).toBe(true);
    // and `score` finds them from the dataset directory
    const s = await runBin(
      [
        'score',
        '--truth',
        join(out, 'datasets', 'small', 'seed-7'),
        '--alerts',
        join(out, 'alerts', 'small', 'seed-7.jsonl'),
        '--allow-no-gates',
        '--json',
      ],
      { cwd: project },
    );
    expect(s.code, s.stderr).toBe(0);
  }, 180_000);

  it('process: walking its cwd, the dataset and output folders, and its environment (the dataset key in the project)', async () => {
    const report = join(tmp, 'process-report.json');
    const r = await runBin(
      [
        'run',
        'ds',
        '--detector',
        `process:${process.execPath} hunter-proc.mjs ${report} ds out`,
        '--out',
        'out',
        '--drain',
        '120s',
        '--allow-no-gates',
      ],
      {
        cwd: PROJECT,
        // what npm puts in a script's environment: the project, where the key is
        env: { INIT_CWD: PROJECT, OLDPWD: PROJECT, npm_config_local_prefix: PROJECT },
        timeoutMs: 120_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const found = JSON.parse(readFileSync(report, 'utf8')) as Hunt & {
      cwd: string;
      cwdEntries: string[];
      leads: string[];
    };
    // it started elsewhere, in an empty folder, with no variable leading back to the project
    expect(found.cwd.startsWith(PROJECT)).toBe(false);
    expect(found.cwdEntries).toEqual([]);
    expect(found.leads).toEqual([]);
    // the relative paths of its command line were given to it: it walked the dataset (and the "." it was given: its own cwd)
    expect(found.roots).toContain(DATASET);
    expect(found.files).toBeGreaterThan(3);
    expect(found.hits).toEqual([]);
    expect(metric(join(PROJECT, 'out'), 'recall')).toBe(0);
  }, 180_000);
});

describe('serve never serves a key', () => {
  let serve: ChildProcess | undefined;
  afterEach(() => {
    serve?.kill('SIGINT');
    serve = undefined;
  });

  it('no URL of any of its ports returns a label', async () => {
    const started = await startServe([DATASET, '--speed', 'max'], { cwd: PROJECT });
    serve = started.child;
    const env = started.env;
    const bases = new Set<string>();
    for (const v of Object.values(env))
      if (typeof v === 'string' && /^https?:\/\//.test(v)) bases.add(new URL(v).origin);
    expect(bases.size).toBeGreaterThanOrEqual(2);
    const paths = [
      'truth.json',
      'labels.jsonl',
      'ds.truth/labels.jsonl',
      '../ds.truth/labels.jsonl',
      '..%2fds.truth%2flabels.jsonl',
      '%2e%2e/ds.truth/truth.json',
      'ds/../ds.truth/truth.json',
      'manifest.json',
      'delivery.jsonl',
    ];
    let asked = 0;
    for (const base of bases) {
      for (const p of paths) {
        const res = await fetch(`${base}/${p}`).catch(() => null);
        if (!res) continue;
        asked++;
        const text = await res.text();
        expect(text, `${base}/${p}`).not.toMatch(/"class"\s*:\s*"(?:evidence|context|benign)"|"campaign"\s*:/);
      }
    }
    expect(asked).toBeGreaterThan(10);
  }, 60_000);
});

describe('score finds the key', () => {
  it('beside the dataset, from its folder, from truth.json, and moved elsewhere with --truth', async () => {
    // alerts raised on the dataset: the run of a detector that alerts on volume
    const out = join(tmp, 'score-run');
    const r = await runBin(['run', DATASET, '--out', out, '--allow-no-gates'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const alerts = join(out, 'alerts', 'small', 'seed-7.jsonl');
    const recall = metric(out, 'recall');
    const score = (truth: string) =>
      runBin(['score', '--truth', truth, '--alerts', alerts, '--allow-no-gates', '--json'], { cwd: tmp });
    for (const t of [DATASET, `${DATASET}.truth`, join(`${DATASET}.truth`, 'truth.json')]) {
      const s = await score(t);
      expect(s.code, `${t}: ${s.stderr}`).toBe(0);
      expect(JSON.parse(s.stdout).scenarios[0].metrics.recall.value).toBe(recall);
    }
    // a key moved away: `run` and `score` take it with --truth
    const moved = join(tmp, 'keys', 'small-7');
    mkdirSync(join(tmp, 'keys'));
    cpSync(`${DATASET}.truth`, moved, { recursive: true });
    const copy = join(tmp, 'copy');
    cpSync(DATASET, copy, { recursive: true });
    const lost = await runBin(['run', copy, '--out', join(tmp, 'lost'), '--allow-no-gates'], { cwd: tmp });
    expect(lost.code).toBe(4);
    expect(lost.stderr).toMatch(/no answer key for the dataset .*copy: looked for .*copy\.truth\/truth\.json/);
    expect(lost.stderr).toMatch(/give --truth PATH/);
    const given = await runBin(['run', copy, '--truth', moved, '--out', join(tmp, 'given'), '--allow-no-gates'], {
      cwd: tmp,
    });
    expect(given.code, given.stderr).toBe(0);
    expect(metric(join(tmp, 'given'), 'recall')).toBe(recall);
    const s = await score(moved);
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).scenarios[0].metrics.recall.value).toBe(recall);
  }, 180_000);
});

describe('a dataset holding its key (format 1) is refused, with the fix', () => {
  it('run and serve say how to move the key out; after the move, it runs', async () => {
    const old = join(tmp, 'old');
    cpSync(DATASET, old, { recursive: true });
    for (const f of ['truth.json', 'labels.jsonl']) cpSync(join(`${DATASET}.truth`, f), join(old, f));
    for (const args of [
      ['run', old, '--out', join(tmp, 'old-out'), '--allow-no-gates'],
      ['serve', old, '--speed', 'max', '--exit-when-done'],
    ]) {
      const r = await runBin(args, { cwd: tmp });
      expect(r.code, args[0]).toBe(4);
      expect(r.stderr).toMatch(/holds its answer key \(truth\.json, labels\.jsonl\)/);
      expect(r.stderr).toMatch(/mkdir .*old\.truth && mv .*old\/truth\.json .*old\/labels\.jsonl .*old\.truth\//);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(tmp, 'old-out', 'summary.json'))).toBe(false);
    // the fix, as the message gives it
    const hint = /hint: move the key out of the dataset, beside it: (.*?) —/.exec(
      (await runBin(['run', old, '--out', join(tmp, 'old-out')], { cwd: tmp })).stderr,
    )?.[1] as string;
    execFileSync('sh', ['-c', hint]);
    const r = await runBin(['run', old, '--out', join(tmp, 'old-out'), '--allow-no-gates'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);

  it('an output folder holding a key is refused before anything runs', async () => {
    const out = join(tmp, 'stale-out');
    mkdirSync(join(out, 'datasets', 'other', 'seed-1'), { recursive: true });
    writeFileSync(join(out, 'datasets', 'other', 'seed-1', 'labels.jsonl'), '{}\n');
    const r = await runBin(['run', SCENARIO, '--out', out, '--allow-no-gates'], { cwd: tmp });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/holds an answer key \(.*labels\.jsonl\)/);
    expect(existsSync(join(out, 'datasets', 'small'))).toBe(false);
    renameSync(join(out, 'datasets', 'other'), join(tmp, 'other-moved'));
  });
});

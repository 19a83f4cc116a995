// @module-tag slow
/**
 * `enumbench run` end to end through the built binary: generate → lockstep replay → detect →
 * score → gate → reports, with its exit codes, its JUnit file, reproducibility, and `score`
 * reproducing the run's scorecard from its alerts file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-run-');
const SCENARIO = join(tmp, 'small.yaml');
const VOLUME = [
  '--detector',
  'builtin:volume',
  '--detector-options',
  // objects read count page sizes (a $top=100 member listing reads 100): gate on requests here, over
  // one minute (the listing's 12 pages take 24 s; a workforce power user's reads are spread wider)
  '{"minRequests":12,"minObjects":5000,"window":"1m"}',
];

beforeAll(() => {
  writeFileSync(
    SCENARIO,
    smallScenario(`expect:
  recall: ">= 1"
  false_positives_per_day: "<= 12"
`),
  );
  writeFileSync(
    join(tmp, 'silent.mjs'),
    `export default () => ({ name: 'silent', start() {}, ingest() {}, stop() {} });\n`,
  );
  writeFileSync(
    join(tmp, 'crash.mjs'),
    `export default () => ({ name: 'crash', start() {}, ingest() { throw new Error('boom'); }, stop() {} });\n`,
  );
});

const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('enumbench run', () => {
  it('runs a scenario end to end, prints the scorecard, writes reports and alerts (exit 0)', async () => {
    const out = join(tmp, 'a');
    const r = await runBin(['run', SCENARIO, ...VOLUME, '--out', out, '--keep-datasets'], { cwd: tmp });
    expect(r.stderr).toMatch(/generating small · seed 7/);
    expect(r.stdout).toMatch(/recall/);
    expect(r.stdout).toMatch(/replay: enumbench run .*small\.yaml --seed 7 --detector builtin:volume/);
    expect(r.code).toBe(0);
    const s = summary(out);
    expect(s.scenarios[0].name).toBe('small');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<testsuites/);
    // the HTML report is in the default set, its path printed; timeline counts came from the dataset
    expect(r.stderr).toMatch(/wrote .*report\.html/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const chart of ['timeline', 'recall', 'latency', 'false-positives'])
      expect(html, chart).toContain(`<figure data-chart="${chart}"><svg `);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('builtin:volume');
    expect(readFileSync(join(out, 'alerts', 'small', 'seed-7.jsonl'), 'utf8').length).toBeGreaterThan(0);
  });

  it('two lockstep runs give byte-identical summary.json', async () => {
    const [a, b] = [join(tmp, 'r1'), join(tmp, 'r2')];
    await runBin(['run', SCENARIO, ...VOLUME, '--out', a], { cwd: tmp });
    await runBin(['run', SCENARIO, ...VOLUME, '--out', b], { cwd: tmp });
    expect(readFileSync(join(a, 'summary.json'), 'utf8')).toBe(readFileSync(join(b, 'summary.json'), 'utf8'));
  });

  it('writes nothing but its reports by default: the datasets live in a private temporary folder removed at exit, the same summary.json as kept ones', async () => {
    const out = join(tmp, 'not-kept');
    const temp = join(tmp, 'TMPDIR');
    mkdirSync(temp);
    const r = await runBin(['run', SCENARIO, ...VOLUME, '--out', out], { cwd: tmp, env: { TMPDIR: temp } });
    expect(r.code, r.stderr).toBe(0);
    // the reports (json, junit, md, html) and the alerts: no dataset
    expect(readdirSync(out).filter((f) => !/^(summary\.json|junit\.xml|summary\.md|.*\.html|alerts)$/.test(f))).toEqual(
      [],
    );
    expect(readdirSync(out)).toContain('summary.json');
    expect(existsSync(`${out}.truth`)).toBe(false);
    expect(readdirSync(temp)).toEqual([]);
    // the progress names the dataset, not its temporary folder; no `score` hint for a dataset that is gone
    expect(r.stderr).not.toMatch(/enumbench-data-|score these alerts again/);
    // the kept run (the first test) scored the same
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(readFileSync(join(tmp, 'a', 'summary.json'), 'utf8'));
  });

  it('a temporary folder that cannot be used: a clear error saying how to put the datasets elsewhere (exit 4)', async () => {
    const r = await runBin(['run', SCENARIO, ...VOLUME, '--out', join(tmp, 'no-tmp')], {
      cwd: tmp,
      env: { TMPDIR: join(tmp, 'no-such-folder') },
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/no-such-folder/);
    expect(r.stderr).toMatch(/hint: .*TMPDIR.*--keep-datasets/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('`enumbench score` on the run alerts file reproduces the scorecard', async () => {
    const out = join(tmp, 'a');
    const dataset = join(out, 'datasets', 'small', 'seed-7');
    const r = await runBin(
      [
        'score',
        '--truth',
        dataset, // the dataset directory: its answer key is found beside the output folder (a.truth/)
        '--alerts',
        join(out, 'alerts', 'small', 'seed-7.jsonl'),
        '--report',
        'json',
        '--out',
        join(tmp, 'scored'),
      ],
      { cwd: tmp },
    );
    expect(r.code).toBe(0);
    const ran = summary(out).scenarios[0];
    const scored = summary(join(tmp, 'scored')).scenarios[0];
    expect(scored.metrics).toEqual(ran.metrics);
  });

  it('a failing threshold exits 1 and writes a JUnit file that says why', async () => {
    const out = join(tmp, 'fail');
    const r = await runBin(
      ['run', SCENARIO, '--detector', `module:${join(tmp, 'silent.mjs')}`, '--threshold', 'recall>=1', '--out', out],
      {
        cwd: tmp,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ recall >= 1/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure[^>]*>/);
    expect(junit).toMatch(/recall/);
    expect(junit).toMatch(/observed/);
  });

  it('a crashing detector exits 2 and says what it managed to emit', async () => {
    const r = await runBin(
      ['run', SCENARIO, '--detector', `module:${join(tmp, 'crash.mjs')}`, '--out', join(tmp, 'crash')],
      { cwd: tmp },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/detector failed:.*boom/);
  });

  it('invalid input exits 4 before anything is generated', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nattacks: [{technique: nmap}]\n');
    const r = await runBin(['run', bad, '--out', join(tmp, 'bad')], { cwd: tmp });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.yaml:2:\d+: unknown technique "nmap"/);
    expect(r.stderr).not.toMatch(/generating/);
    const t = await runBin(
      ['run', SCENARIO, '--threshold', 'precision{technique:graph-user-listing}>=1', '--out', join(tmp, 'bad2')],
      { cwd: tmp },
    );
    expect(t.code).toBe(4);
    expect(t.stderr).toMatch(/cannot be sliced by technique/);
    const d = await runBin(['run', SCENARIO, '--detector', 'builtin:nope', '--out', join(tmp, 'bad3')], { cwd: tmp });
    expect(d.code).toBe(4);
    expect(d.stderr).toMatch(/no builtin detector "nope"/);
  });
});

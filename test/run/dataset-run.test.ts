import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../harness/cli/io.js';
import { runCli } from '../../harness/cli/program.js';
import { startDetectorThread } from '../../harness/run/detector-thread.js';
import { resolveDetector, runDatasets, runOnDataset } from '../../harness/run/index.js';
import { IP_NETWORKS_FILE } from '../../src/core/ip-networks.js';
import { SOURCES } from '../../src/core/sources.js';
import { reportOutcome } from '../../src/report/index.js';
import { parseThresholdLine } from '../../src/scenario/thresholds.js';
import { tempDir } from '../helpers/tmp.js';
import { buildSynthetic } from './synthetic.js';

function writeDataset(): string {
  const dir = tempDir('enumbench-ds-');
  const ds = buildSynthetic();
  // the answer key beside the dataset, as generate writes it
  mkdirSync(`${dir}.truth`);
  writeFileSync(join(`${dir}.truth`, 'truth.json'), JSON.stringify(ds.truth));
  writeFileSync(join(`${dir}.truth`, 'labels.jsonl'), `${ds.labels.map((l) => JSON.stringify(l)).join('\n')}\n`);
  writeFileSync(join(dir, 'delivery.jsonl'), `${ds.delivery.map((d) => JSON.stringify(d)).join('\n')}\n`);
  for (const source of ['graphActivity', 'signIns'] as const) {
    const ids = ds.labels.filter((l) => l.source === source).map((l) => l.id);
    writeFileSync(
      join(dir, SOURCES[source].file),
      `${ids.map((id) => JSON.stringify(ds.records.get(id))).join('\n')}\n`,
    );
  }
  return dir;
}

describe('runOnDataset', () => {
  it('replays a dataset directory through builtin:volume in lockstep; `score` on its alerts file reproduces the scorecard', async () => {
    const dir = writeDataset();
    const run = await runOnDataset({ dir, detector: await resolveDetector('builtin:volume') });
    expect(run.lockstep.failure).toBeNull();
    expect(run.lockstep.delivered).toBe(711);
    expect(run.card.metrics.recall?.value).toBe(1);
    writeFileSync(join(dir, 'alerts.jsonl'), run.alertsJsonl);
    let out = '';
    const io: CliIO = {
      out: (t) => {
        out += t;
      },
      err: () => {},
      env: { NO_COLOR: '1' },
      cwd: dir,
      stdoutIsTTY: false,
      stderrIsTTY: false,
    };
    const code = await runCli(
      ['node', 'enumbench', 'score', '--truth', dir, '--alerts', 'alerts.jsonl', '--json', '--allow-no-gates'],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).scenarios[0].metrics).toEqual(JSON.parse(JSON.stringify(run.card.metrics)));
  });
});

describe('the IP enrichment table reaches a detector on its thread as ctx.networks', () => {
  const probe = `export default () => ({
  name: 'probe',
  start(ctx) {
    const row = ctx.networks?.lookup('188.166.1.2');
    ctx.emit({ rule: 'probe', principal: 'p', details: { rows: ctx.networks?.rows.length ?? 0, asn: row?.asn ?? null, org: row?.asOrg ?? null } });
  },
  ingest() {},
  stop() {},
});
`;
  const details = async (dir: string) => {
    writeFileSync(join(dir, 'probe.mjs'), probe);
    const det = await startDetectorThread({ spec: 'module:./probe.mjs', cwd: dir });
    try {
      const run = await runOnDataset({ dir, detector: det });
      return run.lockstep.alerts[0]?.alert.details;
    } finally {
      await det.close();
    }
  };

  it("the dataset's ip-networks.csv, or the world's table for a dataset written without one", async () => {
    const dir = writeDataset();
    const world = await details(dir);
    expect(world).toMatchObject({ asn: 14061, org: 'DigitalOcean, LLC' });
    expect(Number(world?.rows)).toBeGreaterThan(300);
    writeFileSync(
      join(dir, IP_NETWORKS_FILE),
      'network,asn,as_org,country,connection_type,hosting,vpn,tor\n188.166.0.0/16,64512,Example Hosting,NL,hosting,true,false,false\n',
    );
    expect(await details(dir)).toEqual({ rows: 1, asn: 64512, org: 'Example Hosting' });
  });
});

describe('resolveDetector', () => {
  it('finds builtins and refuses unknown ones with the list', async () => {
    expect((await resolveDetector('builtin:volume', { window: '5m' })).name).toBe('builtin:volume');
    await expect(resolveDetector('builtin:nope')).rejects.toThrow(/no builtin detector "nope"/);
    await expect(resolveDetector('builtin:volume', { bogus: 1 })).rejects.toThrow(/unknown option/);
    await expect(resolveDetector('webhook:https://x.example/hook')).rejects.toThrow(
      /takes the command that starts the detector, not a URL/,
    );
    await expect(resolveDetector('webhook:')).rejects.toThrow(/"webhook:" needs a command/);
    await expect(resolveDetector('volume')).rejects.toThrow(/cannot read detector spec/);
  });

  it('loads a module: file exporting a factory or a detector', async () => {
    const dir = tempDir('enumbench-mod-');
    writeFileSync(
      join(dir, 'det.mjs'),
      'export default (opts) => ({ name: "mine:" + (opts.tag ?? "x"), start() {}, ingest() {}, stop() {} });\n',
    );
    writeFileSync(join(dir, 'bad.mjs'), 'export const nothing = 1;\n');
    expect((await resolveDetector('module:./det.mjs', { tag: 'a' }, dir)).name).toBe('mine:a');
    await expect(resolveDetector('module:./bad.mjs', {}, dir)).rejects.toThrow(/does not export a detector/);
    await expect(resolveDetector('module:./missing.mjs', {}, dir)).rejects.toThrow(/cannot load detector module/);
  });
});

describe('runDatasets', () => {
  it('runs several seeds of a scenario, combines them, gates, and reports detector failures', async () => {
    const a = writeDataset();
    const b = writeDataset();
    const truth = JSON.parse(readFileSync(join(`${b}.truth`, 'truth.json'), 'utf8'));
    writeFileSync(join(`${b}.truth`, 'truth.json'), JSON.stringify({ ...truth, seed: 43 }));
    const th = parseThresholdLine('recall.lower>=0.3');
    if (!th.ok) throw new Error('threshold');
    const r = await runDatasets({
      datasets: [a, b],
      detector: 'builtin:volume',
      cwd: a,
      thresholds: [th.value],
      version: 'test',
    });
    expect(r.detectorFailures).toEqual([]);
    expect(r.alerts.map((x) => x.seed)).toEqual([42, 43]);
    const s = r.report.scenarios[0];
    expect(s?.card.metrics.recall).toMatchObject({ value: 1, n: 2 });
    expect(s?.verdicts.map((v) => [v.key, v.status])).toEqual([
      ['recall.lower', 'pass'],
      ['leaks', 'pass'],
    ]);
    expect(reportOutcome(r.report)).toBe('passed');

    writeFileSync(
      join(a, 'crash.mjs'),
      'export default () => ({ name: "crash", start() {}, ingest() { throw new Error("kaboom"); }, stop() {} });\n',
    );
    const crash = await runDatasets({ datasets: [a], detector: 'module:./crash.mjs', cwd: a, version: 'test' });
    expect(crash.detectorFailures[0]).toContain('failed (crash) during ingest');
    expect(crash.detectorFailures[0]).toContain('kaboom');
  });
});

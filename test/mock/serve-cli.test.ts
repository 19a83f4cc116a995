import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../harness/cli/io.js';
import { runCli } from '../../harness/cli/program.js';
import { parseFaults } from '../../harness/mock/fault-spec.js';
import { buildFixture, writeDataset } from '../helpers/dataset.js';
import { tempDir } from '../helpers/tmp.js';

function io(): CliIO & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out: (t: string) => {
      o.stdout += t;
    },
    err: (t: string) => {
      o.stderr += t;
    },
    env: { NO_COLOR: '1' },
    cwd: process.cwd(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
  };
  return o;
}

describe('enumbench serve', () => {
  it('--json --exit-when-done --drain 0 prints the CONTRACTS.md §4 names and exits 0 when the replay ends', async () => {
    const dir = tempDir('enumbench-serve-');
    writeDataset(dir, buildFixture({ seed: 9, ual: 100, signIns: 10 }), 9);
    const o = io();
    const code = await runCli(
      ['node', 'enumbench', 'serve', dir, '--speed', 'max', '--json', '--exit-when-done', '--drain', '0'],
      o,
    );
    expect(code).toBe(0);
    const out = JSON.parse(o.stdout) as Record<string, unknown>;
    for (const k of [
      'ENUMBENCH_TENANT_ID',
      'ENUMBENCH_CLIENT_ID',
      'ENUMBENCH_CLIENT_SECRET',
      'ENUMBENCH_LOGIN_URL',
      'ENUMBENCH_MANAGEMENT_URL',
      'ENUMBENCH_DIAGNOSTICS_URL',
      'ENUMBENCH_SPEED',
      'ENUMBENCH_CLOCK_URL',
      'ENUMBENCH_IP_NETWORKS',
    ]) {
      expect(typeof out[k]).toBe('string');
    }
    // the dataset's enrichment table, a file of the dataset directory
    expect(readFileSync(String(out.ENUMBENCH_IP_NETWORKS), 'utf8')).toMatch(/^network,asn,as_org,country,/);
    expect(String(out.ENUMBENCH_MANAGEMENT_URL)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.ENUMBENCH_SPEED).toBe('max');
    expect(o.stderr).toContain('served 110 records');
  });

  it('--public-url https://manage.office.com prints the login and storage URLs on their own Microsoft names', async () => {
    const dir = tempDir('enumbench-serve-');
    writeDataset(dir, buildFixture({ seed: 9, ual: 20, signIns: 5 }), 9);
    const o = io();
    const code = await runCli(
      [
        'node',
        'enumbench',
        'serve',
        dir,
        '--speed',
        'max',
        '--public-url',
        'https://manage.office.com',
        '--state-dir',
        tempDir('enumbench-state-'),
        '--json',
        '--exit-when-done',
        '--drain',
        '0',
      ],
      o,
    );
    expect(code, o.stderr).toBe(0);
    const out = JSON.parse(o.stdout) as Record<string, string>;
    expect(out.ENUMBENCH_MANAGEMENT_URL).toBe('https://manage.office.com');
    // a client posts its token request to the login host, not to the API's
    expect(out.ENUMBENCH_LOGIN_URL).toBe('https://login.microsoftonline.com');
    expect(out.ENUMBENCH_DIAGNOSTICS_URL).toMatch(/^https:\/\/enumbenchdiag\w+\.blob\.core\.windows\.net\?sv=/);
  });

  it('rejects what is not a dataset, a bad speed and a bad fault spec with exit code 4', async () => {
    let o = io();
    expect(await runCli(['node', 'enumbench', 'serve', '/nonexistent', '--exit-when-done'], o)).toBe(4);
    expect(o.stderr).toContain('no such file or directory');
    o = io();
    const empty = tempDir('enumbench-empty-');
    expect(await runCli(['node', 'enumbench', 'serve', empty], o)).toBe(4);
    expect(o.stderr).toContain('not a dataset directory');
    const dir = tempDir('enumbench-serve-');
    writeDataset(dir, buildFixture({ seed: 9, ual: 5 }), 9);
    o = io();
    expect(await runCli(['node', 'enumbench', 'serve', dir, '--speed', 'warp'], o)).toBe(4);
    expect(o.stderr).toContain('invalid speed');
    expect(() => parseFaults('error=2')).toThrow(/invalid fault/);
    expect(parseFaults('error=0.1,slow=0.2:1s,late=0.1:30m')).toMatchObject({
      errorRate: 0.1,
      slowRate: 0.2,
      slowMs: 1000,
      lateMs: 1_800_000,
    });
  });

  it('every fault kind that needs a duration requires one, and the others refuse one (issue 14)', async () => {
    expect(() => parseFaults('slow=0.1')).toThrow(/invalid fault "slow=0.1": slow needs a duration/);
    expect(() => parseFaults('late=0.05')).toThrow(/late needs a duration/);
    expect(() => parseFaults('error=0.1:5m')).toThrow(/error takes no duration/);
    expect(() => parseFaults('slow=0.1:500')).toThrow(/invalid duration "500"/);
    expect(() => parseFaults('slow=0.1:0ms')).toThrow(/invalid duration "0ms"/);
    expect(() => parseFaults('error=0.1,error=0.2')).toThrow(/error is given twice/);
    expect(() => parseFaults('slowness=0.1')).toThrow(/invalid fault "slowness=0.1"/);
    // refused before anything is generated or served, as invalid input
    const o = io();
    expect(await runCli(['node', 'enumbench', 'serve', 'scenarios/quickstart.yaml', '--faults', 'slow=0.1'], o)).toBe(
      4,
    );
    expect(o.stderr).toContain('slow needs a duration');
    expect(o.stderr).not.toContain('generated');
  });
});

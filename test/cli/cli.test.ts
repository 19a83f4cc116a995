// @module-tag slow
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-cli-');
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('enumbench CLI (the built binary, end to end)', () => {
  it('--help lists the commands; --version prints the version', async () => {
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/validate/);
    expect(help.stdout).toMatch(/list/);
    const v = await runBin(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('validate: a scenario with three mistakes reports all three with line and column, exit 4', async () => {
    const p = file(
      'three.yaml',
      'name: three\ntenant:\n  userz: 10\ntime:\n  duration: 7x\nexpect:\n  recal: ">= 1"\n',
    );
    const r = await runBin(['validate', p]);
    expect(r.code).toBe(4);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(p));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/:3:3: unknown key `userz`/);
    expect(lines[1]).toMatch(/:5:13: .*not a duration/);
    expect(lines[2]).toMatch(/:7:3: unknown metric "recal"/);
    expect(r.stderr).toMatch(/hint: did you mean `users`\?/);
    expect(r.stderr).toMatch(/hint: did you mean `recall`\?/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // never a stack trace
  });

  it('validate: a valid file exits 0', async () => {
    const p = file('ok.yaml', 'name: ok\ntenant: {users: 50}\n');
    const r = await runBin(['validate', p]);
    expect(r.stderr).toMatch(/✓/);
    expect(r.code).toBe(0);
  });

  it('validate --json: one object per file with positioned errors on stdout', async () => {
    const bad = file('bad.yaml', 'name: x\nname: y\n');
    const good = file('good.yaml', 'name: good\n');
    const r = await runBin(['validate', '--json', good, bad, join(tmp, 'missing.yaml')]);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.files[0]).toMatchObject({ ok: true, name: 'good' });
    expect(out.files[1].errors[0]).toMatchObject({ line: 2, col: 1, code: 'E_YAML_DUPLICATE_KEY' });
    expect(out.files[2].errors[0]).toMatchObject({ code: 'E_FILE', message: 'no such file' });
  });

  it('validate: unreadable inputs are errors, not crashes', async () => {
    const binary = join(tmp, 'binary.yaml');
    writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81]));
    const r = await runBin(['validate', binary, tmp]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not UTF-8/);
    expect(r.stderr).toMatch(/is a directory/);
  });

  it('colour only when allowed: NO_COLOR off, FORCE_COLOR on', async () => {
    const p = file('c.yaml', 'name: c\nfoo: 1\n');
    const plain = await runBin(['validate', p], { env: { NO_COLOR: '1' } });
    expect(plain.stderr.includes('\u001b[')).toBe(false);
    const forced = await runBin(['validate', p], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stderr.includes('\u001b[31m')).toBe(true);
  });

  it('list: prints collections and hypotheses; --json is machine-readable', async () => {
    const c = await runBin(['list', 'collections']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/e5-diagnostics/);
    const h = await runBin(['list', 'hypotheses', '--json']);
    expect(JSON.parse(h.stdout).items[0].id).toBe('exo-get-cmdlets-audited');
    const t = await runBin(['list', 'techniques', '--json']);
    expect(JSON.parse(t.stdout).kind).toBe('techniques');
  });

  it('out-of-range counts are refused before any work (issue 14: --seeds 0 used to run one seed)', async () => {
    for (const [args, message] of [
      [['run', 'scenarios/quickstart.yaml', '--seeds', '0'], /--seeds is an integer 1\.\.1000, not "0"/],
      [['run', 'scenarios/quickstart.yaml', '--seeds', '1001'], /--seeds is an integer 1\.\.1000/],
      [['run', 'scenarios/quickstart.yaml', '--seeds', '2.5'], /--seeds is an integer/],
      [['run', 'scenarios/quickstart.yaml', '--seed', '-1'], /a seed is an integer 0\.\.2147483647/],
      [
        ['generate', 'scenarios/quickstart.yaml', '--out', join(tmp, 'never'), '--seed', '2147483648'],
        /a seed is an integer/,
      ],
      [['serve', 'scenarios/quickstart.yaml', '--seed', 'x'], /a seed is an integer/],
      [['serve', 'scenarios/quickstart.yaml', '--page-size', '0'], /invalid --page-size 0/],
    ] as const) {
      const r = await runBin([...args]);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/generating|generated/);
    }
  });

  it('every invalid detector or option of run and serve is refused before any work (issue 18 item 1)', async () => {
    const out = join(tmp, 'never-run');
    for (const [args, message] of [
      [['run', '--detector', 'builtin:nope'], /no builtin detector "nope"/],
      [['run', '--detector', 'module:./nowhere.js'], /cannot load detector module/],
      [['run', '--detector-options', '{"zz":1}'], /unknown option "zz"/],
      [['run', '--detector-options', 'not json'], /--detector-options/],
      [['run', '--tick', '0'], /tick/],
      [['run', '--report', 'pdf'], /unknown report format "pdf"/],
      [['run', '--threshold', 'recall >= lots'], /--threshold/],
      [['run', '--speed', '60'], /--speed applies to process: and webhook: detectors only/],
      [['run', '--speed', 'max'], /--speed applies to process: and webhook: detectors only/],
      [['run', '--subscribe-timeout', '5s'], /applies to webhook: detectors only/],
      [['serve', '--speed', 'fast'], /realtime, a factor/],
      [['serve', '--port', '99999'], /port/],
      [['serve', '--faults', 'nonsense'], /kind=rate/],
    ] as const) {
      const [command, ...rest] = args;
      const r = await runBin(
        command === 'run'
          ? ['run', 'scenarios/quickstart.yaml', '--out', out, ...rest]
          : ['serve', 'scenarios/quickstart.yaml', ...rest],
      );
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).not.toMatch(/generating|generated/);
      expect(existsSync(out), args.join(' ')).toBe(false);
      expect(existsSync(`${out}.truth`), args.join(' ')).toBe(false);
    }
  });

  it('an unknown command or option is invalid input (exit 4)', async () => {
    expect((await runBin(['frobnicate'])).code).toBe(4);
    expect((await runBin(['validate', '--bogus', 'x.yaml'])).code).toBe(4);
    expect((await runBin(['list', 'widgets'])).code).toBe(4);
  });
});

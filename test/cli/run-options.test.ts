/**
 * The replay line (harness/run/run-settings.ts) against `run`'s own option parser
 * (harness/cli/run-options.ts): parsing the printed line, as a POSIX shell splits it, gives back the
 * settings it was printed from; every option of `run` is either in the line or listed as one that
 * changes no result.
 */
import { Command } from '@commander-js/extra-typings';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declareRunCommand, PRESENTATION_OPTIONS, parseRunSettings } from '../../harness/cli/run-options.js';
import { parseFaults } from '../../harness/mock/fault-spec.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { defaultRunSettings, type RunSettings, runReplayArgs, runReplayLine } from '../../harness/run/run-settings.js';
import { parseMaxRegression } from '../../src/thresholds/index.js';

/** Words as a POSIX shell splits a line of plain words, '…' quotes and backslash escapes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '\\') {
      cur = (cur ?? '') + (line[++i] ?? '');
    } else if (ch === ' ') {
      if (cur !== null) words.push(cur);
      cur = null;
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** `run`'s parser over argv (after `enumbench run`): the settings, or the error it throws. */
async function parseArgs(args: readonly string[]): Promise<RunSettings> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let settings: RunSettings | undefined;
  declareRunCommand(program).action((inputs, opts, command) => {
    settings = parseRunSettings(inputs, opts, (key) => command.getOptionValueSource(key) === 'cli').settings;
  });
  await program.parseAsync(['node', 'enumbench', 'run', ...args]);
  if (!settings) throw new Error('run did not parse');
  return settings;
}

async function parseLine(line: string): Promise<RunSettings> {
  const words = shellWords(line);
  expect(words.slice(0, 2)).toEqual(['enumbench', 'run']);
  return parseArgs(words.slice(2));
}

const text = fc.string({
  unit: fc.constantFrom('a', 'z', '0', ' ', "'", '"', '\\', '$', '*', '=', ',', '.', '/', '\n', '-'),
});
const word = fc.tuple(fc.constantFrom('a', 'b', 'c'), text).map(([a, b]) => a + b);
const ms = (min: number) => fc.integer({ min, max: 30 * 86_400_000 });
const json = fc
  .dictionary(fc.string(), fc.jsonValue())
  .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
const ALLOWANCES = ['recall=0.02', 'latency.p95=10m', 'precision=0.1', 'recall{technique:azurehound}=0.05'];
const rate = fc.double({ min: 0, max: 1, noNaN: true });
const faults = fc
  .record(
    {
      errorRate: rate,
      throttleRate: rate,
      slowRate: rate,
      truncateRate: rate,
      resetRate: rate,
      lateBlobRate: rate,
      expiredRate: rate,
      slowMs: ms(1),
      lateMs: ms(1),
    },
    { requiredKeys: [] },
  )
  // a duration goes with its rate
  .map((f) => {
    const out = { ...f };
    if (out.slowRate === undefined) delete out.slowMs;
    else out.slowMs ??= 500;
    if (out.lateBlobRate === undefined) delete out.lateMs;
    else out.lateMs ??= 1_800_000;
    return out;
  });
const speed = fc.oneof(
  fc.constantFrom('max', 'lockstep', 'realtime').map((s) => parseSpeed(s)),
  fc.double({ min: 0.001, max: 10_000, noNaN: true }).map((x) => parseSpeed(x)),
);

const settingsArb: fc.Arbitrary<RunSettings> = fc
  .record({
    inputs: fc.array(word, { minLength: 1, maxLength: 3 }),
    detector: fc.constantFrom(
      'builtin:volume',
      'module:./my detector.mjs',
      'kql:rule.kql',
      'sigma:rules/',
      'stdio:python3 d.py',
      'process:python3 "p.py" --flag',
      "webhook:node 'w.mjs'",
    ),
    detectorOptions: fc.option(json, { nil: undefined }),
    queryFrequency: fc.option(fc.constantFrom('5m', '1h'), { nil: undefined }),
    queryPeriod: fc.option(fc.constantFrom('1h', '1d'), { nil: undefined }),
    truth: fc.option(fc.array(word, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    seed: fc.option(fc.integer({ min: 0, max: 2_147_483_647 }), { nil: undefined }),
    seeds: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    seedPurpose: fc.constantFrom('judge' as const, 'tune' as const),
    speed,
    tickMs: ms(1),
    detectorTimeoutMs: ms(1),
    drainMs: ms(0),
    graceMs: ms(0),
    ackTimeoutMs: ms(0),
    subscribeTimeoutMs: ms(0),
    faults: fc.option(faults, { nil: undefined }),
    acceptScaledLatency: fc.boolean(),
    thresholds: fc.array(
      fc.tuple(fc.constantFrom('recall', 'latency.p95'), text).map(([a, b]) => a + b),
      {
        maxLength: 3,
      },
    ),
    expect: fc.boolean(),
    allowNoGates: fc.boolean(),
    baseline: fc.option(word, { nil: undefined }),
    maxRegression: fc.option(fc.subarray(ALLOWANCES, { minLength: 1 }), { nil: undefined }),
  })
  // what `run` refuses is not generated: the options of other detector kinds
  .map((r) => {
    const s: RunSettings = { ...r, maxRegression: undefined } as RunSettings;
    const external = s.detector.startsWith('process:') || s.detector.startsWith('webhook:');
    if (!external) {
      delete s.speed;
      delete s.faults;
      s.acceptScaledLatency = false;
    }
    if (!s.detector.startsWith('webhook:')) s.subscribeTimeoutMs = defaultRunSettings([]).subscribeTimeoutMs;
    if (!s.detector.startsWith('kql:')) {
      delete s.queryFrequency;
      delete s.queryPeriod;
    }
    if (s.baseline !== undefined && r.maxRegression !== undefined) {
      const parsed = parseMaxRegression(r.maxRegression.join(','));
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      s.maxRegression = parsed.value;
    }
    for (const k of Object.keys(s) as (keyof RunSettings)[]) if (s[k] === undefined) delete s[k];
    return s;
  });

describe('the replay line of `run`', () => {
  it('parses back to the settings it was printed from', async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, async (s) => {
        expect(await parseLine(runReplayLine(s))).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it('prints only the inputs and the detector for a run at the defaults', () => {
    expect(runReplayLine(defaultRunSettings(['scenarios/quickstart.yaml']))).toBe(
      'enumbench run scenarios/quickstart.yaml --detector builtin:volume',
    );
  });

  it('holds every option of `run` that changes a result; the others are listed as presentation', async () => {
    const everything = (detector: string): RunSettings => ({
      ...defaultRunSettings(['a.yaml'], detector),
      detectorOptions: { window: '1h' },
      truth: ['a.truth'],
      seed: 7,
      seeds: 3,
      seedPurpose: 'tune',
      tickMs: 120_000,
      detectorTimeoutMs: 1000,
      drainMs: 1000,
      graceMs: 1000,
      ackTimeoutMs: 1000,
      acceptScaledLatency: detector.startsWith('webhook:'),
      thresholds: ['recall>=0.9'],
      expect: false,
      allowNoGates: true,
      baseline: 'old/summary.json',
      maxRegression: (parseMaxRegression('recall=0.02') as { ok: true; value: RunSettings['maxRegression'] }).value,
      ...(detector.startsWith('webhook:')
        ? { speed: parseSpeed('lockstep'), subscribeTimeoutMs: 1000, faults: parseFaults('error=0.1') }
        : { queryFrequency: '5m', queryPeriod: '1h' }),
    });
    const printed = new Set(
      [...runReplayArgs(everything('webhook:node w.mjs')), ...runReplayArgs(everything('kql:r.kql'))].filter((a) =>
        a.startsWith('--'),
      ),
    );
    const program = new Command();
    const declared = declareRunCommand(program).options.map((o) => o.long as string);
    const presentation = new Set<string>(PRESENTATION_OPTIONS);
    for (const flag of declared) expect(printed.has(flag) || presentation.has(flag), flag).toBe(true);
    for (const flag of printed) expect(presentation.has(flag), flag).toBe(false);
    // the two runs above parse back too
    for (const d of ['webhook:node w.mjs', 'kql:r.kql'])
      expect(await parseArgs(runReplayArgs(everything(d)))).toEqual(everything(d));
  });

  it('refuses --speed, --faults and --accept-scaled-latency for detectors that always run in lockstep', async () => {
    for (const args of [['--speed', 'max'], ['--faults', 'error=0.1'], ['--accept-scaled-latency']])
      for (const detector of ['builtin:volume', 'stdio:python3 d.py'])
        await expect(parseArgs(['a.yaml', '--detector', detector, ...args])).rejects.toThrow(
          /applies to process: and webhook: detectors only/,
        );
  });
});

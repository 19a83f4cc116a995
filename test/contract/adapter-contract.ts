/**
 * The adapter contract (STYLE.md 6): one suite every detector adapter runs — `module:`, `stdio:`,
 * `process:` polling on its own schedule, `process:` in HTTP lockstep, `webhook:` — with the same seven test
 * detectors written for each (always alerts, never alerts, alerts late, crashes, hangs, floods,
 * writes garbage) and the same expectations, through the built binary on the end-to-end tests'
 * small scenario. A skip or a weaker expectation is written down with its reason (`reasons`).
 * Adapter-specific faults (a command that cannot start, SIGTERM ignored, wrong URLs, the Python
 * examples…) stay in their own files: test/e2e/process-detector.test.ts, stdio-detector.test.ts,
 * test/run/detector-thread.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { smallScenario } from '../helpers/small-scenario.js';
import { tempDir } from '../helpers/tmp.js';

export const BEHAVIOURS = ['always', 'never', 'late', 'crash', 'hang', 'flood', 'garbage'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/**
 * What every test detector does, whatever its adapter:
 * - always: one alert citing each record it receives;
 * - never: receives (collects) everything, alerts on nothing;
 * - late: the alerts of `always`, all at the very end;
 * - crash: an alert (rule `before-crash`), then dies with `fatal: rule engine exploded` on stderr;
 * - hang: an alert (rule `before-hang`), then stops making progress (and ignores SIGTERM, where it can);
 * - flood: 200,000 alerts at once (a million on stdout, for process:);
 * - garbage: two malformed alerts (not JSON, or a wrong type) and a good one (rule `ok`).
 */
export interface AdapterUnderTest {
  name: string;
  /** writes the behaviour's detector under `dir`; returns its --detector spec */
  detector(b: Behaviour, dir: string): string;
  /**
   * options of every run (speed, generous time limits: a busy machine must never make a working
   * detector look hung)
   */
  args: readonly string[];
  /** the hang detector's short time limit, added after `args` for that behaviour only */
  hangArgs?: readonly string[];
  env?: (b: Behaviour) => Record<string, string>;
  /** how its failures read on stderr */
  crashMessage: RegExp;
  hangMessage: RegExp;
  /** where each of the garbage detector's two malformed alerts is reported (summary.json problems) */
  garbagePositions?: readonly RegExp[];
  /** lockstep: two runs must give byte-identical summary.json */
  deterministic: boolean;
  /**
   * the crash comes (in lockstep, through the mock) before the campaign is published: its miss must
   * be "never collected", not "collected, not detected"
   */
  crashBeforeCampaign?: boolean;
  /** expectations this adapter cannot meet, each with its reason */
  reasons?: { lateLatency?: string };
  /** the adapter's own hostile cases, over the same dataset: `run(spec, out, args)` runs the bench with `args` */
  extra?: (ctx: {
    tmp: string;
    run: (spec: string, out: string, args: readonly string[]) => ReturnType<typeof runBin>;
  }) => void;
}

const summaryOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    scenarios: { metrics: Record<string, { value: number | null }>; alerts: { received: number } }[];
    problems: string[];
  };

export function adapterContract(a: AdapterUnderTest): void {
  const tmp = tempDir('enumbench-contract-');
  const dataset = join(tmp, 'ds');
  const runSpec = (spec: string, out: string, args: readonly string[], env: Record<string, string> = {}) =>
    runBin(['run', dataset, '--detector', spec, '--out', join(tmp, out), '--allow-no-gates', ...args], {
      cwd: tmp,
      env,
      timeoutMs: 180_000,
    });
  const run = (b: Behaviour, out: string = b) =>
    runSpec(a.detector(b, tmp), out, b === 'hang' ? [...a.args, ...(a.hangArgs ?? [])] : a.args, a.env?.(b) ?? {});
  const metrics = (out: string) => summaryOf(join(tmp, out)).scenarios[0]?.metrics ?? {};
  const alertsFile = (out: string) => readFileSync(join(tmp, out, 'alerts', 'small', 'seed-7.jsonl'), 'utf8');

  beforeAll(async () => {
    writeFileSync(join(tmp, 'small.yaml'), smallScenario());
    const g = await runBin(['generate', join(tmp, 'small.yaml'), '--out', dataset], { cwd: tmp });
    expect(g.code, g.stderr).toBe(0);
  }, 120_000);

  describe(`adapter contract: ${a.name}`, () => {
    it('always alerts: every campaign detected, nothing missed', async () => {
      const r = await run('always');
      expect(r.code, r.stderr).toBe(0);
      const m = metrics('always');
      expect(m.recall?.value).toBe(1);
      for (const k of ['missed_unobservable', 'missed_never_collected', 'missed_not_detected'])
        expect(m[k]?.value).toBe(0);
    });

    if (a.deterministic) {
      it('two runs give byte-identical summary.json', async () => {
        const r = await run('always', 'always-again');
        expect(r.code, r.stderr).toBe(0);
        expect(readFileSync(join(tmp, 'always-again', 'summary.json'), 'utf8')).toBe(
          readFileSync(join(tmp, 'always', 'summary.json'), 'utf8'),
        );
      });
    }

    it('never alerts: the miss is "collected, not detected"', async () => {
      const r = await run('never');
      expect(r.code, r.stderr).toBe(0);
      const m = metrics('never');
      expect(m.recall?.value).toBe(0);
      expect(m.missed_not_detected?.value).toBe(1);
      expect(m.missed_never_collected?.value).toBe(0);
    });

    it('alerts late: detected, with a later arrival than alerting at once', async () => {
      const r = await run('late');
      expect(r.code, r.stderr).toBe(0);
      expect(metrics('late').recall?.value).toBe(1);
      const late = metrics('late')['latency.p95']?.value as number;
      const early = metrics('always')['latency.p95']?.value as number;
      if (a.reasons?.lateLatency) expect(late).toBeGreaterThanOrEqual(early);
      else expect(late).toBeGreaterThan(early);
    });

    it('crashes: exit 2 with its partial results and why', async () => {
      const r = await run('crash');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(a.crashMessage);
      expect(r.stderr).toContain('fatal: rule engine exploded');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(alertsFile('crash')).toContain('"rule":"before-crash"');
      expect(existsSync(join(tmp, 'crash', 'junit.xml'))).toBe(true);
      if (a.crashBeforeCampaign) {
        expect(metrics('crash').missed_never_collected?.value).toBe(1);
        expect(metrics('crash').missed_not_detected?.value).toBe(0);
      }
    });

    it('hangs: stopped, exit 2 with what it emitted before', async () => {
      const r = await run('hang');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(a.hangMessage);
      expect(alertsFile('hang')).toContain('"rule":"before-hang"');
      expect(summaryOf(join(tmp, 'hang')).problems.join('\n')).toMatch(/failed \(timeout\)/);
    });

    it('floods: counted, kept bounded, exit 2', async () => {
      const r = await run('flood');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/failed \(flood\)/);
      expect(alertsFile('flood').split('\n').length).toBeLessThanOrEqual(100_002);
    });

    it('writes garbage: each malformed alert reported and counted (exit 4), the good one kept', async () => {
      const r = await run('garbage');
      expect(r.code, r.stderr).toBe(4);
      expect(metrics('garbage').malformed_alerts?.value).toBe(2);
      const problems = summaryOf(join(tmp, 'garbage')).problems.join('\n');
      for (const where of a.garbagePositions ?? []) expect(problems).toMatch(where);
      expect(alertsFile('garbage')).toContain('"rule":"ok"');
    });

    a.extra?.({ tmp, run: (spec, out, args) => runSpec(spec, out, args) });
  });
}

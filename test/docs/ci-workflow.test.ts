/**
 * docs/ci/detections.yml, the GitHub Actions workflow of a detection repository gating its pull
 * requests with enumbench: a well-formed workflow, and every enumbench command it runs exists in
 * our CLI with every option it passes (read from the command's own --help), its values accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDetectorSpec } from '../../harness/run/detector-spec.js';
import { parseReportFormats } from '../../harness/run/write-reports.js';
import { parseMaxRegression } from '../../src/thresholds/index.js';
import { ROOT, runInProcess } from '../helpers/cli.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
const workflow = parse(readFileSync(join(ROOT, 'docs', 'ci', 'detections.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

/** `npx enumbench SUB ARGS` in the run scripts, as the shell splits them (quotes kept together) */
function invocations(): { sub: string; args: string[] }[] {
  const out: { sub: string; args: string[] }[] = [];
  for (const s of steps) {
    for (const line of (s.run ?? '').replace(/\\\n/g, ' ').split('\n')) {
      const m = /npx enumbench\s+(.*)$/.exec(line);
      if (!m) continue;
      const words = [...(m[1] as string).matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((w) =>
        w[0].replace(/["']/g, ''),
      );
      out.push({ sub: words[0] as string, args: words.slice(1) });
    }
  }
  return out;
}

describe('docs/ci/detections.yml', () => {
  it('is a workflow gating pull requests: triggers, a job with steps that each use an action or run a command', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    for (const job of Object.values(workflow.jobs)) {
      expect(job['runs-on']).toMatch(/ubuntu/);
      for (const s of job.steps) expect(Boolean(s.uses) !== Boolean(s.run)).toBe(true);
    }
    // the JUnit report published, the reports kept even when the gate fails
    const junit = steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'));
    expect(junit?.with?.report_paths).toBe('out/junit.xml');
    expect(junit?.if).toContain('!cancelled()');
  });

  it('runs enumbench validate and run, with a baseline, JUnit and Markdown reports', () => {
    const subs = invocations().map((i) => i.sub);
    expect(subs).toEqual(['validate', 'run']);
    const run = invocations().find((i) => i.sub === 'run')?.args ?? [];
    for (const flag of ['--baseline', '--report', '--out', '--detector']) expect(run).toContain(flag);
  });

  it('every command and option it passes exists in our CLI, and the values parse', async () => {
    for (const { sub, args } of invocations()) {
      const help = await runInProcess(ROOT, [sub, '--help']);
      expect(help.code, `enumbench ${sub}`).toBe(0);
      for (const flag of args.filter((a) => a.startsWith('--'))) {
        expect(help.stdout, `enumbench ${sub} ${flag}`).toContain(`${flag} `);
      }
      const value = (flag: string) => args[args.indexOf(flag) + 1] as string;
      if (sub !== 'run') continue;
      expect(parseDetectorSpec(value('--detector')).kind).toBe('process');
      expect(parseMaxRegression(value('--max-regression')).ok).toBe(true);
      expect(parseReportFormats(value('--report'))).toEqual(expect.arrayContaining(['junit', 'md', 'json']));
      expect(value('--speed')).toBe('lockstep');
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildSummary,
  commandLine,
  type Report,
  renderConsole,
  renderJUnit,
  renderMarkdown,
  renderSummaryJson,
  reportOutcome,
  shellQuote,
  verdictText,
} from '../../src/report/index.js';
import { parseThresholdLine, type Threshold } from '../../src/scenario/thresholds.js';
import { combineScorecards, scoreRun } from '../../src/scoring/index.js';
import { builtinVerdicts, evaluateThresholds } from '../../src/thresholds/index.js';
import { expectGolden } from '../golden.js';
import { HELPDESK, makeDelivery, makeLabels, makeTruth, received, SYNC, VICTIM } from '../scoring/world.js';

function th(line: string): Threshold {
  const r = parseThresholdLine(line);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

function makeReport(): Report {
  const card = scoreRun({
    truth: makeTruth(),
    labels: makeLabels(),
    delivery: makeDelivery(),
    alerts: [
      received(
        { rule: 'graph-bulk-listing', principal: HELPDESK, evidence: ['h1', 'h2', 'h3'], time: '2026-11-02T10:55:00Z' },
        655,
      ),
      received(
        { rule: 'graph-bulk-listing', principal: SYNC, evidence: ['s1', 's2', 's3'], time: '2026-11-02T01:35:00Z' },
        95,
      ),
      received(
        { rule: 'graph-bulk-listing', principal: SYNC, evidence: ['s1', 's2', 's3'], time: '2026-11-02T01:35:00Z' },
        96,
      ),
      received({ rule: 'new-session-listing', principal: VICTIM, time: '2026-11-03T01:50:00Z' }, 1550),
    ],
  });
  const thresholds = [
    th('recall{technique:azurehound}>=1'),
    th('recall>=0.95'),
    th('precision>=0.5'),
    th('latency.p95<=2h'),
    th('false_positives_per_day<=1'),
    th('recall{technique:graphrunner}==1'),
  ];
  return {
    tool: { name: 'enumbench', version: '0.1.0' },
    command: 'run',
    scenarios: [
      {
        name: 'unit',
        card,
        verdicts: [...evaluateThresholds(card, thresholds, 'expect'), ...builtinVerdicts(card)],
        gates: [
          { origin: 'expect', from: 'scenarios/unit.yaml', count: 6 },
          { origin: 'builtin', from: 'enumbench', count: 1, note: 'no leaks' },
        ],
        replay: 'enumbench run scenarios/unit.yaml --seed 1089 --detector builtin:volume',
      },
    ],
    problems: ['alerts.jsonl:7: unknown field "severty"'],
  };
}

describe('renderers', () => {
  const report = makeReport();

  it('summary.json (golden)', () => {
    const json = renderSummaryJson(report);
    expectGolden('report/summary.json', json);
    const parsed = JSON.parse(json);
    expect(parsed.schemaVersion).toBe(2);
    expect(parsed.outcome).toBe('invalid');
    expect(json).not.toContain('NaN');
  });

  it('console (golden)', () => {
    const text = renderConsole(report);
    expectGolden('report/console.txt', text);
    expect(text).toContain('✓ recall{technique:azurehound} >= 1  observed=1.00 (n=1, 95% ≥ 0.21)');
  });

  it('JUnit (golden): one test case per scenario × threshold, failures carry the observed value', () => {
    const xml = renderJUnit(report);
    expectGolden('report/junit.xml', xml);
    expect(xml).toContain('<failure message="observed=0.50 (n=2, 95% ≥ 0.09)" type="threshold">');
    expect(xml).toContain('name="recall{technique:graphrunner} == 1"');
  });

  it('Markdown (golden)', () => {
    expectGolden('report/summary.md', renderMarkdown(report));
  });

  it('outcome: invalid beats failed beats passed', () => {
    expect(reportOutcome(report)).toBe('invalid');
    expect(reportOutcome({ ...report, problems: [] })).toBe('invalid'); // graphrunner slice is an error
    const scenarios = report.scenarios.map((s) => ({ ...s, verdicts: s.verdicts.filter((v) => v.status !== 'error') }));
    expect(reportOutcome({ ...report, problems: [], scenarios })).toBe('failed');
    expect(reportOutcome({ ...report, problems: [], scenarios: [] })).toBe('passed');
  });

  it('a scenario gated by nothing but the leak check is not "passed" (issue 14): exit 4 unless allowed', () => {
    const scenarios = report.scenarios.map((s) => ({
      ...s,
      verdicts: s.verdicts.filter((v) => v.origin === 'builtin'),
      gates: s.gates.filter((g) => g.origin === 'builtin'),
    }));
    const ungated: Report = { ...report, problems: [], scenarios };
    expect(reportOutcome(ungated)).toBe('ungated');
    expect(verdictText(ungated)).toMatch(/^no gates: "unit" has no gate but the built-in leak check/);
    expect(renderConsole(ungated)).toContain('no gates: "unit"');
    expect(renderConsole(ungated)).not.toContain('passed');
    const xml = renderJUnit(ungated);
    expect(xml).toContain('<failure message="no gates: &quot;unit&quot;');
    expect(xml).toMatch(/<testsuites [^>]*failures="1"/);
    expect(buildSummary(ungated).outcome).toBe('ungated');
    expect(renderMarkdown(ungated)).toContain('no gates:');
    const allowed: Report = { ...ungated, allowNoGates: true };
    expect(reportOutcome(allowed)).toBe('passed');
    expect(verdictText(allowed)).toMatch(/^passed without gates \(--allow-no-gates\): "unit" checked for leaks only/);
    expect(renderJUnit(allowed)).toContain('<skipped message="passed without gates');
    expect(buildSummary(allowed).allowNoGates).toBe(true);
  });

  it('every report says where the gates came from', () => {
    expect(renderConsole(report)).toContain('expect: 6 gate(s) from scenarios/unit.yaml');
    expect(renderJUnit(report)).toContain(
      '<property name="gates" value="expect: 6 gate(s) from scenarios/unit.yaml"/>',
    );
    expect(renderMarkdown(report)).toContain('Gates from: expect: 6 gate(s) from scenarios/unit.yaml');
    expect(buildSummary(report).scenarios[0]?.gates[0]).toEqual({
      origin: 'expect',
      from: 'scenarios/unit.yaml',
      count: 6,
    });
  });

  it('summary.json is byte-identical for the same inputs', () => {
    expect(renderSummaryJson(makeReport())).toBe(renderSummaryJson(makeReport()));
    expect(buildSummary(report).scenarios[0]?.alerts).toEqual({
      received: 4,
      duplicates: 1,
      malformed: 0,
      history: 0,
      scored: 3,
    });
  });

  it('a scenario judged over several seeds (golden console and summary.json)', () => {
    const cards = [1089, 7, 99].map((seed, i) =>
      scoreRun({
        truth: { ...makeTruth(), seed },
        labels: makeLabels(),
        delivery: makeDelivery(),
        alerts: i === 2 ? [] : [received({ rule: 'graph-bulk-listing', sessionId: 'sess-hound' }, 640 + i * 30)],
      }),
    );
    const card = combineScorecards(cards);
    const multi: Report = {
      tool: { name: 'enumbench', version: '0.1.0' },
      command: 'run',
      scenarios: [
        {
          name: 'unit',
          card,
          verdicts: [
            ...evaluateThresholds(card, [th('recall.lower>=0.2'), th('recall{technique:azurehound}>=0.6')], 'expect'),
          ],
          gates: [
            {
              origin: 'expect',
              from: 'out/datasets/unit/seed-1089/manifest.json',
              count: 2,
              note: 'expect sha256 0123456789ab',
            },
          ],
          replay: 'enumbench run scenarios/unit.yaml --seed 1089 --seeds 3 --detector builtin:volume',
        },
      ],
      problems: [],
    };
    expectGolden('report/multi-seed-console.txt', renderConsole(multi));
    expectGolden('report/multi-seed-summary.json', renderSummaryJson(multi));
    expect(card.metrics['recall{technique:azurehound}']).toMatchObject({ n: 3, k: 2 });
  });

  it('replay commands quote what a shell would split', () => {
    expect(shellQuote('builtin:volume')).toBe('builtin:volume');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(commandLine(['enumbench', 'run', 'a b.yaml', '--threshold', 'recall>=1'])).toBe(
      "enumbench run 'a b.yaml' --threshold 'recall>=1'",
    );
  });
});

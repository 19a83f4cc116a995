/**
 * The console summary, in the spirit of k6: headline figures with dotted leaders, slices by
 * technique and profile, then one line per gate — `✓ recall{technique:azurehound} >= 1
 * observed=1.00 (n=20, 95% ≥ 0.84)` — and the command that reproduces the run.
 */
import type { Scorecard } from '../scoring/types.js';
import type { Verdict } from '../thresholds/types.js';
import { fmt, fmtDays, fmtDist, fmtObserved, fmtRate, trustedArrivalMark } from './format.js';
import { gateSourceLine, type Report, reportOutcome, type ScenarioReport, verdictText } from './model.js';

export interface ConsoleStyle {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const PLAIN: ConsoleStyle = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

function line(label: string, value: string, st: ConsoleStyle): string {
  const dots = '.'.repeat(Math.max(2, 28 - label.length));
  return `  ${label}${st.dim(dots)}: ${value}\n`;
}

export function verdictLine(v: Verdict, st: ConsoleStyle = PLAIN): string {
  const mark = v.status === 'pass' ? st.green('✓') : v.status === 'fail' ? st.red('✗') : st.yellow('!');
  const origin = v.origin === 'baseline' ? st.dim(' [baseline]') : v.origin === 'builtin' ? st.dim(' [built-in]') : '';
  let s = `  ${mark} ${v.key} ${v.condition}${origin}  ${fmtObserved(v)}`;
  if (v.status !== 'pass' && v.message) s += `\n      ${v.status === 'error' ? st.yellow(v.message) : v.message}`;
  if (v.status !== 'pass' && v.hint) s += `\n      ${st.dim(`hint: ${v.hint}`)}`;
  return `${s}\n`;
}

function scenarioBlock(s: ScenarioReport, st: ConsoleStyle): string {
  const c: Scorecard = s.card;
  const m = c.metrics;
  const runs = c.runs;
  const first = runs[0];
  let out = '';
  const seeds = runs.map((r) => r.seed);
  const seedText = seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds`;
  const days = runs.reduce((t, r) => t + r.days, 0);
  out += `${st.bold(`scenario ${s.name}`)} ${st.dim(`· ${seedText} · ${fmtDays(days)} scored · sources ${first?.sources.join(', ') ?? '-'}`)}\n`;
  const hyps = [...new Set(runs.flatMap((r) => r.hypotheses))];
  if (hyps.length) out += `  ${st.yellow(`⚠ hypotheses on: ${hyps.join(', ')} — telemetry Microsoft does not emit`)}\n`;
  const trusted = trustedArrivalMark(runs);
  if (trusted) out += `  ${st.yellow(`⚠ ${trusted}`)}\n`;
  out += '\n';
  const cs = c.campaigns;
  out += line(
    'campaigns',
    `${cs.length} (observable ${cs.filter((x) => x.observable).length}, detected ${cs.filter((x) => x.detected).length}, weak only ${cs.filter((x) => x.weaklyDetected && !x.detected).length})`,
    st,
  );
  out += line('recall', fmtRate(m.recall, m['recall.lower'], m['recall.upper']), st);
  out += line('weak_recall', fmtRate(m.weak_recall, m['weak_recall.lower'], m['weak_recall.upper']), st);
  out += line('max_recall', fmt('ratio', m.max_recall?.value), st);
  out += line(
    'precision',
    m.precision?.n
      ? `${fmtRate(m.precision, m['precision.lower'], m['precision.upper'])} incidents`
      : 'undefined (no incidents)',
    st,
  );
  out += line('f1', fmt('ratio', m.f1?.value), st);
  out += line('evidence_precision', fmt('ratio', m.evidence_precision?.value), st);
  out += line(
    'false_positives_per_day',
    `${fmt('per_day', m.false_positives_per_day?.value)} (${m.false_positives?.value ?? 0} incident(s))`,
    st,
  );
  const alerts = runs.reduce((t, r) => t + r.alerts.received, 0);
  const dups = runs.reduce((t, r) => t + r.alerts.duplicates, 0);
  out += line(
    'alerts_per_day',
    `${fmt('per_day', m.alerts_per_day?.value)} (${alerts} received, ${dups} duplicate(s))`,
    st,
  );
  out += line('latency', fmtDist(m, 'latency'), st);
  out += line('latency_from_available', fmtDist(m, 'latency_from_available'), st);
  out += line('processing_delay', fmtDist(m, 'processing_delay'), st);
  const ledger = runs.every((r) => r.inputs.ledger);
  out += line(
    'missed',
    `unobservable=${m.missed_unobservable?.value ?? 0} never_collected=${m.missed_never_collected?.value ?? 0}${ledger ? '' : ' (no ledger)'} not_detected=${m.missed_not_detected?.value ?? 0}`,
    st,
  );
  out += line('leaks', String(m.leaks?.value ?? 0), st);
  out += line('malformed_alerts', String(m.malformed_alerts?.value ?? 0), st);

  const techniques = [...new Set(cs.map((x) => x.technique))].sort();
  if (techniques.length) {
    out += `\n  ${st.bold('by technique')}\n`;
    const w = Math.max(...techniques.map((t) => t.length));
    for (const t of techniques) {
      const k = (name: string) => m[`${name}{technique:${t}}`];
      out += `    ${t.padEnd(w)}  recall=${fmtRate(k('recall'))}  latency.p95=${fmt('duration', k('latency.p95')?.value)}\n`;
    }
  }
  const fps = c.incidents.filter((i) => i.kind === 'fp');
  if (fps.length) {
    out += `\n  ${st.bold('false positives by profile')}\n`;
    const byProfile = new Map<string, number>();
    for (const i of fps) byProfile.set(i.profile ?? 'unknown', (byProfile.get(i.profile ?? 'unknown') ?? 0) + 1);
    const names = [...byProfile.keys()].sort();
    const w = Math.max(...names.map((n) => n.length));
    for (const p of names) {
      const perDay = days > 0 ? (byProfile.get(p) as number) / days : null;
      out += `    ${p.padEnd(w)}  ${byProfile.get(p)} incident(s), ${fmt('per_day', perDay)}/day\n`;
    }
  }
  if (s.verdicts.length) {
    out += `\n  ${st.bold('thresholds')}\n`;
    for (const v of s.verdicts) out += verdictLine(v, st);
  }
  if (s.gates.length) {
    out += `\n  ${st.bold('gates from')}\n`;
    for (const g of s.gates) out += `    ${st.dim(`- ${gateSourceLine(g)}`)}\n`;
  }
  if (c.notes.length) {
    out += `\n  ${st.bold('notes')}\n`;
    for (const n of c.notes) out += `    ${st.dim(`- ${n}`)}\n`;
  }
  out += `\n  ${st.dim('replay:')} ${s.replay}\n`;
  return out;
}

export function renderConsole(r: Report, st: ConsoleStyle = PLAIN): string {
  let out = '';
  for (const s of r.scenarios) out += `${scenarioBlock(s, st)}\n`;
  if (r.problems.length) {
    out += `${st.bold('problems in the inputs')}\n`;
    for (const p of r.problems) out += `  ${st.yellow('!')} ${p}\n`;
    out += '\n';
  }
  const outcome = reportOutcome(r);
  const paint = outcome === 'passed' ? st.green : outcome === 'failed' ? st.red : st.yellow;
  const text = paint(verdictText(r));
  out += `${text}\n`;
  return out;
}

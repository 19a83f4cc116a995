/**
 * JUnit XML for CI: one <testsuite> per scenario, one <testcase> per scenario × threshold condition;
 * a crossed gate is a <failure> carrying the observed value, a gate that cannot be evaluated an
 * <error>. Hand-built (junit-report-builder reaches for the file system at import) and deterministic:
 * no timestamps, no durations.
 */
import { xmlEscape } from '../core/xml.js';
import { fmtObserved, trustedArrivalMark } from './format.js';
import { gateSourceLine, type Report, reportOutcome, ungatedScenarios, verdictText } from './model.js';

export function renderJUnit(r: Report): string {
  const all = r.scenarios.flatMap((s) => s.verdicts);
  const count = (st: string, list = all) => list.filter((v) => v.status === st).length;
  const problems = r.problems.length ? 1 : 0;
  // a scenario gated by nothing is a failed test case, so a CI dashboard never shows it all green
  const ungated = ungatedScenarios(r).length ? (reportOutcome(r) === 'ungated' ? 'failure' : 'skipped') : null;
  const ungatedFailures = ungated === 'failure' ? 1 : 0;
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n';
  x += `<testsuites name="enumbench ${xmlEscape(r.command)}" tests="${all.length + problems + (ungated ? 1 : 0)}" failures="${count('fail') + ungatedFailures}" errors="${count('error') + problems}">\n`;
  for (const s of r.scenarios) {
    const v = s.verdicts;
    x += `  <testsuite name="${xmlEscape(s.name)}" tests="${v.length}" failures="${count('fail', v)}" errors="${count('error', v)}" skipped="0">\n`;
    const seeds = s.card.runs.map((run) => run.seed).join(',');
    const trusted = trustedArrivalMark(s.card.runs);
    x += `    <properties>\n      <property name="seeds" value="${xmlEscape(seeds)}"/>\n      <property name="replay" value="${xmlEscape(s.replay)}"/>\n`;
    if (trusted) x += `      <property name="arrival" value="${xmlEscape(trusted)}"/>\n`;
    for (const g of s.gates) x += `      <property name="gates" value="${xmlEscape(gateSourceLine(g))}"/>\n`;
    x += '    </properties>\n';
    for (const verdict of v) {
      const name = `${verdict.key} ${verdict.condition}`;
      const classname = `enumbench.${s.name}`;
      const observed = fmtObserved(verdict);
      if (verdict.status === 'pass') {
        x += `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}"/>\n`;
        continue;
      }
      const tag = verdict.status === 'fail' ? 'failure' : 'error';
      const message = `${observed}${verdict.message ? `: ${verdict.message}` : ''}`;
      const body = [
        `${verdict.key} ${verdict.condition}`,
        observed,
        ...(verdict.message ? [verdict.message] : []),
        ...(verdict.hint ? [`hint: ${verdict.hint}`] : []),
        `replay: ${s.replay}`,
      ].join('\n');
      x += `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}">\n`;
      x += `      <${tag} message="${xmlEscape(message)}" type="${verdict.status === 'fail' ? 'threshold' : 'unavailable'}">${xmlEscape(body)}</${tag}>\n`;
      x += '    </testcase>\n';
    }
    x += '  </testsuite>\n';
  }
  if (ungated) {
    const text = xmlEscape(verdictText(r));
    x += `  <testsuite name="gates" tests="1" failures="${ungatedFailures}" errors="0" skipped="${1 - ungatedFailures}">\n`;
    x += `    <testcase classname="enumbench.gates" name="every scenario has a gate">\n`;
    x +=
      ungated === 'failure'
        ? `      <failure message="${text}" type="no-gates">${text}</failure>\n`
        : `      <skipped message="${text}"/>\n`;
    x += '    </testcase>\n  </testsuite>\n';
  }
  if (problems) {
    x += `  <testsuite name="inputs" tests="1" failures="0" errors="1" skipped="0">\n`;
    x += `    <testcase classname="enumbench.inputs" name="inputs are valid">\n`;
    x += `      <error message="${xmlEscape(`${r.problems.length} problem(s) in the inputs`)}" type="invalid-input">${xmlEscape(r.problems.join('\n'))}</error>\n`;
    x += '    </testcase>\n  </testsuite>\n';
  }
  x += '</testsuites>\n';
  return x;
}

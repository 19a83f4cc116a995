/** Markdown for `$GITHUB_STEP_SUMMARY` and PR comments. */
import { fmt, fmtDist, fmtObserved, fmtRate, trustedArrivalMark } from './format.js';
import { gateSourceLine, type Report, reportOutcome, verdictText } from './model.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(r: Report): string {
  const outcome = reportOutcome(r);
  const icon = outcome === 'passed' ? '✅' : outcome === 'failed' ? '❌' : '⚠️';
  let md = `## ${icon} enumbench ${r.command}: ${outcome}\n\n${cell(verdictText(r))}\n\n`;
  for (const s of r.scenarios) {
    const c = s.card;
    const m = c.metrics;
    const seeds = c.runs.map((x) => x.seed);
    md += `### ${cell(s.name)} (${seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds`})\n\n`;
    const hyps = [...new Set(c.runs.flatMap((x) => x.hypotheses))];
    if (hyps.length) md += `> ⚠️ **Hypotheses on:** ${hyps.join(', ')} — telemetry Microsoft does not emit.\n\n`;
    const trusted = trustedArrivalMark(c.runs);
    if (trusted) md += `> ⚠️ **${trusted}**\n\n`;
    if (s.verdicts.length) {
      md += '| | gate | observed | note |\n|---|---|---|---|\n';
      for (const v of s.verdicts) {
        const mark = v.status === 'pass' ? '✓' : v.status === 'fail' ? '✗' : '!';
        md += `| ${mark} | \`${cell(`${v.key} ${v.condition}`)}\` | ${cell(fmtObserved(v).replace(/^observed=/, ''))} | ${cell(v.status === 'pass' ? '' : (v.message ?? ''))} |\n`;
      }
      md += '\n';
    }
    if (s.gates.length) md += `Gates from: ${s.gates.map((g) => cell(gateSourceLine(g))).join('; ')}\n\n`;
    md += '| figure | value |\n|---|---|\n';
    md += `| recall | ${fmtRate(m.recall, m['recall.lower'], m['recall.upper'])} |\n`;
    md += `| weak recall | ${fmtRate(m.weak_recall)} |\n`;
    md += `| precision (incidents) | ${fmtRate(m.precision, m['precision.lower'], m['precision.upper'])} |\n`;
    md += `| F1 | ${fmt('ratio', m.f1?.value)} |\n`;
    md += `| false positives / day | ${fmt('per_day', m.false_positives_per_day?.value)} |\n`;
    md += `| alerts / day | ${fmt('per_day', m.alerts_per_day?.value)} |\n`;
    md += `| latency | ${fmtDist(m, 'latency')} |\n`;
    md += `| latency from availability | ${fmtDist(m, 'latency_from_available')} |\n`;
    md += `| missed (unobservable / never collected / not detected) | ${m.missed_unobservable?.value ?? 0} / ${m.missed_never_collected?.value ?? 0} / ${m.missed_not_detected?.value ?? 0} |\n`;
    md += `| leaks | ${m.leaks?.value ?? 0} |\n\n`;
    const techniques = [...new Set(c.campaigns.map((x) => x.technique))].sort();
    if (techniques.length) {
      md += '| technique | recall | latency p95 |\n|---|---|---|\n';
      for (const t of techniques) {
        md += `| ${cell(t)} | ${fmtRate(m[`recall{technique:${t}}`])} | ${fmt('duration', m[`latency.p95{technique:${t}}`]?.value)} |\n`;
      }
      md += '\n';
    }
    const profiles = Object.keys(m)
      .filter((k) => k.startsWith('false_positives{profile:'))
      .map((k) => k.slice('false_positives{profile:'.length, -1));
    if (profiles.length) {
      md += '| false positives by profile | incidents | per day |\n|---|---|---|\n';
      for (const p of profiles) {
        md += `| ${cell(p)} | ${m[`false_positives{profile:${p}}`]?.value ?? 0} | ${fmt('per_day', m[`false_positives_per_day{profile:${p}}`]?.value)} |\n`;
      }
      md += '\n';
    }
    md += `Replay:\n\n\`\`\`sh\n${s.replay}\n\`\`\`\n\n`;
  }
  if (r.problems.length) {
    md += '**Problems in the inputs**\n\n';
    for (const p of r.problems) md += `- ${cell(p)}\n`;
    md += '\n';
  }
  return md;
}

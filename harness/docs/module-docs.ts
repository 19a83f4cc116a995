/**
 * Documentation generated from the modules themselves (STYLE.md 13: docs cannot drift): one page
 * per technique (`docs/techniques/<id>.md`) and per profile (`docs/profiles/<id>.md`), plus an index
 * and the ATT&CK mapping table. Pure renderers; harness/scripts/gen-docs.ts writes the files and a
 * test fails when they are stale.
 */
import type { ModuleInfo, OptionSpec } from '../../src/core/catalog.js';
import { HYPOTHESES, SOURCES, type SourceId } from '../../src/core/sources.js';

export interface SampleRecord {
  source: SourceId;
  record: unknown;
}

function optionType(spec: OptionSpec): string {
  switch (spec.type) {
    case 'enum':
      return `one of ${spec.values.map((v) => `\`${v}\``).join(', ')}`;
    case 'list':
      return spec.values ? `list of ${spec.values.map((v) => `\`${v}\``).join(', ')}` : 'list of strings';
    case 'integer':
    case 'number': {
      const bounds = [spec.min !== undefined ? `≥ ${spec.min}` : '', spec.max !== undefined ? `≤ ${spec.max}` : '']
        .filter(Boolean)
        .join(', ');
      return `${spec.type}${bounds ? ` (${bounds})` : ''}${spec.rangeable ? ', range allowed' : ''}`;
    }
    case 'duration': {
      const bounds = [spec.min !== undefined ? `≥ ${spec.min}` : '', spec.max !== undefined ? `≤ ${spec.max}` : '']
        .filter(Boolean)
        .join(', ');
      return `duration${bounds ? ` (${bounds})` : ''}${spec.rangeable ? ', range allowed' : ''}`;
    }
    case 'rate':
      return `rate${spec.rangeable ? ', range allowed' : ''}`;
    default:
      return spec.type;
  }
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function defaultText(spec: OptionSpec): string {
  if (spec.default === undefined) return '—';
  if (Array.isArray(spec.default)) return `\`[${spec.default.join(', ')}]\``;
  return `\`${String(spec.default)}\``;
}

export function renderModulePage(info: ModuleInfo, samples: readonly SampleRecord[] = []): string {
  const lines: string[] = [];
  lines.push(`<!-- generated from the ${info.kind} module by \`npm run docs\`; do not edit by hand -->`);
  lines.push(`# ${info.name} (\`${info.id}\`)`, '');
  lines.push(
    `${info.kind === 'technique' ? 'Attack technique' : 'Benign profile'}${info.attack.length ? ` · ATT&CK ${info.attack.map((a) => `[${a}](https://attack.mitre.org/techniques/${a.replace('.', '/')}/)`).join(', ')}` : ''}`,
    '',
  );
  lines.push(`**${info.summary}**`, '');
  if (info.description) lines.push(info.description, '');
  lines.push('## Telemetry', '');
  if (info.observability?.length) {
    lines.push('| source | what it shows | condition |', '|---|---|---|');
    for (const o of info.observability) {
      const hyp = o.hypothesis ? HYPOTHESES.find((h) => h.id === o.hypothesis) : undefined;
      lines.push(
        `| ${SOURCES[o.source].title} (\`${o.source}\`) | ${cell(o.shows)}${o.context ? ' — *attacker context*' : ''} | ${hyp ? `only under the hypothesis \`${hyp.id}\`` : 'collected by the tenant'} |`,
      );
    }
    if (info.observability.some((o) => o.context))
      lines.push(
        '',
        "*Attacker context*: the attacker's own records that are not the technique (its sign-ins). An alert on them is a weak match of the campaign — neither a detection nor a false positive — and a tenant that collects only those sources cannot see the technique ([scoring](../scoring.md#labels-evidence-context-benign)).",
      );
    const seen = new Set(info.observability.map((o) => o.source));
    const unseen = (Object.keys(SOURCES) as SourceId[]).filter((s) => !seen.has(s));
    if (unseen.length) lines.push('', `Not visible in: ${unseen.map((s) => `\`${s}\``).join(', ')}.`);
  } else {
    lines.push('Nothing any collected source shows: this activity is **unobservable** in Microsoft 365 telemetry.');
  }
  if (info.behaviour?.length) {
    lines.push(
      '',
      '## Behaviour its records show',
      '',
      "What sets this technique's records apart and is what the tool does, not how the service writes a record: a rule may use it, and the [leak classifier](../adversarial.md#the-leak-classifier), which hunts formatting marks, leaves it out on purpose.",
      '',
    );
    for (const b of info.behaviour) lines.push(`- ${b}`);
  }
  lines.push('', '## Options', '');
  const opts = Object.entries(info.options);
  if (opts.length) {
    lines.push('| option | type | default | meaning |', '|---|---|---|---|');
    for (const [name, spec] of opts)
      lines.push(
        `| \`${name}\` | ${cell(optionType(spec))} | ${cell(defaultText(spec))} | ${cell(spec.description)} |`,
      );
  } else {
    lines.push('None.');
  }
  lines.push('', '## In a scenario', '', '```yaml');
  if (info.kind === 'technique') lines.push('attacks:', `  - technique: ${info.id}`);
  else lines.push('activity:', `  - profile: ${info.id}`);
  if (opts.length) {
    lines.push('    options:');
    for (const [name, spec] of opts.slice(0, 4)) {
      if (spec.default !== undefined)
        lines.push(
          `      ${name}: ${Array.isArray(spec.default) ? `[${spec.default.join(', ')}]` : JSON.stringify(spec.default)}`,
        );
    }
  }
  lines.push('```');
  if (samples.length) {
    lines.push('', '## Sample records', '', 'Generated with the default options and seed 1 (one per source):');
    for (const s of samples) {
      lines.push('', `### ${SOURCES[s.source].title}`, '', '```json', JSON.stringify(s.record, null, 2), '```');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The ATT&CK mapping table (README and docs index). */
export function renderAttackTable(techniques: readonly ModuleInfo[]): string {
  const rows = ['| technique | ATT&CK | visible in |', '|---|---|---|'];
  for (const t of techniques) {
    const sources = [
      ...new Set(
        (t.observability ?? [])
          .filter((o) => !o.context)
          .map((o) => `\`${o.source}\`${o.hypothesis ? ` (hypothesis \`${o.hypothesis}\`)` : ''}`),
      ),
    ];
    rows.push(
      `| [\`${t.id}\`](techniques/${t.id}.md) ${cell(t.name)} | ${t.attack.join(', ')} | ${sources.length ? sources.join(', ') : 'nothing: unobservable'} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}

export function renderIndex(techniques: readonly ModuleInfo[], profiles: readonly ModuleInfo[]): string {
  const lines = ['<!-- generated by `npm run docs`; do not edit by hand -->', '# Techniques and profiles', ''];
  lines.push(
    '## Attack techniques',
    '',
    techniques.length ? renderAttackTable(techniques) : 'None registered yet.',
    '',
  );
  lines.push('## Benign profiles', '');
  if (profiles.length) {
    lines.push('| profile | what it does |', '|---|---|');
    for (const p of profiles) lines.push(`| [\`${p.id}\`](profiles/${p.id}.md) | ${cell(p.summary)} |`);
  } else {
    lines.push('None registered yet.');
  }
  return `${lines.join('\n')}\n`;
}

/** Every generated docs file: relative path → content. */
export function renderModuleDocs(
  techniques: readonly ModuleInfo[],
  profiles: readonly ModuleInfo[],
  samples: (info: ModuleInfo) => readonly SampleRecord[] = () => [],
): Map<string, string> {
  const files = new Map<string, string>();
  files.set('modules.md', renderIndex(techniques, profiles));
  for (const t of techniques) files.set(`techniques/${t.id}.md`, renderModulePage(t, samples(t)));
  for (const p of profiles) files.set(`profiles/${p.id}.md`, renderModulePage(p, samples(p)));
  return files;
}

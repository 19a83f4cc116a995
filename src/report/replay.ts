/** The one-line command that reproduces a run (DESIGN.md "Reproducibility"). */

/** Quote for a POSIX shell only when needed. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}

export interface RunReplay {
  scenarios: readonly string[];
  seed: number;
  seeds?: number;
  detector?: string;
  thresholds?: readonly string[];
  extra?: readonly string[];
}

/** `enumbench run scenarios/quickstart.yaml --seed 1089 --detector builtin:volume` */
export function runReplay(r: RunReplay): string {
  const args = ['enumbench', 'run', ...r.scenarios, '--seed', String(r.seed)];
  if (r.seeds !== undefined && r.seeds > 1) args.push('--seeds', String(r.seeds));
  if (r.detector) args.push('--detector', r.detector);
  for (const t of r.thresholds ?? []) args.push('--threshold', t);
  args.push(...(r.extra ?? []));
  return commandLine(args);
}

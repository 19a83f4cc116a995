/** Command lines a person can paste into a POSIX shell (the replay lines of reports). */

/** Quote for a POSIX shell only when needed. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}

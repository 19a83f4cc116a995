/**
 * Sigma detection conditions (Sigma specification, "Condition"): selection names, `and`, `or`,
 * `not`, parentheses, and the quantifiers `1 of PATTERN`, `all of PATTERN`, `1 of them`,
 * `all of them`, where PATTERN may end in (or hold) `*` wildcards over selection names. Precedence:
 * `not` binds tighter than `and`, which binds tighter than `or`. Pure: a parse returns an AST or a
 * problem with its column in the condition text and a hint.
 */

export type Condition =
  | { kind: 'ref'; name: string }
  | { kind: 'not'; arg: Condition }
  | { kind: 'and' | 'or'; args: Condition[] }
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string };

export type ConditionParse =
  | { ok: true; value: Condition }
  | { ok: false; column: number; message: string; hint: string };

interface Token {
  text: string;
  /** 0-based offset in the condition text */
  at: number;
}

const TOKEN = /\s*(\(|\)|[A-Za-z0-9_*?.-]+|\S)/y;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m = TOKEN.exec(text);
  while (m) {
    const t = m[1] as string;
    out.push({ text: t, at: m.index + m[0].length - t.length });
    m = TOKEN.exec(text);
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);

class ParseError extends Error {
  constructor(
    readonly at: number,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export function parseCondition(text: string): ConditionParse {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const lower = (t: Token | undefined) => t?.text.toLowerCase();
  const fail = (t: Token | undefined, message: string, hint: string): never => {
    throw new ParseError(t ? t.at : text.length, message, hint);
  };
  const isName = (t: Token | undefined) =>
    t !== undefined && /^[A-Za-z0-9_*?.-]+$/.test(t.text) && !KEYWORDS.has(t.text.toLowerCase());

  const primary = (): Condition => {
    const t = peek();
    if (t === undefined) return fail(t, 'the condition ends too early', 'end it with a selection name or ")"');
    if (t.text === '(') {
      i++;
      const inner = or();
      if (peek()?.text !== ')') fail(peek(), 'a "(" is not closed', 'add the matching ")"');
      i++;
      return inner;
    }
    const lt = lower(t);
    if ((lt === '1' || lt === 'all' || lt === 'any') && lower(tokens[i + 1]) === 'of') {
      i += 2;
      const target = peek();
      if (lower(target) === 'them') {
        i++;
        return { kind: 'of', quantifier: lt === 'all' ? 'all' : 'one', pattern: '*' };
      }
      if (!isName(target)) {
        return fail(
          target,
          `"${t.text} of" needs a selection name pattern or "them"`,
          'e.g. "1 of selection_*" or "all of them"',
        );
      }
      i++;
      return { kind: 'of', quantifier: lt === 'all' ? 'all' : 'one', pattern: (target as Token).text };
    }
    if (/^\d+$/.test(t.text) && lower(tokens[i + 1]) === 'of') {
      return fail(t, `"${t.text} of" is not Sigma: only "1 of" and "all of" are`, 'write "1 of …" or "all of …"');
    }
    if (!isName(t)) {
      return fail(t, `unexpected "${t.text}"`, 'expected a selection name, "not", "(", "1 of" or "all of"');
    }
    i++;
    return { kind: 'ref', name: t.text };
  };
  const not = (): Condition => {
    if (lower(peek()) === 'not') {
      i++;
      return { kind: 'not', arg: not() };
    }
    return primary();
  };
  const and = (): Condition => {
    const args = [not()];
    while (lower(peek()) === 'and') {
      i++;
      args.push(not());
    }
    return args.length === 1 ? (args[0] as Condition) : { kind: 'and', args };
  };
  const or = (): Condition => {
    const args = [and()];
    while (lower(peek()) === 'or') {
      i++;
      args.push(and());
    }
    return args.length === 1 ? (args[0] as Condition) : { kind: 'or', args };
  };

  try {
    if (tokens.length === 0) fail(undefined, 'the condition is empty', 'e.g. "condition: selection and not filter"');
    const value = or();
    const rest = peek();
    if (rest !== undefined) {
      fail(
        rest,
        `unexpected "${rest.text}" after a complete condition`,
        rest.text === ')' ? 'remove the extra ")"' : 'join the parts with "and" or "or"',
      );
    }
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, column: e.at, message: e.message, hint: e.hint };
    throw e;
  }
}

/** A selection-name pattern (`selection_*`) as a RegExp. */
export function namePattern(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The canonical text of a condition (fully parenthesised): what the property test round-trips. */
export function formatCondition(c: Condition): string {
  switch (c.kind) {
    case 'ref':
      return c.name;
    case 'not':
      return `not ${formatCondition(c.arg)}`;
    case 'of':
      return `${c.quantifier === 'all' ? 'all' : '1'} of ${c.pattern === '*' ? 'them' : c.pattern}`;
    default:
      return `(${c.args.map(formatCondition).join(` ${c.kind} `)})`;
  }
}

/** Evaluate with `test(name)` giving each selection's result; `names` resolves quantifier patterns. */
export function evaluateCondition(c: Condition, test: (name: string) => boolean, names: readonly string[]): boolean {
  switch (c.kind) {
    case 'ref':
      return test(c.name);
    case 'not':
      return !evaluateCondition(c.arg, test, names);
    case 'and':
      return c.args.every((a) => evaluateCondition(a, test, names));
    case 'or':
      return c.args.some((a) => evaluateCondition(a, test, names));
    case 'of': {
      const re = namePattern(c.pattern);
      // `them` excludes names starting with an underscore (Sigma specification)
      const matched = names.filter((n) => re.test(n) && !(c.pattern === '*' && n.startsWith('_')));
      return c.quantifier === 'all' ? matched.every(test) : matched.some(test);
    }
  }
}

/** Every selection name a condition refers to (patterns as written). */
export function conditionRefs(c: Condition): { refs: string[]; patterns: string[] } {
  const refs: string[] = [];
  const patterns: string[] = [];
  const walk = (x: Condition) => {
    if (x.kind === 'ref') refs.push(x.name);
    else if (x.kind === 'of') patterns.push(x.pattern);
    else if (x.kind === 'not') walk(x.arg);
    else x.args.forEach(walk);
  };
  walk(c);
  return { refs, patterns };
}

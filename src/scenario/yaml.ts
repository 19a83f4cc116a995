/**
 * YAML with positions: parse once (the `yaml` package keeps every node's range), then point any
 * path of the document back at its line and column — the value, or the key that holds it.
 */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { yamlErrorCode } from '../core/error-codes.js';
import type { Diagnostic, SourcePosition } from '../core/errors.js';

export type PathSegment = string | number;
export type DocPath = readonly PathSegment[];

export interface ParsedYaml {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** the plain JavaScript value (undefined when the document is unusable) */
  value: unknown;
  /** YAML syntax problems (duplicate keys, bad indentation…), positioned */
  problems: Diagnostic[];
}

const YAML_HINTS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'each key may appear once per mapping: remove or merge the repeated one',
  BAD_INDENT: 'indent nested keys with spaces, consistently (two spaces per level is usual)',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation: use spaces',
  MISSING_CHAR: 'a quote, bracket or brace is not closed',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing colon or quote above',
  BLOCK_AS_IMPLICIT_KEY: 'check for a missing colon or a wrongly indented line',
  UNEXPECTED_TOKEN: 'check the characters at this position (quotes, colons, dashes)',
};

export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const problems: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push({
      code: yamlErrorCode(e.code),
      message: `YAML: ${firstLine(e.message)}`,
      hint: /end with a [}\]]/.test(e.message)
        ? 'a bracket or brace opened above is not closed'
        : (YAML_HINTS[e.code] ?? 'fix the YAML syntax at this position'),
      position: { file, line: pos.line, col: pos.col },
    });
  }
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      problems.push({
        code: 'E_YAML',
        message: `YAML: ${firstLine((e as Error).message)}`,
        hint: 'check anchors and aliases',
        position: { file, line: 1, col: 1 },
      });
    }
  }
  return { file, doc, lines, value, problems };
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * The position of a path: the node at the path if it exists ('value'), its key ('key'), or the
 * nearest existing ancestor when the path does not exist (a missing key points at its parent).
 */
export function locate(p: ParsedYaml, path: DocPath, target: 'value' | 'key' = 'value'): SourcePosition {
  let node: unknown = p.doc.contents;
  let best: { range?: [number, number, number] | null } | null = isNodeLike(node) ? node : null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSegment;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && keyText(it.key) === String(seg));
      if (!pair) break;
      if (last && target === 'key' && isNodeLike(pair.key)) {
        best = pair.key;
        break;
      }
      if (pair.value === null || pair.value === undefined || !isNodeLike(pair.value) || !pair.value.range) {
        if (isNodeLike(pair.key)) best = pair.key;
        break;
      }
      node = pair.value;
      best = pair.value;
    } else if (isSeq(node)) {
      const idx = typeof seg === 'number' ? seg : Number(seg);
      const item = Number.isInteger(idx) ? node.items[idx] : undefined;
      if (!isNodeLike(item)) break;
      node = item;
      best = item;
    } else {
      break;
    }
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = p.lines.linePos(offset);
  return { file: p.file, line: pos.line, col: pos.col };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

function isNodeLike(x: unknown): x is Node & { range?: [number, number, number] | null } {
  return typeof x === 'object' && x !== null && 'range' in x;
}

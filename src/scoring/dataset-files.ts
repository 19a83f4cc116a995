/**
 * Reading the truth side of a dataset from text (the harness reads the files): truth.json,
 * labels.jsonl and delivery.jsonl, whole or one line at a time (the harness streams large files
 * through parseLabelLine / parseDeliveryLine). Pure; every problem is reported with its line.
 *
 * Truth format 1 is read and upgraded: a campaign without `context` gets an empty one; a label line
 * without `class` is evidence when it names a campaign, attacker context when its actor is a
 * campaign actor (`attack:<id>`, how format 1 labelled gal-dump's sign-ins), else benign. A format
 * this version does not know is refused with the formats it reads.
 */
import { z } from 'zod';
import type { DeliveryEntry } from '../core/dataset.js';
import { type Diagnostic, EnumbenchError, type ErrorCode } from '../core/errors.js';
import { RECORD_CLASSES } from '../core/records.js';
import { SOURCE_IDS } from '../core/sources.js';
import { type RecordLabel, TRUTH_FORMAT_VERSION, TRUTH_FORMATS_READ, type Truth } from '../core/truth.js';

const Source = z.enum(SOURCE_IDS);
const Ms = z.number().finite();

const CampaignSchema = z.object({
  id: z.string().min(1),
  technique: z.string().min(1),
  attack: z.array(z.string()).default([]),
  principals: z.array(z.string()).default([]),
  sessions: z.array(z.string()).default([]),
  tokens: z.array(z.string()).default([]),
  ips: z.array(z.string()).default([]),
  appIds: z.array(z.string()).default([]),
  start: Ms,
  end: Ms,
  recordsBySource: z.record(z.string(), z.number()).default({}),
  firstAvailable: Ms.nullable(),
  lastAvailable: Ms.nullable(),
  context: z
    .object({
      recordsBySource: z.record(z.string(), z.number()).default({}),
      firstAvailable: Ms.nullable(),
      lastAvailable: Ms.nullable(),
    })
    .default({ recordsBySource: {}, firstAvailable: null, lastAvailable: null }),
  options: z.record(z.string(), z.unknown()).default({}),
});

const TruthSchema = z.object({
  formatVersion: z.number().int(),
  scenario: z.object({ name: z.string(), hash: z.string() }),
  seed: z.number(),
  window: z.object({ start: Ms, end: Ms, historyStart: Ms }),
  sources: z.array(Source),
  hypotheses: z.array(z.string()).default([]),
  campaigns: z.array(CampaignSchema),
  benign: z
    .array(z.object({ actor: z.string(), profile: z.string(), principals: z.array(z.string()).default([]) }))
    .default([]),
});

/** the actor id format 1 gave a campaign (`attack:<campaign id>`) */
const CAMPAIGN_ACTOR = 'attack:';

const LabelSchema = z
  .object({
    id: z.string().min(1),
    source: Source,
    time: z.number(),
    actor: z.string(),
    class: z.enum(RECORD_CLASSES as ['evidence', 'context', 'benign']).optional(),
    campaign: z.string().optional(),
    profile: z.string().optional(),
  })
  .transform((l, ctx): RecordLabel => {
    if (l.class === undefined) {
      // format 1: no class
      if (l.campaign !== undefined) return { ...l, class: 'evidence' };
      if (l.actor.startsWith(CAMPAIGN_ACTOR))
        return { ...l, class: 'context', campaign: l.actor.slice(CAMPAIGN_ACTOR.length) };
      return { ...l, class: 'benign' };
    }
    if (l.class !== 'benign' && l.campaign === undefined) {
      ctx.addIssue({ code: 'custom', message: `a ${l.class} label names its campaign`, path: ['campaign'] });
      return z.NEVER;
    }
    if (l.class === 'benign' && l.campaign !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'a benign label names no campaign', path: ['campaign'] });
      return z.NEVER;
    }
    return l as RecordLabel;
  });

const DeliverySchema = z.object({
  id: z.string().min(1),
  source: Source,
  at: Ms,
  blob: z.string(),
  contentType: z.string().optional(),
  duplicate: z.boolean().optional(),
});

function issuesToText(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

const TRUTH_HINT =
  "pass the truth.json of the dataset's answer key (`enumbench generate --out DIR` writes it into DIR.truth/)";

/** Parse truth.json text. Throws a user EnumbenchError (E_TRUTH) saying what is wrong. */
export function parseTruthText(text: string, file = 'truth.json'): Truth {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new EnumbenchError('E_TRUTH', `${file}: not valid JSON: ${(e as Error).message}`, {
      hint: TRUTH_HINT,
    });
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && !TRUTH_FORMATS_READ.includes(version)) {
    throw new EnumbenchError(
      'E_TRUTH',
      `${file}: truth format ${version} is not one this enumbench reads (it reads ${TRUTH_FORMATS_READ.join(', ')}; it writes ${TRUTH_FORMAT_VERSION})`,
      { hint: 'score it with the enumbench version that generated it, or regenerate the dataset with this one' },
    );
  }
  const r = TruthSchema.safeParse(raw);
  if (!r.success) {
    throw new EnumbenchError('E_TRUTH', `${file}: not an enumbench truth file: ${issuesToText(r.error.issues)}`, {
      hint: TRUTH_HINT,
    });
  }
  return r.data as Truth;
}

export interface LinesResult<T> {
  items: T[];
  problems: Diagnostic[];
}

/** One line of a JSONL file: its item, a problem (with its position), or null for a blank line. */
export type LineResult<T> = { ok: true; item: T } | { ok: false; problem: Diagnostic } | null;

function parseLine<T>(
  line: string,
  file: string,
  lineNo: number,
  schema: z.ZodType<T>,
  code: ErrorCode,
): LineResult<T> {
  if (line.trim() === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return {
      ok: false,
      problem: { code, message: `not valid JSON: ${(e as Error).message}`, position: { file, line: lineNo, col: 1 } },
    };
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    return {
      ok: false,
      problem: { code, message: issuesToText(r.error.issues), position: { file, line: lineNo, col: 1 } },
    };
  }
  return { ok: true, item: r.data };
}

function parseLines<T>(text: string, file: string, schema: z.ZodType<T>, code: ErrorCode): LinesResult<T> {
  const items: T[] = [];
  const problems: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const r = parseLine(lines[i] as string, file, i + 1, schema, code);
    if (r === null) continue;
    if (r.ok) items.push(r.item);
    else problems.push(r.problem);
  }
  return { items, problems };
}

const Label = LabelSchema as unknown as z.ZodType<RecordLabel>;
const Delivery = DeliverySchema as unknown as z.ZodType<DeliveryEntry>;

/** One line of labels.jsonl (1-based `lineNo`), for readers that stream the file. */
export function parseLabelLine(line: string, file: string, lineNo: number): LineResult<RecordLabel> {
  return parseLine(line, file, lineNo, Label, 'E_LABELS');
}

/** One line of delivery.jsonl (1-based `lineNo`), for readers that stream the file. */
export function parseDeliveryLine(line: string, file: string, lineNo: number): LineResult<DeliveryEntry> {
  return parseLine(line, file, lineNo, Delivery, 'E_DELIVERY');
}

export function parseLabelsText(text: string, file = 'labels.jsonl'): LinesResult<RecordLabel> {
  return parseLines(text, file, Label, 'E_LABELS');
}

export function parseDeliveryText(text: string, file = 'delivery.jsonl'): LinesResult<DeliveryEntry> {
  return parseLines(text, file, Delivery, 'E_DELIVERY');
}

/**
 * Checking one alert against the contract (CONTRACTS.md §4): `rule` is required; `principal`,
 * `sessionId` or `evidence` is required; unknown fields and wrong types are refused with a message
 * that says which field and why. Pure: returns problems, never throws. Shared by every alert
 * intake: the lockstep runner, the mock services' alert endpoint, `score` reading a file.
 */
import { ALERT_FIELDS, type Alert } from './alerts.js';

export type AlertCheck = { ok: true; alert: Alert } | { ok: false; problems: string[] };

const STRING_FIELDS = ['rule', 'principal', 'sessionId', 'ip', 'time', 'severity', 'technique'] as const;

export function checkAlert(raw: unknown): AlertCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: ['an alert must be a JSON object'] };
  }
  const obj = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(obj)) {
    if (!(ALERT_FIELDS as readonly string[]).includes(key)) {
      problems.push(`unknown field "${key}" (fields: ${ALERT_FIELDS.join(', ')}; put detector data under "details")`);
    }
  }
  for (const f of STRING_FIELDS) {
    const v = obj[f];
    if (v !== undefined && typeof v !== 'string') problems.push(`"${f}" must be a string, not ${typeName(v)}`);
  }
  if (typeof obj.rule !== 'string' || obj.rule.trim() === '') {
    if (obj.rule === undefined) problems.push('"rule" is required');
    else if (typeof obj.rule === 'string') problems.push('"rule" must not be empty');
  }
  const ev = obj.evidence;
  if (ev !== undefined) {
    if (!Array.isArray(ev)) problems.push(`"evidence" must be an array of record ids, not ${typeName(ev)}`);
    else {
      const bad = ev.findIndex((x) => typeof x !== 'string' || x === '');
      if (bad >= 0) problems.push(`"evidence[${bad}]" must be a non-empty string (a record id)`);
    }
  }
  if (
    obj.details !== undefined &&
    (obj.details === null || typeof obj.details !== 'object' || Array.isArray(obj.details))
  ) {
    problems.push(`"details" must be an object, not ${typeName(obj.details)}`);
  }
  if (typeof obj.time === 'string' && Number.isNaN(parseIsoTime(obj.time))) {
    problems.push(`"time" is not an ISO 8601 time: "${obj.time}"`);
  }
  const hasPrincipal = typeof obj.principal === 'string' && obj.principal.trim() !== '';
  const hasSession = typeof obj.sessionId === 'string' && obj.sessionId.trim() !== '';
  const hasEvidence = Array.isArray(ev) && ev.length > 0;
  if (!hasPrincipal && !hasSession && !hasEvidence) {
    problems.push('an alert needs "principal", "sessionId" or a non-empty "evidence"');
  }
  if (problems.length) return { ok: false, problems };
  const alert: Alert = { rule: obj.rule as string };
  if (obj.principal !== undefined) alert.principal = obj.principal as string;
  if (obj.sessionId !== undefined) alert.sessionId = obj.sessionId as string;
  if (obj.ip !== undefined) alert.ip = obj.ip as string;
  if (obj.evidence !== undefined) alert.evidence = (obj.evidence as string[]).slice();
  if (obj.time !== undefined) alert.time = obj.time as string;
  if (obj.severity !== undefined) alert.severity = obj.severity as string;
  if (obj.technique !== undefined) alert.technique = obj.technique as string;
  if (obj.details !== undefined) alert.details = obj.details as Record<string, unknown>;
  return { ok: true, alert };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** ISO 8601 with a zone (Z or ±hh:mm) → epoch ms; NaN when it is not one. */
export function parseIsoTime(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s.trim())) return Number.NaN;
  return Date.parse(s.trim().replace(/(\.\d{3})\d+/, '$1'));
}

/** epoch ms → ISO 8601 UTC with milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

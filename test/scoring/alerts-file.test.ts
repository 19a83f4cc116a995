import { describe, expect, it } from 'vitest';
import { checkAlert } from '../../src/core/alert-check.js';
import { formatAlertsJsonl, parseAlertsText } from '../../src/scoring/index.js';

describe('alerts file', () => {
  it('reads bench envelopes, bare alerts, a header, CRLF and a BOM', () => {
    const text = [
      '\uFEFF{"enumbench":"alerts","formatVersion":1,"dataset":{"scenario":"s","hash":"h","seed":1}}',
      '{"arrivedAt":"2026-11-02T10:00:00Z","seq":0,"alert":{"rule":"r","principal":"a"}}',
      '',
      '{"rule":"r","sessionId":"x","time":"2026-11-02T10:05:00.1234567+01:00"}',
    ].join('\r\n');
    const f = parseAlertsText(text);
    expect(f.malformed).toEqual([]);
    expect(f.dataset).toEqual({ scenario: 's', hash: 'h', seed: 1 });
    expect(f.alerts.map((a) => [a.stamp, new Date(a.arrivedAt).toISOString()])).toEqual([
      ['bench', '2026-11-02T10:00:00.000Z'],
      ['self-reported', '2026-11-02T09:05:00.123Z'],
    ]);
  });

  it('reports every malformed entry with its position, JSON array included', () => {
    const f = parseAlertsText(
      JSON.stringify([
        { rule: 'r', principal: 'a', time: '2026-11-02T10:00:00Z' },
        'nope',
        { arrivedAt: 'yesterday', alert: { rule: 'r' }, extra: 1 },
        { rule: 'r', evidence: ['ok', ''], time: '2026-11-02T10:00:00' },
      ]),
    );
    expect(f.shape).toBe('array');
    expect(f.alerts).toHaveLength(1);
    expect(f.malformed.map((m) => m.line)).toEqual([2, 3, 4]);
    expect(f.malformed[1]?.problems).toEqual([
      'unknown envelope field "extra" (fields: arrivedAt, seq, alert)',
      '"arrivedAt" must be an ISO 8601 time with a zone',
      'alert: an alert needs "principal", "sessionId" or a non-empty "evidence"',
    ]);
    expect(f.malformed[2]?.problems).toEqual([
      '"evidence[1]" must be a non-empty string (a record id)',
      '"time" is not an ISO 8601 time: "2026-11-02T10:00:00"',
    ]);
    expect(parseAlertsText('[1,').malformed[0]?.problems[0]).toMatch(/not valid JSON/);
    expect(parseAlertsText('  \n').shape).toBe('empty');
  });

  it('round-trips what the bench writes', () => {
    const alerts = [
      { alert: { rule: 'r', principal: 'a', evidence: ['x'] }, arrivedAt: Date.parse('2026-11-02T10:00:00Z'), seq: 0 },
    ];
    const f = parseAlertsText(formatAlertsJsonl(alerts, { scenario: 's', hash: 'h', seed: 2 }));
    expect(f.alerts).toEqual([{ ...alerts[0], stamp: 'bench' }]);
    expect(f.dataset?.seed).toBe(2);
  });

  it('checks alert fields', () => {
    expect(checkAlert({ rule: 'r', principal: 'p', details: { a: 1 } }).ok).toBe(true);
    const bad = checkAlert({ principal: 'p', details: [] });
    expect(bad).toEqual({ ok: false, problems: ['"rule" is required', '"details" must be an object, not an array'] });
  });
});

import { describe, expect, it } from 'vitest';
import { AlertIntake } from '../../harness/run/alert-intake.js';

const ok = { rule: 'r', principal: 'a@contoso.onmicrosoft.com' };

describe('AlertIntake', () => {
  it('takes one object, an array, or JSON lines, stamping each with the clock at arrival', () => {
    let now = 1000;
    const intake = new AlertIntake({ now: () => now });
    expect(intake.body(JSON.stringify(ok), 'POST #1')).toEqual({ accepted: 1, malformed: [] });
    now = 2000;
    expect(intake.body(JSON.stringify([ok, { ...ok, rule: 's' }]), 'POST #2').accepted).toBe(2);
    now = 3000;
    expect(intake.body(`${JSON.stringify(ok)}\n\n${JSON.stringify({ ...ok, rule: 't' })}\n`, 'POST #3').accepted).toBe(
      2,
    );
    expect(intake.alerts.map((a) => [a.alert.rule, a.arrivedAt, a.stamp])).toEqual([
      ['r', 1000, 'bench'],
      ['r', 2000, 'bench'],
      ['s', 2000, 'bench'],
      ['r', 3000, 'bench'],
      ['t', 3000, 'bench'],
    ]);
    expect(intake.alerts.map((a) => a.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports every malformed alert with its position and counts it; the good ones are kept', () => {
    const intake = new AlertIntake({ now: () => 0 });
    const r = intake.body(JSON.stringify([ok, { rule: 5, principal: 'x' }, 'text', { rule: 'r' }]), 'POST #1');
    expect(r.accepted).toBe(1);
    expect(r.malformed.map((m) => m.index)).toEqual([1, 2, 3]);
    expect(r.malformed[0]?.problems.join()).toMatch(/"rule" must be a string/);
    expect(intake.line('not json at all', 'stdout line 7')?.join()).toMatch(/not JSON/);
    expect(intake.line('   ', 'stdout line 8')).toBeNull();
    expect(intake.malformedCount).toBe(4);
    expect(intake.malformed.map((m) => m.where)).toEqual([
      'POST #1 item 1',
      'POST #1 item 2',
      'POST #1 item 3',
      'stdout line 7',
    ]);
    const lines = intake.body('{"rule":"r","principal":"p"}\n{oops\n', 'POST #2');
    expect(lines.accepted).toBe(1);
    expect(intake.malformed.at(-1)?.where).toBe('POST #2 line 2');
  });

  it('a flood keeps at most maxAlerts and counts the rest (bounded memory)', () => {
    let floods = 0;
    const intake = new AlertIntake({ now: () => 0, maxAlerts: 10, onFlood: () => floods++ });
    for (let i = 0; i < 1000; i++) intake.line(JSON.stringify({ ...ok, rule: `r${i}` }), `stdout line ${i + 1}`);
    expect(intake.alerts.length).toBe(10);
    expect(intake.dropped).toBe(990);
    expect(intake.received).toBe(1000);
    expect(intake.flooded).toBe(true);
    expect(floods).toBe(1);
  });

  it('keeps the first malformed alerts only, and counts them all', () => {
    const intake = new AlertIntake({ now: () => 0 });
    for (let i = 0; i < 500; i++) intake.line('garbage', `stdout line ${i + 1}`);
    expect(intake.malformedCount).toBe(500);
    expect(intake.malformed.length).toBe(100);
  });
});

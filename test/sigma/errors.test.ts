/**
 * Bad Sigma input is refused before any work with file:line:col, what is wrong and a hint: YAML
 * and condition syntax, fields the data does not have (did-you-mean over the real columns),
 * unsupported constructs by name, logsources enumbench does not produce or the scenario does not
 * collect. Nothing is silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { signIn, T0 } from '../detectors/published/fixtures.js';
import { refusal, rules, run, signInRule } from './helpers.js';

describe('refused Sigma input', () => {
  it('a YAML syntax error, positioned, with a hint', () => {
    const m = refusal('title: t\ndetection:\n  selection: [a\n');
    expect(m).toMatch(/rule\.yml:\d+:\d+: YAML: /);
    expect(m).toContain('hint: fix the YAML syntax at this position');
  });

  it('a condition syntax error at its column in the file, with a hint', () => {
    const m = refusal(signInRule('userAgent: x', 'selection and'));
    // the condition is on line 8, column 14; "and" is followed by nothing at column 13 of the text
    expect(m).toContain('rule.yml:8:27: condition: the condition ends too early (at column 14 of "selection and")');
    expect(m).toContain('hint: end it with a selection name');
  });

  it('a condition naming a selection the rule does not have: did you mean', () => {
    expect(refusal(signInRule('userAgent: x', 'selction'))).toMatch(
      /condition names "selction", which is not a selection of this rule[\s\S]*did you mean "selection"\?/,
    );
  });

  it('a field the data does not have: did you mean over the real columns', () => {
    const m = refusal(signInRule("userAgnt|contains: 'hound'"));
    expect(m).toContain('rule.yml:7:5: field "userAgnt" is not in SigninLogs');
    expect(m).toContain('did you mean "UserAgent"?');
  });

  it('unsupported modifiers and constructs are refused by name with file and line', () => {
    expect(refusal(signInRule("userAgent|wide|contains: 'x'"))).toContain(
      'rule.yml:7:5: unsupported Sigma construct "|wide"',
    );
    expect(refusal(signInRule("userAgent|contians: 'x'"))).toMatch(
      /unknown modifier "\|contians"[\s\S]*did you mean "\|contains"/,
    );
    expect(refusal(signInRule('userAgent: x', 'selection | count() by UserId > 5'))).toContain(
      'unsupported Sigma construct "aggregation"',
    );
    expect(refusal(`${signInRule('userAgent: x')}  timeframe: 5m\n`)).toContain(
      'unsupported Sigma construct "timeframe"',
    );
    const corr = `${signInRule('userAgent: x').replace('title: t', 'title: t\nname: base')}---
title: c
correlation:
  type: event_count
  rules: [base]
  timespan: 1h
  condition: {lt: 3}
`;
    expect(refusal(corr)).toContain('unsupported Sigma construct "condition lt"');
    expect(refusal(corr.replace('event_count', 'value_sum'))).toContain(
      'unsupported Sigma construct "type: value_sum"',
    );
    expect(refusal(corr.replace('rules: [base]', 'rules: [bsae]'))).toMatch(
      /no rule named "bsae"[\s\S]*did you mean "base"/,
    );
  });

  it('a correlation without a timespan would count without bound: refused, positioned, with a hint', () => {
    const corr = `${signInRule('userAgent: x').replace('title: t', 'title: t\nname: base')}---
title: c
correlation:
  type: event_count
  rules: [base]
  group-by: [UserId]
  condition: {gte: 3}
`;
    const m = refusal(corr);
    expect(m).toMatch(
      /rule\.yml:\d+:\d+: a correlation needs a timespan: without one it would count over the whole replay, without bound/,
    );
    expect(m).toContain('hint: e.g. timespan: 1h');
  });

  it('a logsource enumbench does not produce, with the ones it does', () => {
    const m = refusal(signInRule('Image: x').replace('service: signinlogs', 'service: auditlogs'));
    expect(m).toContain('matches nothing enumbench produces');
    expect(m).toContain('product: azure, service: signinlogs');
  });

  it('a logsource the scenario does not collect is refused before any record, saying what it collects', async () => {
    const loaded = rules(signInRule("userAgent|contains: 'hound'"));
    await expect(
      run(loaded, [{ source: 'signIns', records: [signIn({ time: T0 })] }], ['ual', 'graphActivity']),
    ).rejects.toMatchObject({
      code: 'E_SIGMA_LOGSOURCE',
      message: expect.stringContaining('reads Entra sign-in logs'),
      hint: expect.stringContaining('this scenario collects ual, graphActivity'),
    });
  });

  it('every problem of every rule at once', () => {
    const m = refusal(signInRule('userAgnt: x\nResltType: 0', 'selection or nope'));
    expect(m.match(/rule\.yml:\d+:\d+:/g)?.length).toBe(3);
  });
});

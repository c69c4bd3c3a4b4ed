import { describe, expect, it } from 'vitest';
import { SHOWN_VALUE_LIMIT, showValue } from './show-value';
import { invalidValueMessage } from './problem-message';

describe('showValue', () => {
  it('quotes strings and escapes what would forge a line or drive the terminal', () => {
    expect(showValue('otlp\nERROR forged line')).toBe('"otlp\\nERROR forged line"');
    expect(showValue('\u001b[31mred\u0007')).toBe('"\\u001b[31mred\\u0007"');
    expect(showValue('abc\u202edcba\u2028x')).toBe('"abc\\u202edcba\\u2028x"');
  });

  it('cuts long values and says how much was left out', () => {
    const shown = showValue('x'.repeat(120_000));
    expect(shown.length).toBeLessThan(SHOWN_VALUE_LIMIT + 40);
    expect(shown).toMatch(/…\(119800 more characters\)$/);
  });

  it('describes values that are not strings without dumping them', () => {
    expect(showValue(42)).toBe('42');
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue(() => 1)).toBe('a function');
    expect(showValue([1, 2, 3])).toBe('an array of 3');
    expect(showValue(new Map())).toBe('a Map');
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue(Symbol('a\nb'))).toBe('Symbol(a\\u000ab)');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(showValue(cyclic)).toBe('an object');
  });
});

describe('invalidValueMessage', () => {
  it('names the source, the subject, the value and what is accepted, on one line', () => {
    const message = invalidValueMessage({
      source: '@dyntel/register',
      subject: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      value: '0\n',
      expected: 'a positive integer',
      consequence: 'using the default 512',
    });
    expect(message).toBe('@dyntel/register: invalid OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "0\\n"; expected a positive integer; using the default 512');
    expect(message).not.toContain('\n');
  });

  it('escapes and bounds the parts that may carry outside text as well', () => {
    const message = invalidValueMessage({
      source: '@dyntel/sampler',
      subject: 'rules[0].name\u001b[2J',
      value: 'x',
      expected: `a pattern RE2 accepts (${'invalid perl operator: (?<\n'.repeat(200)})`,
      consequence: 'using\rparent-based sampling',
    });
    // eslint-disable-next-line no-control-regex -- no control character may reach the line
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message).toContain('rules[0].name\\u001b[2J');
    expect(message).toContain('using\\u000dparent-based sampling');
    expect(message.length).toBeLessThan(1_400);
  });
});

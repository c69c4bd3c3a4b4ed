import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createStderrDiagnostics, describeError, showItems } from './diagnostics';

describe('createStderrDiagnostics', () => {
  it('writes prefixed lines at or above the level', () => {
    const lines: string[] = [];
    const diagnostics = createStderrDiagnostics(DiagLogLevel.WARN, (line) => lines.push(line));
    diagnostics.error('e');
    diagnostics.warn('w');
    diagnostics.info('i');
    diagnostics.debug('d');
    expect(lines).toEqual(['@dyntel/register: e\n', '@dyntel/register: w\n']);
  });

  it('words a problem in the one message format, with its own prefix only', () => {
    const lines: string[] = [];
    const diagnostics = createStderrDiagnostics(DiagLogLevel.INFO, (line) => lines.push(line));
    diagnostics.warn({ variable: 'OTEL_BSP_MAX_QUEUE_SIZE', value: '0\n', expected: 'a positive integer', consequence: 'using 2048' });
    diagnostics.error({ variable: 'DYNTEL_SAMPLER_RULES', subject: 'DYNTEL_SAMPLER_RULES rules[0]', value: 7, expected: 'a rule', consequence: 'using parent-based always-on sampling' });
    expect(lines).toEqual([
      '@dyntel/register: invalid OTEL_BSP_MAX_QUEUE_SIZE: "0\\n"; expected a positive integer; using 2048\n',
      '@dyntel/register: invalid DYNTEL_SAMPLER_RULES rules[0]: 7; expected a rule; using parent-based always-on sampling\n',
    ]);
  });

  it('never throws when stderr is gone', () => {
    const diagnostics = createStderrDiagnostics(DiagLogLevel.ALL, () => {
      throw new Error('EPIPE');
    });
    expect(() => diagnostics.error('x')).not.toThrow();
  });
});

describe('describeError', () => {
  it('keeps one line, with the code when the message lacks it, quoted like any value', () => {
    expect(describeError(Object.assign(new Error('refused\nstack-ish'), { code: 'ECONNREFUSED' }))).toBe('"ECONNREFUSED: refused"');
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED ::1:4318'), { code: 'ECONNREFUSED' }))).toBe('"connect ECONNREFUSED ::1:4318"');
  });

  it('escapes and cuts what an error message carries (a host name, a status text)', () => {
    expect(describeError(new Error(`getaddrinfo ENOTFOUND \u001b[2J${'h'.repeat(10_000)}`))).toBe(`"getaddrinfo ENOTFOUND \\u001b[2J${'h'.repeat(174)}"…(9826 more characters)`);
  });

  it('describes an error whose message getter throws', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no');
      },
    });
    expect(describeError(hostile)).toBe('an error that cannot be described');
  });

  it('opens the empty AggregateError Node uses for dual-stack connection failures', () => {
    const error = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:4318'), new Error('connect ECONNREFUSED 127.0.0.1:4318')], ''), { code: 'ECONNREFUSED' });
    expect(describeError(error)).toBe('"connect ECONNREFUSED ::1:4318, connect ECONNREFUSED 127.0.0.1:4318"');
  });
});

describe('showItems', () => {
  it('names the first few parts, each cut, and counts the rest', () => {
    expect(showItems(['a', 'b'])).toBe('"a", "b"');
    expect(showItems(Array.from({ length: 1000 }, (_, i) => `n${i}`))).toBe('"n0", "n1", "n2", "n3", "n4" and 995 more');
    expect(showItems(['y'.repeat(1000)])).toBe(`"${'y'.repeat(40)}"…(960 more characters)`);
  });
});

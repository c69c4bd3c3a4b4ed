import { DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  boolean,
  count,
  durationMillis,
  httpUrl,
  headers,
  knownNames,
  logLevel,
  nameList,
  oneOf,
  port,
  positiveDurationMillis,
  text,
  type ValueKind,
} from './env-kinds';

const value = <T>(kind: ValueKind<T>, raw: string) => kind.parse(raw)?.value;

describe('value kinds', () => {
  it.each([
    [durationMillis, ['0', '5000', '2147483647'], ['-5', '1.5', '1e3', '0x10', '2147483648', ' 5', 'five']],
    [positiveDurationMillis, ['1', '60000'], ['0', '-1', '1e4', '2147483648']],
    [count(100_000), ['1', '2048', '100000'], ['0', '-1', '2.5', '0x800', '1e3', '100001', '9007199254740992']],
    [port, ['1', '9464', '65535'], ['0', '65536', '94a64', '0x50', '9464.0']],
  ] as const)('integers: %o accepts %j and refuses %j', (kind, valid, invalid) => {
    for (const raw of valid) expect(value(kind, raw), raw).toBe(Number(raw));
    for (const raw of invalid) expect(kind.parse(raw), raw).toBeUndefined();
  });

  it('says what each integer kind accepts', () => {
    expect(durationMillis.expected).toBe('a whole number of milliseconds from 0 to 2147483647');
    expect(positiveDurationMillis.expected).toBe('a whole number of milliseconds from 1 to 2147483647');
    expect(count(10_000).expected).toBe('an integer from 1 to 10000');
    expect(port.expected).toBe('an integer from 1 to 65535');
  });

  it('reads booleans in any case, and nothing else', () => {
    expect([value(boolean, 'TRUE'), value(boolean, 'false')]).toEqual([true, false]);
    for (const raw of ['1', 'yes', 'constructor']) expect(boolean.parse(raw), raw).toBeUndefined();
  });

  it('reads log levels in any case and names them back', () => {
    expect(value(logLevel, 'Debug')).toBe(DiagLogLevel.DEBUG);
    expect(logLevel.parse('loud')).toBeUndefined();
    expect(logLevel.parse('constructor')).toBeUndefined();
    expect(logLevel.show!(DiagLogLevel.INFO)).toBe('info');
    expect(logLevel.expected).toBe('one of none, error, warn, info, debug, verbose, all');
  });

  it('takes enum values exactly', () => {
    const protocols = oneOf(['http/protobuf', 'http/json']);
    expect(value(protocols, 'http/json')).toBe('http/json');
    expect(protocols.parse('HTTP/JSON')).toBeUndefined();
    expect(protocols.expected).toBe('one of http/protobuf, http/json');
  });

  it('takes absolute http(s) URLs only', () => {
    const url = httpUrl('http://localhost:4318');
    expect(value(url, 'https://collector:4318/base')).toBe('https://collector:4318/base');
    for (const raw of ['localhost:4318', 'ftp://x', 'http://']) expect(url.parse(raw), raw).toBeUndefined();
    expect(url.expected).toBe('an absolute http:// or https:// URL, e.g. http://localhost:4318');
  });

  it('splits lists, dropping blanks and repeats', () => {
    expect(value(nameList, ' a, b,,a ')).toEqual(['a', 'b']);
    expect(value(text, 'checkout')).toBe('checkout');
  });

  it('keeps the known exporters, ignores the unknown ones, and takes none as no exporter', () => {
    const exporters = knownNames(['otlp', 'zipkin', 'none']);
    expect(exporters.parse('zipkin, jaeger,otlp')).toEqual({ value: ['zipkin', 'otlp'], ignored: ['jaeger'] });
    expect(exporters.parse('jaeger')).toEqual({ value: [], ignored: ['jaeger'] });
    expect(exporters.parse('otlp,none')).toEqual({ value: [], ignored: [] });
    expect(exporters.expected).toBe('a comma-separated list of otlp, zipkin, none');
  });

  it('decodes header pairs, drops what Node would refuse to send, and shows neither values nor bad names', () => {
    expect(headers.parse('authorization=Bearer%20abc, x-team=a,novalue,=x, bad=%E0%A4%A, bad name=1, x-crlf=a%0D%0Ab')).toEqual({
      value: { authorization: 'Bearer abc', 'x-team': 'a', bad: '%E0%A4%A' },
      ignored: ['entry 3 (not name=value)', 'entry 4 (not name=value)', 'entry 6 (not a valid HTTP header name)', 'header x-crlf (its value holds characters HTTP refuses)'],
    });
    expect(headers.redact!('authorization=Bearer%20abc,Bearer abc,bad name=s3cret')).toBe('authorization=***,***,***');
  });
});

import { describe, expect, it } from 'vitest';
import { formatProblem } from './diagnostics';
import { EnvReader } from './env-reader';
import { OTEL_BSP, OTEL_LOG_LEVEL, OTEL_SERVICE_NAME, OTEL_TRACES_EXPORTER, OTLP, OTLP_SIGNAL } from './env-variables';

const messages = (reader: EnvReader) => reader.problems.map(formatProblem);

describe('EnvReader', () => {
  it('gives the fallback for an unset or blank variable, and reports nothing', () => {
    const reader = new EnvReader({ OTEL_BSP_MAX_QUEUE_SIZE: '  ' });
    expect(reader.read(OTEL_BSP.maxQueueSize)).toEqual({ status: 'unset', value: 2048 });
    expect(reader.read(OTEL_SERVICE_NAME)).toEqual({ status: 'unset', value: undefined });
    expect(reader.problems).toEqual([]);
  });

  it('parses a set variable by its kind, trimmed', () => {
    expect(new EnvReader({ OTEL_BSP_MAX_QUEUE_SIZE: ' 100 ' }).read(OTEL_BSP.maxQueueSize)).toEqual({ status: 'set', value: 100 });
  });

  it('reports an invalid value once, with the variable, the value and the fallback used', () => {
    const reader = new EnvReader({ OTEL_BSP_MAX_QUEUE_SIZE: '1e3' });
    expect(reader.read(OTEL_BSP.maxQueueSize)).toEqual({ status: 'invalid', value: 2048 });
    expect(reader.value(OTEL_BSP.maxQueueSize)).toBe(2048);
    expect(messages(reader)).toEqual(['@dyntel/register: invalid OTEL_BSP_MAX_QUEUE_SIZE: "1e3"; expected an integer from 1 to 100000; using 2048']);
  });

  it('names the fallback the way its kind does, and says so when there is none', () => {
    const reader = new EnvReader({ OTEL_LOG_LEVEL: 'loud', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope' });
    reader.read(OTEL_LOG_LEVEL);
    reader.read(OTLP_SIGNAL.traces.endpoint);
    expect(messages(reader)).toEqual([
      '@dyntel/register: invalid OTEL_LOG_LEVEL: "loud"; expected one of none, error, warn, info, debug, verbose, all; using info',
      '@dyntel/register: invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "nope"; expected an absolute http:// or https:// URL, e.g. http://localhost:4318/v1/traces; OTLP export of traces is disabled',
    ]);
  });

  it('uses the variable\'s own consequence when it has one', () => {
    const reader = new EnvReader({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(reader.value(OTLP.protocol)).toBe('http/protobuf');
    expect(messages(reader)).toEqual([
      '@dyntel/register: invalid OTEL_EXPORTER_OTLP_PROTOCOL: "grpc"; expected one of http/protobuf, http/json; using http/protobuf (point the endpoint at the collector\'s HTTP port, usually 4318)',
    ]);
  });

  it('keeps what a list can use and names what it ignored, escaped', () => {
    const reader = new EnvReader({ OTEL_TRACES_EXPORTER: 'zipkin,jaeger\u001b[2J' });
    expect(reader.read(OTEL_TRACES_EXPORTER)).toEqual({ status: 'set', value: ['zipkin'] });
    expect(messages(reader)).toEqual([
      '@dyntel/register: invalid OTEL_TRACES_EXPORTER: "zipkin,jaeger\\u001b[2J"; expected a comma-separated list of otlp, zipkin, console, none; ignoring "jaeger\\u001b[2J", traces still go to zipkin (Jaeger and Tempo accept OTLP: use otlp)',
    ]);
  });
});

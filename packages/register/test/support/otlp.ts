import { createRequire } from 'node:module';
import { Receiver } from '@dyntel/test-support';

// protobufjs static code generated from the official opentelemetry-proto definitions
// (shipped by @opentelemetry/otlp-transformer 0.214, the last release that ships them all, aliased
// as otlp-proto-defs; they include LogRecord.event_name).
interface Decoder {
  decode(bytes: Uint8Array): unknown;
}
const proto = createRequire(import.meta.url)('otlp-proto-defs/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: Record<'trace' | 'metrics' | 'logs', { v1: Record<string, Decoder> }> } };
};
const { collector } = proto.opentelemetry.proto;
const DECODERS: Record<string, Decoder> = {
  '/v1/traces': collector.trace.v1.ExportTraceServiceRequest!,
  '/v1/metrics': collector.metrics.v1.ExportMetricsServiceRequest!,
  '/v1/logs': collector.logs.v1.ExportLogsServiceRequest!,
};

/** An OTLP request body, protobuf-decoded or JSON-parsed: both have the same camelCase shape. */
export type OtlpBody = Record<string, unknown>;

/** An OTLP/HTTP receiver accepting `application/x-protobuf` and `application/json`. */
export function otlpReceiver(): Promise<Receiver<OtlpBody>> {
  return new Receiver<OtlpBody>(
    (path, contentType, body) => {
      const decoder = DECODERS[path];
      if (!decoder) throw new Error(`unexpected OTLP path ${path}`);
      if (contentType.includes('json')) return JSON.parse(body.toString('utf8')) as OtlpBody;
      if (!contentType.includes('protobuf')) throw new Error(`unexpected content type ${contentType}`);
      return decoder.decode(body) as OtlpBody;
    },
    (req, res) => (String(req.headers['content-type']).includes('json') ? res.writeHead(200, { 'content-type': 'application/json' }).end('{}') : res.end()),
  ).start();
}

/** A span as the tests compare it. */
export interface FlatSpan {
  name: string;
  kind: number;
  traceId: string;
  serviceName?: string;
  /** `process.runtime.version` of the resource: which Node the child ran on. */
  runtimeVersion?: string;
  scope?: string;
  attributes: Record<string, unknown>;
  /** The W3C tracestate the span was exported with ('' when none). */
  traceState: string;
}

type KeyValue = { key: string; value: Record<string, unknown> };
type Resource = { attributes?: KeyValue[] };
type Scope = { name?: string };
interface TracesBody {
  resourceSpans?: Array<{ resource?: Resource; scopeSpans?: Array<{ scope?: Scope; spans?: Array<{ name: string; kind: number; traceId: unknown; traceState?: string; attributes?: KeyValue[] }> }> }>;
}
interface MetricsBody {
  resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<{ name: string }> }> }>;
}
interface LogsBody {
  resourceLogs?: Array<{ scopeLogs?: Array<{ logRecords?: Array<{ eventName?: string }> }> }>;
}

function attributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of (list as KeyValue[] | undefined) ?? []) {
    out[key] = Object.values(value ?? {})[0];
  }
  return out;
}

function hex(id: unknown): string {
  return typeof id === 'string' ? id : Buffer.from(id as Uint8Array).toString('hex');
}

/** Every span of an ExportTraceServiceRequest, flattened. */
export function spansOf(body: OtlpBody): FlatSpan[] {
  const out: FlatSpan[] = [];
  for (const rs of (body as TracesBody).resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    const serviceName = resource['service.name'] as string | undefined;
    const runtimeVersion = resource['process.runtime.version'] as string | undefined;
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        out.push({ name: span.name, kind: Number(span.kind), traceId: hex(span.traceId), serviceName, runtimeVersion, scope: ss.scope?.name, attributes: attributes(span.attributes), traceState: span.traceState ?? '' });
      }
    }
  }
  return out;
}

/** The names of every span the receiver has been sent so far, in arrival order. */
export function spanNames(receiver: Receiver<OtlpBody>): string[] {
  return receiver.received.flatMap((r) => spansOf(r.body)).map((s) => s.name);
}

/** Metric names and data points of an ExportMetricsServiceRequest. */
export function metricNamesOf(body: OtlpBody): string[] {
  const names: string[] = [];
  for (const rm of (body as MetricsBody).resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) for (const metric of sm.metrics ?? []) names.push(metric.name);
  }
  return names;
}

/** Event names of the log records of an ExportLogsServiceRequest. */
export function logEventsOf(body: OtlpBody): string[] {
  const names: string[] = [];
  for (const rl of (body as LogsBody).resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) for (const record of sl.logRecords ?? []) names.push(record.eventName ?? '');
  }
  return names;
}

/** Waits for the first span named `name` in any traces request. */
export function waitForSpan(receiver: Receiver<OtlpBody>, name: string, kind?: number): Promise<FlatSpan> {
  return receiver.waitFor((all) => {
    for (const r of all) {
      if (r.path !== '/v1/traces') continue;
      const span = spansOf(r.body).find((s) => s.name === name && (kind === undefined || s.kind === kind));
      if (span) return span;
    }
    return undefined;
  });
}

// The bad-configuration cases: each environment, and the exact lines @dyntel/register prints at
// start for it (besides the application's own output, nothing else). One table for the unit test
// (bad-config.test.ts), the end-to-end test (bad-config.e2e.test.ts) and the README's
// "Bad configuration" table (scripts/render-bad-config-table.ts).

/** One bad environment and what it prints. */
export interface BadConfigCase {
  /** What is wrong, as the README's first column says it. */
  title: string;
  env: Readonly<Record<string, string>>;
  /** How the README shows `env` when its values are too long to show as they are. */
  shownEnv?: string;
  /** Every line printed at start, in order. */
  lines: readonly string[];
}

const P = '@dyntel/register: invalid';
const MS = 'a whole number of milliseconds from 1 to 2147483647';
const MS0 = 'a whole number of milliseconds from 0 to 2147483647';
const TRACE_EXPORTERS = 'a comma-separated list of otlp, zipkin, console, none';
const JAEGER_HINT = '(Jaeger and Tempo accept OTLP: use otlp)';
const HEADERS = 'comma-separated name=value pairs, values URL-encoded';
const PROBABILITY = 'a decimal number from 0 to 1 (0, or at least 2^-56)';
const SAMPLERS = 'one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio';

const THOUSAND_NAMES = Array.from({ length: 1000 }, (_, i) => `exporter${i}`).join(',');
const LONG_VALUE = 'x'.repeat(120_000);

export const BAD_CONFIG_CASES: readonly BadConfigCase[] = [
  // Counts and durations.
  { title: 'a batch size of 0', env: { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0' }, lines: [`${P} OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "0"; expected an integer from 1 to 10000; using 512`] },
  { title: 'a fractional batch size', env: { OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '2.5' }, lines: [`${P} OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: "2.5"; expected an integer from 1 to 10000; using 512`] },
  { title: 'a queue size of 0', env: { OTEL_BSP_MAX_QUEUE_SIZE: '0' }, lines: [`${P} OTEL_BSP_MAX_QUEUE_SIZE: "0"; expected an integer from 1 to 100000; using 2048`] },
  { title: 'a queue beyond the bound', env: { OTEL_BLRP_MAX_QUEUE_SIZE: '10000000' }, lines: [`${P} OTEL_BLRP_MAX_QUEUE_SIZE: "10000000"; expected an integer from 1 to 100000; using 2048`] },
  {
    title: 'a batch larger than the queue',
    env: { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' },
    lines: [`${P} OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "200"; expected an integer from 1 to 10000, no larger than OTEL_BSP_MAX_QUEUE_SIZE (100); using 100`],
  },
  { title: 'a fractional delay', env: { OTEL_BSP_SCHEDULE_DELAY: '1.5' }, lines: [`${P} OTEL_BSP_SCHEDULE_DELAY: "1.5"; expected ${MS0}; using 5000`] },
  { title: 'an interval in exponent notation', env: { OTEL_METRIC_EXPORT_INTERVAL: '1e10' }, lines: [`${P} OTEL_METRIC_EXPORT_INTERVAL: "1e10"; expected ${MS}; using 60000`] },
  { title: 'an interval of 2^31 ms or more', env: { OTEL_METRIC_EXPORT_INTERVAL: '10000000000' }, lines: [`${P} OTEL_METRIC_EXPORT_INTERVAL: "10000000000"; expected ${MS}; using 60000`] },
  { title: 'an interval of 0', env: { OTEL_METRIC_EXPORT_INTERVAL: '0' }, lines: [`${P} OTEL_METRIC_EXPORT_INTERVAL: "0"; expected ${MS}; using 60000`] },
  { title: 'a timeout of -1', env: { OTEL_EXPORTER_OTLP_TIMEOUT: '-1' }, lines: [`${P} OTEL_EXPORTER_OTLP_TIMEOUT: "-1"; expected ${MS}; using 10000`] },
  { title: 'a timeout that is not a number', env: { OTEL_EXPORTER_OTLP_TIMEOUT: 'abc' }, lines: [`${P} OTEL_EXPORTER_OTLP_TIMEOUT: "abc"; expected ${MS}; using 10000`] },

  // What a value may hold: one line, escaped, cut.
  {
    title: 'a newline that would forge a line',
    env: { OTEL_TRACES_EXPORTER: 'otlp\n@dyntel/register: forged' },
    lines: [`${P} OTEL_TRACES_EXPORTER: "otlp\\n@dyntel/register: forged"; expected ${TRACE_EXPORTERS}; ignoring "otlp\\n@dyntel/register: forged", traces are not exported ${JAEGER_HINT}`],
  },
  {
    title: 'escape and bell characters',
    env: { OTEL_LOG_LEVEL: '\u001b[2J\u0007info' },
    lines: [`${P} OTEL_LOG_LEVEL: "\\u001b[2J\\u0007info"; expected one of none, error, warn, info, debug, verbose, all; using info`],
  },
  {
    title: 'a 120 kB value',
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: LONG_VALUE },
    shownEnv: 'OTEL_EXPORTER_OTLP_PROTOCOL=xxx… (120,000 characters)',
    lines: [`${P} OTEL_EXPORTER_OTLP_PROTOCOL: "${'x'.repeat(200)}"…(119800 more characters); expected one of http/protobuf, http/json; using http/protobuf`],
  },
  {
    title: '1,000 unknown exporter names',
    env: { OTEL_TRACES_EXPORTER: THOUSAND_NAMES },
    shownEnv: 'OTEL_TRACES_EXPORTER=exporter0,exporter1,…,exporter999',
    lines: [
      `${P} OTEL_TRACES_EXPORTER: "${THOUSAND_NAMES.slice(0, 200)}"…(${THOUSAND_NAMES.length - 200} more characters); expected ${TRACE_EXPORTERS}; ignoring "exporter0", "exporter1", "exporter2", "exporter3", "exporter4" and 995 more, traces are not exported ${JAEGER_HINT}`,
    ],
  },
  {
    title: '1,000 unknown instrumentation ids',
    env: { DYNTEL_DISABLED_INSTRUMENTATIONS: THOUSAND_NAMES },
    shownEnv: 'DYNTEL_DISABLED_INSTRUMENTATIONS=exporter0,exporter1,…,exporter999',
    lines: [
      `${P} DYNTEL_DISABLED_INSTRUMENTATIONS: "${THOUSAND_NAMES.slice(0, 200)}"…(${THOUSAND_NAMES.length - 200} more characters); expected a comma-separated list of circuit-breaker, retry, pool, agents; ignoring "exporter0", "exporter1", "exporter2", "exporter3", "exporter4" and 995 more`,
    ],
  },

  // Secrets: header values and URL credentials are never printed.
  {
    title: 'a header entry without =',
    env: { OTEL_EXPORTER_OTLP_HEADERS: 'authorization Bearer s3cr3t-t0ken' },
    lines: [`${P} OTEL_EXPORTER_OTLP_HEADERS: "***"; expected ${HEADERS}; ignoring entry 1 (not name=value), the other headers are sent`],
  },
  {
    title: 'a header name with a colon and a token',
    env: { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=a,Authorization: Bearer s3cr3t=1' },
    lines: [`${P} OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-team=***,***"; expected ${HEADERS}; ignoring entry 2 (not a valid HTTP header name), the other headers are sent`],
  },
  {
    title: 'an endpoint with credentials and no scheme',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'user:s3cret@collector:4318' },
    lines: [`${P} OTEL_EXPORTER_OTLP_ENDPOINT: "user:***@collector:4318"; expected an absolute http:// or https:// URL, e.g. http://localhost:4318; OTLP export of every signal is disabled`],
  },
  {
    title: 'a Zipkin URL with a token',
    env: { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'ftp://t0ken@zipkin:9411' },
    lines: [`${P} OTEL_EXPORTER_ZIPKIN_ENDPOINT: "ftp://***@zipkin:9411"; expected an absolute http:// or https:// URL, e.g. http://localhost:9411/api/v2/spans; Zipkin export is disabled`],
  },

  // Headers Node's http would refuse: dropped at start, the others sent.
  {
    title: 'a header name with a space',
    env: { OTEL_EXPORTER_OTLP_HEADERS: 'x-ok=1,bad name=2' },
    lines: [`${P} OTEL_EXPORTER_OTLP_HEADERS: "x-ok=***,***"; expected ${HEADERS}; ignoring entry 2 (not a valid HTTP header name), the other headers are sent`],
  },
  {
    title: 'a header value with CR LF',
    env: { OTEL_EXPORTER_OTLP_HEADERS: 'x-ok=1,x-token=abc%0D%0Ainjected: 1' },
    lines: [`${P} OTEL_EXPORTER_OTLP_HEADERS: "x-ok=***,x-token=***"; expected ${HEADERS}; ignoring header x-token (its value holds characters HTTP refuses), the other headers are sent`],
  },

  // Variables the SDK would otherwise read without a word at the default log level.
  { title: 'an unknown sampler', env: { OTEL_TRACES_SAMPLER: 'bogus' }, lines: [`${P} OTEL_TRACES_SAMPLER: "bogus"; expected ${SAMPLERS}; using parentbased_always_on`] },
  ...['abc', '2', '-1'].map((arg) => ({
    title: `a sampler argument of ${arg}`,
    env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg },
    lines: [`${P} OTEL_TRACES_SAMPLER_ARG: "${arg}"; expected ${PROBABILITY}; using 1`],
  })),
  {
    title: 'a sampler argument for a sampler that takes none',
    env: { OTEL_TRACES_SAMPLER_ARG: 'abc' },
    lines: [`${P} OTEL_TRACES_SAMPLER_ARG: "abc"; expected ${PROBABILITY}; ignoring it (parentbased_always_on takes no argument)`],
  },
  {
    title: 'a hexadecimal sampler probability',
    env: { DYNTEL_SAMPLER_PROBABILITY: '0x1' },
    lines: [`${P} DYNTEL_SAMPLER_PROBABILITY: "0x1"; expected ${PROBABILITY}; using parent-based always-on sampling`],
  },
  {
    title: 'a malformed resource attribute list',
    env: { OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2,deployment' },
    lines: [
      `${P} OTEL_RESOURCE_ATTRIBUTES: "service.version=1.2,deployment"; expected comma-separated key=value pairs, percent-encoded, keys and values at most 255 characters; entry 2 is not key=value (',' and '=' inside keys or values must be percent-encoded), so no attribute of it is used`,
    ],
  },
  { title: 'an unknown compression', env: { OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' }, lines: [`${P} OTEL_EXPORTER_OTLP_COMPRESSION: "brotli"; expected one of gzip, none; using none`] },
  {
    title: 'an unknown propagator',
    env: { OTEL_PROPAGATORS: 'tracecontext,jaeger' },
    lines: [`${P} OTEL_PROPAGATORS: "tracecontext,jaeger"; expected a comma-separated list of tracecontext, baggage, b3, b3multi, none; ignoring "jaeger", context still propagates with tracecontext`],
  },
  {
    title: 'an unknown resource detector',
    env: { OTEL_NODE_RESOURCE_DETECTORS: 'env,gcp' },
    lines: [`${P} OTEL_NODE_RESOURCE_DETECTORS: "env,gcp"; expected a comma-separated list of all, env, host, os, process, serviceinstance, none; ignoring "gcp", resource attributes still come from env`],
  },
  {
    title: 'a log record limit of 0',
    env: { OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '0' },
    lines: [`${P} OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: "0"; expected a positive integer; using OTEL_ATTRIBUTE_COUNT_LIMIT`],
  },
  {
    title: 'a certificate file that does not exist',
    env: { OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/ca.pem' },
    lines: [`${P} OTEL_EXPORTER_OTLP_CERTIFICATE: "/nonexistent/ca.pem"; expected the path of a readable regular file; using the system's trusted root certificates`],
  },
  {
    title: 'a client key that is a directory',
    env: { OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: '/' },
    lines: [`${P} OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: "/"; expected the path of a readable regular file; using OTEL_EXPORTER_OTLP_CLIENT_KEY`],
  },
  {
    title: 'an unknown temporality',
    env: { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'deltas' },
    lines: [`${P} OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "deltas"; expected one of cumulative, delta, lowmemory (any case); using cumulative`],
  },
  {
    title: 'an older name of a span limit',
    env: { OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT: '16' },
    lines: [`${P} OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT: "16"; expected the current name, OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT; ignoring it`],
  },
];

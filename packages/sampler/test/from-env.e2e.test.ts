import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

// A small application: the SDK's tracer provider with the sampler the environment describes,
// 2000 root spans each with a breaker-call child, then a JSON summary on stdout. Ids come from
// a seeded generator so that the sampled counts are the same on every run.
const APP = `
let x = 2463534242;
const word = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0).toString(16).padStart(8, '0'); };
const idGenerator = { generateTraceId: () => word() + word() + word() + word(), generateSpanId: () => word() + word() };
import { DiagConsoleLogger, DiagLogLevel, diag, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { samplerFromEnv } from '@dyntel/sampler';
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.ERROR);
const configured = samplerFromEnv();
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ idGenerator, sampler: configured?.sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer('e2e');
for (let i = 0; i < 2000; i++) {
  const root = tracer.startSpan('GET /orders');
  const child = tracer.startSpan('circuit_breaker.call db', {}, trace.setSpan(context.active(), root));
  child.end();
  root.end();
}
const spans = exporter.getFinishedSpans();
const count = (name) => spans.filter((s) => s.name === name).length;
const states = [...new Set(spans.map((s) => s.spanContext().traceState?.serialize() ?? ''))].sort();
console.log(JSON.stringify({ description: configured?.description, roots: count('GET /orders'), children: count('circuit_breaker.call db'), states,
  rates: [...new Set(spans.map((s) => s.attributes.SampleRate))] }));
`;

// Far beyond the app's own run time: a child still running then is stuck (killed, and the test fails).
const APP_TIMEOUT_MILLIS = 15_000;

function runApp(env: Record<string, string>): Promise<{ stdout: string; stderr: string; summary: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', APP],
      { cwd: packageDir, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: APP_TIMEOUT_MILLIS },
      (error, stdout, stderr) => {
        if (error?.killed) reject(new Error(`the app did not finish within ${APP_TIMEOUT_MILLIS} ms (stuck at start-up?)\n${stderr}`));
        else if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve({ stdout, stderr, summary: JSON.parse(stdout) as Record<string, unknown> });
      },
    );
  });
}

describe('samplerFromEnv in a real SDK process', () => {
  it('needs the built package', () => {
    expect(existsSync(join(packageDir, 'dist/index.js')), 'run `npm run build -w @dyntel/sampler` first').toBe(true);
  });

  it('samples roots at DYNTEL_SAMPLER_PROBABILITY, writes ot=th, and children follow', async () => {
    const { summary, stderr } = await runApp({ DYNTEL_SAMPLER_PROBABILITY: '0.25', DYNTEL_SAMPLER_SAMPLE_RATE_ATTRIBUTE: 'SampleRate' });
    expect(stderr).toBe('');
    expect(summary['description']).toBe(
      'DyntelSampler{root: probability(0.25, th:c); children: parent; sampleRateAttribute: SampleRate} (from DYNTEL_SAMPLER_* variables)',
    );
    const roots = summary['roots'] as number;
    // Seeded ids: about 500 expected (a standard deviation is about 19).
    expect(roots).toBeGreaterThan(440);
    expect(roots).toBeLessThan(560);
    expect(summary['children']).toBe(roots);
    expect(summary['states']).toEqual(['ot=th:c']);
    expect(summary['rates']).toEqual([4]);
  });

  it('applies a YAML rule file: children get their own budget-free policy', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dyntel-e2e-')), 'sampler.yaml');
    writeFileSync(
      file,
      [
        'rule_based:',
        '  rules:',
        '    - dyntel: { span_names: ["circuit_breaker.call *"] }',
        '      sampler: { always_off: {} }',
        'dyntel:',
        '  root: { always_on: {} }',
      ].join('\n'),
    );
    const { summary } = await runApp({ DYNTEL_SAMPLER_CONFIG: file });
    expect(summary['roots']).toBe(2000);
    expect(summary['children']).toBe(0);
    expect(summary['states']).toEqual(['ot=th:0']);
  });

  it.skipIf(process.platform === 'win32')('starts when DYNTEL_SAMPLER_CONFIG names a FIFO: one line, and the fallback samples', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'dyntel-e2e-')), 'sampler.yaml');
    // Node has no mkfifo of its own. Nobody ever writes to this pipe: reading it would wait forever.
    execFileSync('mkfifo', [fifo]);
    const { summary, stderr } = await runApp({ DYNTEL_SAMPLER_CONFIG: fifo });
    expect(stderr.trim()).toBe(
      `@dyntel/sampler: invalid DYNTEL_SAMPLER_CONFIG: ${JSON.stringify(fifo)}; expected the path of a regular JSON or YAML file, not a FIFO (named pipe); using parent-based always-on sampling`,
    );
    expect(summary['roots']).toBe(2000);
    expect(summary['children']).toBe(2000);
  });

  it('reports invalid configuration on the diagnostic logger and keeps tracing (parent-based always-on)', async () => {
    const { summary, stderr } = await runApp({ DYNTEL_SAMPLER_RULES: '[{ sampler: { probability: { ratio: 7 } } }]' });
    expect(stderr).toContain('@dyntel/sampler: invalid DYNTEL_SAMPLER_RULES rule_based.rules[0].sampler.probability.ratio: 7; expected a number from 0 to 1; using parent-based always-on sampling');
    expect(summary['roots']).toBe(2000);
    expect(summary['children']).toBe(2000);
    expect(String(summary['description'])).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
  });
});

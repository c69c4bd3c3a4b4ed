// Runs of the seed workflow that record no span: with metrics and no tracer provider (the API's
// no-op tracer) the run's metrics are recorded and no span of ours is put on the context, which
// code run in the SDK (a tool's function) sees as the application left it; a run whose
// workflow span is sampled out keeps that span on the context, so that nothing under it is
// sampled on its own.
import { context, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, type Span, type Tracer } from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC_GEN_AI_INVOKE_AGENT_DURATION, METRIC_GEN_AI_WORKFLOW_DURATION } from '@dyntel/semconv';
import { AgentsInstrumentation } from '../src/instrumentation';
import { AgentsHarness, agentsHarness } from './support/harness';
import { runSupportWorkflow, type AgentsCoreModule } from './support/openai';

let harness: AgentsHarness | undefined;
afterEach(() => harness?.close());

function sdkOf(h: AgentsHarness): AgentsCoreModule {
  const sdk = h.require<AgentsCoreModule>('@openai/agents-core');
  // The SDK turns its tracing off under NODE_ENV=test (vitest sets it): a test must turn it on.
  sdk.setTracingDisabled(false);
  return sdk;
}

/** A tracer standing for an HTTP client's in the tool: it notes the span of the context it starts its span in. */
function notingTracer(): { tracer: Tracer; seen: (Span | undefined)[] } {
  const seen: (Span | undefined)[] = [];
  const tracer = {
    startActiveSpan: (_name: string, fn: (span: Span) => unknown) => {
      seen.push(trace.getSpan(context.active()));
      return fn(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    },
  } as unknown as Tracer;
  return { tracer, seen };
}

describe('no tracer provider', () => {
  it('the run is measured, and the tool runs in the context the application gave the run', async () => {
    harness = agentsHarness();
    // The global provider, none registered: every tracer is the no-op one.
    harness.instrumentation.setTracerProvider(trace.getTracerProvider());
    const sdk = sdkOf(harness);
    const { tracer, seen } = notingTracer();
    const application = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const outcome = await context.with(trace.setSpan(ROOT_CONTEXT, application), () => runSupportWorkflow(sdk, { tracer }));
    expect(outcome.finalOutput).toBe('Order 42 has shipped.');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(application);
    const points = await harness.points();
    expect(points.find((p) => p.name === METRIC_GEN_AI_WORKFLOW_DURATION)?.value).toBe(1);
    expect(points.filter((p) => p.name === METRIC_GEN_AI_INVOKE_AGENT_DURATION).reduce((sum, p) => sum + p.value, 0)).toBe(2);
  });
});

describe('a sampled-out run', () => {
  it('its spans and the code in it nest under the sampled-out workflow span: nothing under it is recorded', async () => {
    const parentBased = new ParentBasedSampler({ root: new AlwaysOnSampler() });
    // Drops the workflow span, a root; the rest follows its parent, as a ratio sampler's children do.
    const sampler: Sampler = {
      shouldSample: (...args) => (args[2] === 'invoke_workflow support' ? { decision: SamplingDecision.NOT_RECORD } : parentBased.shouldSample(...args)),
      toString: () => 'drops the workflow span',
    };
    harness = new AgentsHarness((c) => new AgentsInstrumentation(c), {}, { sampler });
    const sdk = sdkOf(harness);
    const outcome = await runSupportWorkflow(sdk, { tracer: harness.tracerProvider.getTracer('seed-http-client') });
    expect(outcome.finalOutput).toBe('Order 42 has shipped.');
    expect(outcome.toolContextSpanId).toMatch(/^[0-9a-f]{16}$/);
    expect(harness.spans().map((s) => s.name)).toEqual([]);
    expect((await harness.points()).find((p) => p.name === METRIC_GEN_AI_WORKFLOW_DURATION)?.value).toBe(1);
  });
});

// Every metric point the suite collects through the harness is scanned for ids: the scan fails
// on each kind of id, and a collection that holds one fails the test that made it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Point } from '@dyntel/test-support';
import { agentsHarness, expectNoIdsOnMetrics, type AgentsHarness } from './support/harness';

const point = (attributes: Point['attributes']): Point => ({ name: 'actor.spawned', attributes, value: 1 });

describe('the metric id scan', () => {
  let harness: AgentsHarness | undefined;
  afterEach(() => harness?.close());

  it.each([
    ['an actor session id key', { 'actor.session.id': 'order' }],
    ['a conversation id key', { 'gen_ai.conversation.id': 'support' }],
    ['a tool call id key', { 'gen_ai.tool.call.id': 'lookup' }],
    ['an XState session id', { 'actor.type': 'x:12' }],
    ['an SDK trace id', { 'gen_ai.agent.name': 'trace_0123abcd' }],
    ['an SDK group id', { 'gen_ai.workflow.name': 'group_42' }],
    ['a tool call id', { 'gen_ai.tool.name': 'call_lookup_1' }],
    ['a response id', { 'gen_ai.request.model': 'resp_3' }],
    ['the conversation', { 'gen_ai.workflow.name': 'conv-42' }],
  ])('fails on %s', (_title, attributes) => {
    expect(() => expectNoIdsOnMetrics([point(attributes)])).toThrow();
  });

  it('fails on the trace or span id of a recorded span, passes on names', async () => {
    harness = agentsHarness();
    harness.tracerProvider.getTracer('t').startSpan('s').end();
    const [span] = harness.spans();
    expect(() => expectNoIdsOnMetrics([point({ 'actor.type': span!.spanContext().traceId })], harness!.spans())).toThrow();
    expect(() => expectNoIdsOnMetrics([point({ 'actor.type': span!.spanContext().spanId })], harness!.spans())).toThrow();
    expect(() => expectNoIdsOnMetrics([point({ 'actor.type': 'order', 'actor.parent.type': 'anonymous' })], harness!.spans())).not.toThrow();
  });

  it('runs on every collection through the harness', async () => {
    harness = agentsHarness();
    harness.meterProvider.getMeter('m').createCounter('actor.spawned').add(1, { 'actor.type': 'x:3' });
    await expect(harness.points()).rejects.toThrow();
  });
});

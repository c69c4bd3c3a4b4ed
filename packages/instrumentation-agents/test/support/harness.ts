import { expect } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ATTR_ACTOR_SESSION_ID, ATTR_GEN_AI_CONVERSATION_ID, ATTR_GEN_AI_TOOL_CALL_ID } from '@dyntel/semconv';
import { InstrumentationHarness, type Point } from '@dyntel/test-support';
import { AgentsInstrumentation } from '../../src/instrumentation';
import type { AgentsInstrumentationConfig } from '../../src/types';

// The attributes that carry ids, spans only.
const ID_KEYS = [ATTR_ACTOR_SESSION_ID, ATTR_GEN_AI_CONVERSATION_ID, ATTR_GEN_AI_TOOL_CALL_ID];
// XState session ids (`x:3`), the SDK's trace, span, group, response and tool-call ids, and the seed workflow's conversation.
const ID_VALUE = /^(x:\d+|(trace|span|group|resp|call)_\w*|conv-42)$/;

/**
 * Fails when a metric point carries an id: an id attribute, an XState session id, one of the
 * SDK's ids, or the trace or span id of any span recorded.
 */
export function expectNoIdsOnMetrics(points: readonly Point[], spans: readonly ReadableSpan[] = []): void {
  const spanIds = new Set(spans.flatMap((s) => [s.spanContext().traceId, s.spanContext().spanId]));
  for (const point of points) {
    for (const [key, value] of Object.entries(point.attributes)) {
      const where = `${point.name} ${key}=${JSON.stringify(value)}`;
      expect(ID_KEYS, where).not.toContain(key);
      for (const item of Array.isArray(value) ? value : [value]) {
        expect(String(item), where).not.toMatch(ID_VALUE);
        expect(spanIds.has(String(item)), where).toBe(false);
      }
    }
  }
}

/**
 * The harness of this package's tests: every metric point any test collects is scanned for
 * ids (metrics carry names from definitions only), against the spans recorded so far.
 */
export class AgentsHarness extends InstrumentationHarness<AgentsInstrumentation, AgentsInstrumentationConfig> {
  override async points(name?: string): Promise<Point[]> {
    const points = await super.points(name);
    expectNoIdsOnMetrics(points, this.spans());
    return points;
  }
}

/** A harness around {@link AgentsInstrumentation}. */
export function agentsHarness(config: AgentsInstrumentationConfig = {}): AgentsHarness {
  return new AgentsHarness((c: AgentsInstrumentationConfig) => new AgentsInstrumentation(c), config);
}

/** The value of the one point of `name` whose attributes include `attributes`, 0 when none. */
export function valueOf(points: readonly Point[], name: string, attributes: Record<string, string>): number {
  const matching = points.filter((p) => p.name === name && Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  if (matching.length > 1) throw new Error(`${matching.length} points of ${name} match ${JSON.stringify(attributes)}`);
  return matching[0]?.value ?? 0;
}

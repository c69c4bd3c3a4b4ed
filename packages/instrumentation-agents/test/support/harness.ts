import { InstrumentationHarness, type Point } from '@dyntel/test-support';
import { AgentsInstrumentation } from '../../src/instrumentation';
import type { AgentsInstrumentationConfig } from '../../src/types';

/** A harness around {@link AgentsInstrumentation}. */
export function agentsHarness(config: AgentsInstrumentationConfig = {}): InstrumentationHarness<AgentsInstrumentation, AgentsInstrumentationConfig> {
  return new InstrumentationHarness((c: AgentsInstrumentationConfig) => new AgentsInstrumentation(c), config);
}

/** The value of the one point of `name` whose attributes include `attributes`, 0 when none. */
export function valueOf(points: readonly Point[], name: string, attributes: Record<string, string>): number {
  const matching = points.filter((p) => p.name === name && Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  if (matching.length > 1) throw new Error(`${matching.length} points of ${name} match ${JSON.stringify(attributes)}`);
  return matching[0]?.value ?? 0;
}

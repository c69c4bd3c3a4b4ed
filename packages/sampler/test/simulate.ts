import { ROOT_CONTEXT, SamplingDecision, SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { ManualClock } from '../src/clock';
import type { SeededIds } from './seeded-ids';

/** One stream of root spans arriving at a steady rate. */
export interface Stream {
  readonly name: string;
  readonly perSecond: number;
  readonly attributes?: Attributes;
}

/** Per stream and per second: arrivals, sampled spans and the sum of their adjusted counts. */
export interface SecondStats {
  arrived: number;
  sampled: number;
  adjusted: number;
}

/**
 * Feeds `seconds` seconds of interleaved root spans from `streams` into `sampler`, moving the
 * manual clock to each arrival time. `rateAttribute` is read to sum adjusted counts.
 */
export function simulate(
  sampler: Sampler,
  clock: ManualClock,
  ids: SeededIds,
  streams: readonly Stream[],
  seconds: number,
  rateAttribute = 'SampleRate',
): Map<string, SecondStats[]> {
  const stats = new Map(streams.map((s) => [s.name, Array.from({ length: seconds }, () => ({ arrived: 0, sampled: 0, adjusted: 0 }))]));
  const start = clock.now();
  const next = streams.map((s) => start + 1000 / s.perSecond / 2);
  const end = start + seconds * 1000;
  for (;;) {
    let k = 0;
    for (let i = 1; i < streams.length; i++) if (next[i]! < next[k]!) k = i;
    const at = next[k]!;
    if (at >= end) break;
    clock.set(at);
    const stream = streams[k]!;
    const result = sampler.shouldSample(ROOT_CONTEXT, ids.traceId(), stream.name, SpanKind.INTERNAL, stream.attributes ?? {}, []);
    const second = stats.get(stream.name)![Math.floor((at - start) / 1000)]!;
    second.arrived++;
    if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) {
      second.sampled++;
      second.adjusted += Number(result.attributes?.[rateAttribute] ?? Number.NaN);
    }
    next[k] = at + 1000 / stream.perSecond;
  }
  clock.set(end);
  return stats;
}

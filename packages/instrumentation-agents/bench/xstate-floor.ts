// What the OpenTelemetry SDK itself needs for the contract's telemetry of one actor message
// that takes one transition: two clock readings, one `actor.message.duration` record, one
// `actor.state.transitions` add and, with per-message spans, an `actor.message` span started at
// the send (in the active context) and ended once processed. No instrumentation that emits the
// contract through the SDK can add less: its SDK floor. The actor's own telemetry (spawned,
// active, stopped, the system span) is once per run of 100,000 messages and left out.
//
// It is measured twice: alone, in a loop of its own, and by hand inside XState, as an `inspect`
// option written for this one machine, where XState builds an inspection event for each step
// and the same SDK calls run interleaved with XState's processing.
import { context, type Span, type Tracer } from '@opentelemetry/api';
import { METRIC_ACTOR_MESSAGE_DURATION, METRIC_ACTOR_STATE_TRANSITIONS } from '@dyntel/semconv';
import type { BenchSdk } from '@dyntel/bench-kit';
import { EVEN_TO_ODD, EVENTS, MESSAGE_ATTRIBUTES, MESSAGE_SPAN, ODD_TO_EVEN, messageSpanAttributes } from './xstate-machine.ts';

/** The floor's instruments and tracer on `sdk`. */
function floorTelemetry(sdk: BenchSdk) {
  const meter = sdk.meterProvider.getMeter('floor');
  return {
    duration: meter.createHistogram(METRIC_ACTOR_MESSAGE_DURATION),
    transitions: meter.createCounter(METRIC_ACTOR_STATE_TRANSITIONS),
    tracer: sdk.tracerProvider?.getTracer('floor') as Tracer | undefined,
  };
}

/** The floor alone: {@link EVENTS} messages' SDK work in a loop. */
export function floorAlone(sdk: BenchSdk): () => void {
  const { duration, transitions, tracer } = floorTelemetry(sdk);
  const spanAttributes = messageSpanAttributes('x:0');
  return () => {
    for (let i = 0; i < EVENTS; i++) {
      const sentAt = performance.now();
      const span = tracer?.startSpan(MESSAGE_SPAN, { attributes: spanAttributes }, context.active());
      transitions.add(1, (i & 1) === 0 ? EVEN_TO_ODD : ODD_TO_EVEN);
      duration.record((performance.now() - sentAt) / 1000, MESSAGE_ATTRIBUTES);
      span?.end();
    }
  };
}

interface FloorInspectionEvent {
  type: string;
  event?: { type: string };
  actorRef?: { sessionId: string };
  _transitions?: readonly { source?: { id?: string }; target?: readonly unknown[] }[];
}

/**
 * The floor by hand inside XState: an `inspect` option for the counter machine, fresh per actor,
 * that makes the floor's SDK calls where XState reports each step: the send, each microstep's
 * transitions, the snapshot that ends the message.
 */
export function floorInspector(sdk: BenchSdk): () => (event: FloorInspectionEvent) => void {
  const { duration, transitions, tracer } = floorTelemetry(sdk);
  return () => {
    const sentAt: number[] = [];
    const spans: Span[] = [];
    let spanAttributes: ReturnType<typeof messageSpanAttributes> | undefined;
    return (inspection) => {
      switch (inspection.type) {
        case '@xstate.event':
          if (inspection.event?.type === 'xstate.init') return;
          sentAt.push(performance.now());
          if (tracer !== undefined) {
            spanAttributes ??= messageSpanAttributes(inspection.actorRef!.sessionId);
            spans.push(tracer.startSpan(MESSAGE_SPAN, { attributes: spanAttributes }, context.active()));
          }
          return;
        case '@xstate.microstep':
          for (const transition of inspection._transitions ?? []) {
            if (transition.target !== undefined) transitions.add(1, transition.source?.id === 'counter.even' ? EVEN_TO_ODD : ODD_TO_EVEN);
          }
          return;
        case '@xstate.snapshot':
          if (inspection.event?.type === 'xstate.init' || sentAt.length === 0) return;
          duration.record((performance.now() - sentAt.shift()!) / 1000, MESSAGE_ATTRIBUTES);
          spans.shift()?.end();
      }
    };
  };
}

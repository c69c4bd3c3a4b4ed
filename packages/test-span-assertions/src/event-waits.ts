import { evaluateEvent, validateEventPattern, type EventPattern, type RecordedEvent } from './event-pattern';
import { explainEventWait, type Wording } from './explain';
import { visible } from './records';
import type { WaitCore, WaitOptions } from './waiter';

/**
 * Resolves with the first `count` events matching `pattern`: span events (seen when added) and
 * log records with an event name (seen when emitted). `wording` is a domain wait's.
 */
export function collectEvents(
  core: WaitCore,
  label: string,
  site: Error,
  pattern: EventPattern,
  count: number,
  options: WaitOptions,
  wording?: Wording<RecordedEvent>,
): Promise<RecordedEvent[]> {
  validateEventPattern(pattern);
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  return core.pend<RecordedEvent[]>(label, site, options, (ctl) => {
    const found = store.eventBuffer.toArray().filter((e) => visible(e, scope) && evaluateEvent(pattern, e.event).ok);
    if (found.length >= count) ctl.resolve(found.slice(0, count).map((e) => e.event));
    return {
      onEvent: (entry) => {
        if (!visible(entry, scope) || !evaluateEvent(pattern, entry.event).ok) return;
        found.push(entry);
        if (found.length >= count) ctl.resolve(found.map((e) => e.event));
      },
    };
  }, (timeoutMs) => explainEventWait({ label, timeoutMs, pattern, source: store.explainSource, scope, wording }));
}

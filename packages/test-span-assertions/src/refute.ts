import { isThenable } from '@dyntel/instrumentation-kit';
import { explainSpanWait } from './explain';
import { describeSpanPattern, evaluateSpan, validateSpanPattern, type SpanPattern } from './pattern';
import { visible, type SpanEntry } from './records';
import { describeValue } from './values';
import { WaitTimeoutError } from './wait-timeout-error';
import { withCallSite, type WaitCore, type WaitOptions } from './waiter';

/** Options of {@link Recorder.refuteSpan}. */
export interface RefuteOptions extends WaitOptions {
  /** The refutation passes when this span arrives (or this promise settles). */
  until?: SpanPattern | PromiseLike<unknown>;
}

/**
 * Fails at the first span matching `pattern` (already recorded or yet to come). Passes when
 * `until` arrives (a span pattern or a promise), or, without `until`, when the timeout ends.
 */
export function refuteSpan(core: WaitCore, site: Error, pattern: SpanPattern, options: RefuteOptions): Promise<void> {
  validateSpanPattern(pattern);
  const { store } = core;
  const scope = core.scopeFilter(options.scope);
  const until = options.until;
  const untilPattern = until !== undefined && !isThenable(until) ? until : undefined;
  if (untilPattern !== undefined) validateSpanPattern(untilPattern, 'until pattern');
  const refuted = (entry: SpanEntry) =>
    withCallSite(
      new WaitTimeoutError(
        `refuteSpan: a span that must not happen was recorded.\n\nRefuted pattern:\n  ${describeSpanPattern(pattern)}\n\nRecorded span:\n  ${JSON.stringify(entry.span.name)} ${describeValue(entry.span.attributes)}` +
          (untilPattern !== undefined ? `\n\nIt arrived before the until pattern ${describeSpanPattern(untilPattern)}.` : ''),
        `no span matching ${describeSpanPattern(pattern)}`,
        `${entry.span.name}`,
        'refuted',
      ),
      site,
    );
  return core.pend<void>('refuteSpan', site, options, (ctl) => {
    const visibleNow = store.visibleSpans(scope);
    const already = visibleNow.find((e) => evaluateSpan(pattern, e.span, store.graph).ok);
    if (already) ctl.reject(refuted(already));
    else if (untilPattern !== undefined && visibleNow.some((e) => evaluateSpan(untilPattern, e.span, store.graph).ok)) ctl.resolve();
    else if (isThenable(until)) {
      Promise.resolve(until).then(() => ctl.resolve(), (error: unknown) => ctl.reject(error instanceof Error ? error : new Error(String(error))));
    }
    return {
      onSpan: (entry) => {
        if (!visible(entry, scope)) return;
        if (evaluateSpan(pattern, entry.span, store.graph).ok) ctl.reject(refuted(entry));
        else if (untilPattern !== undefined && evaluateSpan(untilPattern, entry.span, store.graph).ok) ctl.resolve();
      },
    };
  }, (timeoutMs) => {
    if (until === undefined) return undefined;
    const waitedFor = untilPattern !== undefined ? `the until pattern ${describeSpanPattern(untilPattern)}` : 'the until promise';
    return untilPattern !== undefined
      ? explainSpanWait({
          label: 'refuteSpan',
          timeoutMs,
          patterns: [untilPattern],
          source: store.explainSource,
          scope,
          headline: `refuteSpan timed out after ${timeoutMs} ms waiting for ${waitedFor}; no refuted span was seen, but the refutation window never closed.`,
        })
      : new WaitTimeoutError(`refuteSpan timed out after ${timeoutMs} ms waiting for ${waitedFor}; no refuted span was seen, but the window never closed.`, waitedFor, '');
  });
}

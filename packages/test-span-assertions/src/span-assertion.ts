import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import { AssertionError } from 'node:assert';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describeSpanPattern, evaluateSpan, fieldLine, fieldLines, validateSpanPattern, type FieldCheck, type SpanGraph, type SpanPattern } from './pattern';
import type { SpanLike } from './span-shape';

// A span checked on its own has no recorded relatives; pass the recorder's graph for those.
const lonelyGraph: SpanGraph = { parentOf: () => undefined, childrenOf: () => [] };

/** The outcome of comparing one span with a pattern. */
export interface SpanMatch {
  ok: boolean;
  /** Every compared field with ✓/✗, in pattern order. */
  fields: FieldCheck[];
  /** The comparison as readable lines, e.g. `✗ status: expected error, got unset`. */
  diff: string;
}

/**
 * Compares one span with a pattern, field by field. `parent`, `ancestor` and `hasChild` need
 * `graph` (`recorder.graph`) to see other spans.
 */
export function matchSpan(span: ReadableSpan, pattern: SpanPattern, graph: SpanGraph = lonelyGraph): SpanMatch {
  if (typeof span !== 'object' || span === null || typeof span.spanContext !== 'function') {
    throw new TypeError(invalidValueMessage({ source: 'matchSpan', subject: 'span', value: span, expected: 'a span (ReadableSpan)' }));
  }
  validateSpanPattern(pattern);
  const checks = evaluateSpan(pattern, span as unknown as SpanLike, graph, true);
  return { ok: checks.ok, fields: checks.fields, diff: checks.fields.map(fieldLine).join('\n') };
}

/**
 * Asserts that a span matches a pattern (the runner-agnostic `toMatchSpan`): throws an
 * `AssertionError` with the per-field diff and `expected`/`actual`, as `node:assert` does.
 */
export function assertSpan(span: ReadableSpan, pattern: SpanPattern, graph?: SpanGraph): void {
  const result = matchSpan(span, pattern, graph);
  if (result.ok) return;
  throw new AssertionError({
    message: `span ${JSON.stringify(span.name)} does not match ${describeSpanPattern(pattern)}\n${result.diff.replace(/^/gm, '  ')}`,
    expected: fieldLines(result.fields, 'expected'),
    actual: fieldLines(result.fields, 'actual'),
    operator: 'assertSpan',
    stackStartFn: assertSpan,
  });
}

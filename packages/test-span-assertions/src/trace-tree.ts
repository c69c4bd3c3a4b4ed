import { invalidValueMessage } from '@dyntel/instrumentation-kit';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { evaluateSpan, validateSpanPattern, type SpanGraph, type SpanPattern, type SpanPatternObject } from './pattern';
import type { SpanLike } from './span-shape';

/** A span pattern with the patterns of its direct children. */
export type TracePattern = string | RegExp | (SpanPatternObject & { children?: readonly TracePattern[] });

/** A matched tree: the span and its matched children, in pattern order. */
export interface MatchedTrace {
  span: ReadableSpan;
  children: MatchedTrace[];
}

function nodePattern(node: TracePattern): SpanPattern {
  if (typeof node === 'string' || node instanceof RegExp) return node;
  const { children: _children, ...rest } = node;
  return rest;
}

function childPatterns(node: TracePattern): readonly TracePattern[] {
  return typeof node === 'string' || node instanceof RegExp ? [] : (node.children ?? []);
}

/** Validates every node of a tree pattern. */
export function validateTracePattern(node: unknown, where = 'trace pattern'): asserts node is TracePattern {
  if (typeof node === 'object' && node !== null && 'children' in node) {
    const children = (node as { children: unknown }).children;
    if (!Array.isArray(children)) throw new TypeError(invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: `${where}.children`, value: children, expected: 'an array of tree patterns' }));
    children.forEach((c, i) => validateTracePattern(c, `${where}.children[${i}]`));
  }
  validateSpanPattern(typeof node === 'object' && node !== null ? nodePattern(node as TracePattern) : node, where);
}

/** The span pattern of the tree's root, used to pick candidates. */
export function rootPattern(node: TracePattern): SpanPattern {
  return nodePattern(node);
}

/**
 * Matches `node` at `span`: the span matches the node and its direct children can be assigned,
 * one distinct span each, to the child patterns (with backtracking, so an early greedy choice
 * does not hide a valid assignment).
 */
export function matchTrace(node: TracePattern, span: SpanLike, graph: SpanGraph): MatchedTrace | undefined {
  if (!evaluateSpan(nodePattern(node), span, graph).ok) return undefined;
  const patterns = childPatterns(node);
  const children = graph.childrenOf(span);
  const used = new Set<SpanLike>();
  const result: MatchedTrace[] = [];
  const assign = (i: number): boolean => {
    if (i === patterns.length) return true;
    for (const child of children) {
      if (used.has(child)) continue;
      const sub = matchTrace(patterns[i]!, child, graph);
      if (!sub) continue;
      used.add(child);
      result.push(sub);
      if (assign(i + 1)) return true;
      used.delete(child);
      result.pop();
    }
    return false;
  };
  return assign(0) ? { span: span as ReadableSpan, children: result } : undefined;
}

/** All spans of a matched tree, depth first. */
export function flattenTrace(tree: MatchedTrace): ReadableSpan[] {
  return [tree.span, ...tree.children.flatMap(flattenTrace)];
}

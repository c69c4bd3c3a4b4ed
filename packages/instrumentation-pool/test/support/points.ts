import type { Point } from '@dyntel/test-support';
import {
  ATTR_POOL_CONNECTION_STATE,
  ATTR_POOL_NAME,
  METRIC_POOL_CONNECTION_COUNT,
  METRIC_POOL_IDLE_MAX,
  METRIC_POOL_IDLE_MIN,
  METRIC_POOL_MAX,
  METRIC_POOL_PENDING_REQUESTS,
} from '@dyntel/semconv';

/** The observable values of one pool name in collected points, named as {@link ownSizes} names them. */
export function sizesOf(points: Point[], name: string): Record<string, number> {
  const value = (metric: string, state?: string) =>
    points.find((p) => p.name === metric && p.attributes[ATTR_POOL_NAME] === name && p.attributes[ATTR_POOL_CONNECTION_STATE] === state)?.value ?? Number.NaN;
  return {
    idle: value(METRIC_POOL_CONNECTION_COUNT, 'idle'),
    used: value(METRIC_POOL_CONNECTION_COUNT, 'used'),
    pending: value(METRIC_POOL_PENDING_REQUESTS),
    max: value(METRIC_POOL_MAX),
    idleMax: value(METRIC_POOL_IDLE_MAX),
    idleMin: value(METRIC_POOL_IDLE_MIN),
  };
}

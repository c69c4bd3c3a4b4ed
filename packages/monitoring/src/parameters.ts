/**
 * The thresholds and windows of the dyntel alerts. Durations are Prometheus durations (`5m`,
 * `30s`); ratios are fractions of 1.
 */
export interface RuleParameters {
  /** The window of every rate and ratio the rules compute. */
  rateWindow: string;
  /** How long a breaker may stay away from `closed` (open, half open, forced open) before it alerts. */
  breakerOpenFor: string;
  /** More openings than this within {@link breakerFlappingWindow} is a flapping breaker. */
  breakerFlappingOpenings: number;
  /** The window in which a breaker's openings are counted. */
  breakerFlappingWindow: string;
  /** The share of a breaker's calls rejected (short-circuited) above which it alerts. */
  breakerRejectionRatio: number;
  /** The share of retried calls that end exhausted above which it alerts. */
  retryExhaustionRatio: number;
  /** Retries per logical call above which retrying has become a storm. */
  retryStormRetriesPerCall: number;
  /** The share of a pool's maximum in use above which the pool is saturated. */
  poolSaturationRatio: number;
  /** How long requests may keep waiting for a connection before it alerts. */
  poolPendingFor: string;
  /** The share of agent invocations that fail above which it alerts. */
  agentFailureRatio: number;
  /** The share of tool executions that fail above which it alerts. */
  toolFailureRatio: number;
  /** How long a ratio or a condition must hold before its alert fires. */
  alertFor: string;
  /** Where each alert's runbook is: the alert's name, lower-cased, is appended as the anchor. */
  runbookBaseUrl: string;
}

/** The defaults: for services that call their dependencies a few times a second or more. */
export const DEFAULT_PARAMETERS: Readonly<RuleParameters> = Object.freeze({
  rateWindow: '5m',
  breakerOpenFor: '5m',
  breakerFlappingOpenings: 5,
  breakerFlappingWindow: '30m',
  breakerRejectionRatio: 0.5,
  retryExhaustionRatio: 0.1,
  retryStormRetriesPerCall: 1,
  poolSaturationRatio: 0.9,
  poolPendingFor: '5m',
  agentFailureRatio: 0.1,
  toolFailureRatio: 0.1,
  alertFor: '5m',
  runbookBaseUrl: 'https://www.npmjs.com/package/@dyntel/monitoring#',
});

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/**
 * `overrides` over the defaults, checked: a duration that Prometheus would refuse, a ratio
 * outside (0, 1] or a count below 1 throws, naming the parameter and what it accepts.
 */
export function ruleParameters(overrides: Partial<RuleParameters> = {}): RuleParameters {
  const parameters = { ...DEFAULT_PARAMETERS, ...overrides };
  for (const [name, value] of Object.entries(parameters) as [keyof RuleParameters, unknown][]) {
    const expected = KINDS[name];
    if (expected === undefined) throw new TypeError(`unknown rule parameter ${JSON.stringify(name)}; known: ${Object.keys(KINDS).join(', ')}`);
    const problem = expected(value);
    if (problem !== undefined) throw new TypeError(`rule parameter ${name}: ${problem}, got ${JSON.stringify(value)}`);
  }
  return parameters;
}

type Check = (value: unknown) => string | undefined;
const duration: Check = (value) => (typeof value === 'string' && DURATION.test(value) ? undefined : 'expected a Prometheus duration such as 30s or 5m');
const ratio: Check = (value) => (typeof value === 'number' && value > 0 && value <= 1 ? undefined : 'expected a ratio above 0, at most 1');
const count: Check = (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 ? undefined : 'expected a whole number of at least 1');
const positive: Check = (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? undefined : 'expected a number above 0');
const url: Check = (value) => (typeof value === 'string' && /^https?:\/\/\S+$/.test(value) ? undefined : 'expected an http(s) URL');

const KINDS: Record<keyof RuleParameters, Check> = {
  rateWindow: duration,
  breakerOpenFor: duration,
  breakerFlappingOpenings: count,
  breakerFlappingWindow: duration,
  breakerRejectionRatio: ratio,
  retryExhaustionRatio: ratio,
  retryStormRetriesPerCall: positive,
  poolSaturationRatio: ratio,
  poolPendingFor: duration,
  agentFailureRatio: ratio,
  toolFailureRatio: ratio,
  alertFor: duration,
  runbookBaseUrl: url,
};

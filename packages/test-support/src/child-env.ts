/** Variables a child never inherits: they would configure its SDK or preload code behind the test's back. */
const NOT_INHERITED = /^(OTEL_|DYNTEL_|NODE_OPTIONS$|VITEST)/;

/**
 * This process's environment for a child, without the OTEL_ and DYNTEL_ variables, NODE_OPTIONS,
 * vitest's own, and whatever else `alsoDrop` matches: the child sees only what its test sets.
 */
export function inheritedEnv(alsoDrop?: RegExp): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !NOT_INHERITED.test(key) && !alsoDrop?.test(key)) env[key] = value;
  }
  return env;
}

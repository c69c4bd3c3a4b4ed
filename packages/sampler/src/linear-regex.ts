import { createRequire } from 'node:module';
import { showValue } from '@dyntel/instrumentation-kit';
import type * as Re2js from 're2js';
import { SamplerConfigError } from './config-error';
import { bounded, type StringTest } from './string-test';

/** What a regular expression written as text (a `{ regex }` matcher, a configuration file) may be. */
export const LINEAR_REGEX_EXPECTED = 'a regular expression in RE2 syntax (matched in linear time: no lookaround, no backreferences)';

let engine: typeof Re2js.RE2JS | undefined;

// Loaded on first use: most samplers have no regular-expression rule, and the engine is a
// module of a few hundred kilobytes that start-up should not pay for. An application bundled
// without it gets a configuration problem, not a crash.
function re2(field: string, source: string): typeof Re2js.RE2JS {
  try {
    engine ??= (createRequire(import.meta.url)('re2js') as typeof Re2js).RE2JS;
  } catch (error) {
    throw new SamplerConfigError(field, source, `${LINEAR_REGEX_EXPECTED}, matched by the re2js package, which could not be loaded (${showValue(String((error as Error)?.message))})`);
  }
  return engine;
}

/**
 * Compiles a regular expression with RE2 (the `re2js` port): its matching time grows with the
 * length of the value only, so no pattern (`^(a|aa)+$` included) can stall a sampling decision.
 * Search semantics, like `RegExp.prototype.test`: anchor with `^` and `$` to match whole values.
 * Like every pattern test, it never matches a value longer than `MATCHED_LENGTH_LIMIT`.
 *
 * @throws SamplerConfigError naming `field` when the pattern is not valid RE2 syntax.
 */
export function compileLinearRegex(source: unknown, field: string): StringTest {
  if (typeof source !== 'string' || source === '') throw new SamplerConfigError(field, source, LINEAR_REGEX_EXPECTED);
  const RE2JS = re2(field, source);
  let compiled: Re2js.RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    throw new SamplerConfigError(field, source, `${LINEAR_REGEX_EXPECTED}; RE2 says ${showValue(String((error as Error).message))}`);
  }
  return bounded((value) => compiled.test(value));
}

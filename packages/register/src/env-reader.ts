import { showItems, type ConfigProblem } from './diagnostics';
import type { EnvVariable } from './env-variables';

/** The environment to read; `process.env` unless a test passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable as read: its value (the fallback unless `set`), and whether it was unset, usable or invalid. */
export interface Reading<T> {
  readonly status: 'unset' | 'set' | 'invalid';
  readonly value: T;
}

/**
 * Reads variables by their table entry ({@link EnvVariable}), each parsed once however often it
 * is asked for, and records every bad value as a {@link ConfigProblem} instead of throwing.
 */
export class EnvReader {
  /** Everything that was wrong, in the order it was read. */
  readonly problems: ConfigProblem[] = [];
  private readonly readings = new Map<string, Reading<unknown>>();

  constructor(private readonly env: Env) {}

  /** A trimmed value; blank counts as unset, as in the OpenTelemetry specification. */
  readonly raw = (name: string): string | undefined => this.env[name]?.trim() || undefined;

  /** The variable's reading; a bad value is reported the first time only. */
  read<T, F extends T | undefined>(variable: EnvVariable<T, F>): Reading<T | F> {
    const known = this.readings.get(variable.name) as Reading<T | F> | undefined;
    if (known) return known;
    const reading = this.parse(variable);
    this.readings.set(variable.name, reading);
    return reading;
  }

  /** The variable's value, or its fallback. */
  value<T, F extends T | undefined>(variable: EnvVariable<T, F>): T | F {
    return this.read(variable).value;
  }

  /** Records a problem found by a rule that spans several variables. */
  report(problem: ConfigProblem): void {
    this.problems.push(problem);
  }

  private parse<T, F extends T | undefined>(variable: EnvVariable<T, F>): Reading<T | F> {
    const raw = this.raw(variable.name);
    if (raw === undefined) return { status: 'unset', value: variable.fallback };
    const { kind, name, fallback } = variable;
    const parsed = kind.parse(raw);
    // Messages show the value with its secrets (credentials, header values) replaced.
    const value = kind.redact ? kind.redact(raw) : raw;
    if (parsed === undefined) {
      const consequence = variable.whenInvalid?.(raw) ?? (fallback === undefined ? 'ignoring it' : `using ${kind.show ? kind.show(fallback as T) : String(fallback)}`);
      this.report({ variable: name, value, expected: kind.expected, consequence });
      return { status: 'invalid', value: fallback };
    }
    if (parsed.ignored && parsed.ignored.length > 0) {
      const kept = variable.whenIgnored ? `, ${variable.whenIgnored(parsed.value)}` : '';
      const ignored = showItems(parsed.ignored, kind.describesIgnored ? (part) => part : undefined);
      this.report({ variable: name, value, expected: kind.expected, consequence: `ignoring ${ignored}${kept}` });
    }
    return { status: 'set', value: parsed.value };
  }
}

import { invalidValueMessage } from '@dyntel/instrumentation-kit';

/** Throws the one-line TypeError unless `value` is one of the contract enum's `members`. */
export function validateMember<T extends string>(value: unknown, members: Readonly<Record<string, T>>, what: string, label: string): asserts value is T {
  if (!(Object.values(members) as unknown[]).includes(value)) {
    throw new TypeError(invalidValueMessage({ source: label, subject: what, value, expected: `one of ${Object.values(members).join(', ')}` }));
  }
}

/** Throws the one-line TypeError unless `name` can name a component of `family` (a breaker, a retry). */
export function validateComponentName(name: unknown, family: string, label: string): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(invalidValueMessage({ source: label, subject: `${family} name`, value: name, expected: `the ${family}'s name, a non-empty string` }));
  }
}

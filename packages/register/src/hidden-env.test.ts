import { afterEach, describe, expect, it } from 'vitest';
import { withoutVariables } from './hidden-env';

describe('withoutVariables', () => {
  afterEach(() => {
    delete process.env.DYNTEL_TEST_HIDDEN;
  });

  it('hides the variables while it runs and restores them, also when it throws', () => {
    process.env.DYNTEL_TEST_HIDDEN = 'secret';
    expect(withoutVariables(['DYNTEL_TEST_HIDDEN', 'DYNTEL_TEST_UNSET'], () => [process.env.DYNTEL_TEST_HIDDEN, 'DYNTEL_TEST_UNSET' in process.env])).toEqual([undefined, false]);
    expect(process.env.DYNTEL_TEST_HIDDEN).toBe('secret');
    expect('DYNTEL_TEST_UNSET' in process.env).toBe(false);
    expect(() =>
      withoutVariables(['DYNTEL_TEST_HIDDEN'], () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(process.env.DYNTEL_TEST_HIDDEN).toBe('secret');
  });
});

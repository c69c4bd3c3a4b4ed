import { describe, expect, it } from 'vitest';
import { packageInfo } from './package-info';

describe('packageInfo', () => {
  it('reads the real name and version of a package whose exports map hides its package.json', () => {
    expect(packageInfo('@opentelemetry/sdk-trace')).toEqual({ name: '@opentelemetry/sdk-trace', version: expect.stringMatching(/^3\./) });
  });

  it('throws for a package that is not installed', () => {
    expect(() => packageInfo('@dyntel/not-a-package')).toThrow('@dyntel/not-a-package is not installed');
  });
});

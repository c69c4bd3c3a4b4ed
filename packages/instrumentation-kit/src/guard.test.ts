import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { safely } from './guard';

function captureDiag(): string[] {
  const lines: string[] = [];
  const log = (message: string) => lines.push(message);
  const logger: DiagLogger = { error: log, warn: log, info: log, debug: log, verbose: log };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
  return lines;
}

describe('safely', () => {
  afterEach(() => diag.disable());

  it('returns the function result', () => {
    expect(safely('ok', () => 7)).toBe(7);
  });

  it('catches, reports through diag and returns the fallback', () => {
    const lines = captureDiag();
    const result = safely('test hook', () => {
      throw new Error('broken meter');
    }, 'fallback');
    expect(result).toBe('fallback');
    expect(lines).toEqual([expect.stringContaining('dyntel: test hook failed (occurrence 1)')]);
  });

  it('does not flood the log when a hook fails on every call', () => {
    const lines = captureDiag();
    for (let i = 0; i < 2500; i++) {
      safely('hot path hook', () => {
        throw new Error('x');
      });
    }
    // five in full, then the 1000th and the 2000th
    expect(lines).toHaveLength(7);
  });
});

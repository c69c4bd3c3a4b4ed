import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineLog } from './line-log';

describe('LineLog', () => {
  it('keeps every line and resolves a wait on the line that matches, seen before or after', async () => {
    const stream = new PassThrough();
    const log = new LineLog(stream);
    const later = log.waitFor(/^READY (\d+)$/);
    stream.write('starting\nREADY 80');
    stream.write('80\nother\n');
    expect((await later)[1]).toBe('8080');
    expect((await log.waitFor(/^start\w*/))[0]).toBe('starting');
    expect(log.lines).toEqual(['starting', 'READY 8080', 'other']);
    expect(log.matching(/t/)).toEqual(['starting', 'other']);
    expect(String(log)).toBe('starting\nREADY 8080\nother');
  });
});

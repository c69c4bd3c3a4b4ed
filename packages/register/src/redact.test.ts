import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact';

describe('redactUrl', () => {
  it.each([
    ['http://user:s3cret@collector:4318/v1', 'http://user:***@collector:4318/v1'],
    ['https://ghp_token@collector', 'https://***@collector'],
    ['user:s3cret@collector:4318', 'user:***@collector:4318'],
    ['http://u:p@ss@host/x@y', 'http://u:***@host/x@y'],
    ['http://collector:4318/a@b', 'http://collector:4318/a@b'],
    ['http://collector:4318', 'http://collector:4318'],
  ])('%s shows as %s', (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });
});

import { describe, expect, it } from 'vitest';
import type { Span } from '@opentelemetry/api';
import { Mailbox } from './mailbox';

const taken = (mailbox: Mailbox) => {
  const out: number[] = [];
  while (mailbox.shift((sentAt) => out.push(sentAt)));
  return out;
};

describe('Mailbox', () => {
  it('hands messages back oldest first, across wrap-around and growth', () => {
    const mailbox = new Mailbox();
    const events = Array.from({ length: 12 }, (_, i) => ({ type: `E${i}` }));
    for (let i = 0; i < 3; i++) mailbox.push(events[i]!, i, {}, undefined);
    expect(mailbox.headIs(events[0])).toBe(true);
    mailbox.shift(() => undefined);
    mailbox.shift(() => undefined);
    for (let i = 3; i < 12; i++) mailbox.push(events[i]!, i, {}, undefined);
    expect([mailbox.depth, mailbox.headIs(events[2])]).toEqual([10, true]);
    expect(taken(mailbox)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect([mailbox.depth, mailbox.headIs(events[11])]).toEqual([0, false]);
  });

  it('clear() ends the spans of the messages left, which are never handed back', () => {
    const mailbox = new Mailbox();
    let ended = 0;
    const span = { end: () => void (ended += 1) } as unknown as Span;
    for (let i = 0; i < 6; i++) mailbox.push({}, i, {}, i % 2 === 0 ? span : undefined);
    mailbox.shift(() => undefined);
    mailbox.clear();
    expect([ended, mailbox.depth, taken(mailbox)]).toEqual([2, 0, []]);
  });
});

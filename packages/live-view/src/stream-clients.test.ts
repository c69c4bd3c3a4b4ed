import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { eventFrame, STALLED_STREAM_MILLIS, StreamClients } from './stream-clients';

/** A response whose socket takes `room` writes, then reports a full buffer until drained. */
class FakeResponse extends EventEmitter {
  readonly written: string[] = [];
  destroyed = false;
  constructor(private room: number) {
    super();
  }
  writeHead() {
    return this;
  }
  write(frame: string): boolean {
    this.written.push(frame);
    return --this.room > 0;
  }
  end() {
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  drain(room: number) {
    this.room = room;
    this.emit('drain');
  }
}

describe('StreamClients', () => {
  it('drops the frames of a client whose socket is not writable, and sends again once it drains', () => {
    const clients = new StreamClients(4, () => {});
    const slow = new FakeResponse(2);
    const fast = new FakeResponse(Infinity);
    clients.open(slow as unknown as ServerResponse, 'first');
    clients.open(fast as unknown as ServerResponse, 'first');
    for (let i = 0; i < 100; i++) clients.broadcast(eventFrame('sample', i));
    // The slow one got the frame that filled its buffer and no more: nothing queued for it.
    expect(slow.written).toHaveLength(2);
    expect(fast.written).toHaveLength(101);
    slow.drain(Infinity);
    clients.broadcast(eventFrame('sample', 100));
    expect(slow.written.at(-1)).toBe('event: sample\ndata: 100\n\n');
  });

  it('closes a stream that stays unwritable (a browser gone without closing), which frees its place', () => {
    let now = 0;
    const counts: number[] = [];
    const clients = new StreamClients(4, (count) => counts.push(count), () => now);
    const gone = new FakeResponse(1);
    clients.open(gone as unknown as ServerResponse, 'first');
    now = STALLED_STREAM_MILLIS - 1;
    clients.broadcast('frame');
    expect(gone.destroyed).toBe(false);
    now = STALLED_STREAM_MILLIS;
    clients.broadcast('frame');
    expect(gone.destroyed).toBe(true);
    expect(clients.size).toBe(0);
    expect(counts).toEqual([1, 0]);
  });

  it('counts open streams, forgets a closed one, and refuses past its limit', () => {
    const counts: number[] = [];
    const clients = new StreamClients(1, (count) => counts.push(count));
    const response = new FakeResponse(Infinity);
    clients.open(response as unknown as ServerResponse, 'first');
    expect(clients.hasRoom()).toBe(false);
    response.end();
    expect(clients.size).toBe(0);
    expect(clients.hasRoom()).toBe(true);
    expect(counts).toEqual([1, 0]);
  });
});

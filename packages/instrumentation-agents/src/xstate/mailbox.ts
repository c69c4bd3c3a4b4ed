import type { Attributes, Span } from '@opentelemetry/api';

const INITIAL_CAPACITY = 4;

/**
 * The messages sent to one actor and not yet processed, oldest first (XState's mailbox is
 * FIFO): each one's event, send time, metric attributes and span in ring buffers of their own,
 * which grow but are never emptied by truncation, so that a message allocates nothing while it
 * waits (an array emptied by `shift` or `length = 0` gives its storage back, and the next
 * message would allocate it again).
 */
export class Mailbox {
  #events: (object | undefined)[] = new Array<object | undefined>(INITIAL_CAPACITY).fill(undefined);
  #sentAt: number[] = new Array<number>(INITIAL_CAPACITY).fill(0);
  #attributes: (Attributes | undefined)[] = new Array<Attributes | undefined>(INITIAL_CAPACITY).fill(undefined);
  #spans: (Span | undefined)[] = new Array<Span | undefined>(INITIAL_CAPACITY).fill(undefined);
  #head = 0;
  #size = 0;

  /** Messages waiting. */
  get depth(): number {
    return this.#size;
  }

  /** A message sent. */
  push(event: object, sentAt: number, attributes: Attributes, span: Span | undefined): void {
    if (this.#size === this.#events.length) this.#grow();
    const index = (this.#head + this.#size) % this.#events.length;
    this.#events[index] = event;
    this.#sentAt[index] = sentAt;
    this.#attributes[index] = attributes;
    this.#spans[index] = span;
    this.#size += 1;
  }

  /** Whether the oldest message is `event`. */
  headIs(event: unknown): boolean {
    return this.#size > 0 && this.#events[this.#head] === event;
  }

  /** Removes the oldest message and hands it to `processed`; false when the mailbox is empty. */
  shift(processed: (sentAt: number, attributes: Attributes, span: Span | undefined) => void): boolean {
    if (this.#size === 0) return false;
    const index = this.#head;
    const sentAt = this.#sentAt[index]!;
    const attributes = this.#attributes[index]!;
    const span = this.#spans[index];
    this.#release(index);
    this.#head = (index + 1) % this.#events.length;
    this.#size -= 1;
    processed(sentAt, attributes, span);
    return true;
  }

  /** Empties the mailbox: its messages will never be processed; their spans end. */
  clear(): void {
    for (; this.#size > 0; this.#size -= 1) {
      const index = this.#head;
      this.#spans[index]?.end();
      this.#release(index);
      this.#head = (index + 1) % this.#events.length;
    }
  }

  // Drops the references of a slot, so that a processed event is not kept alive by its actor.
  #release(index: number): void {
    this.#events[index] = undefined;
    this.#attributes[index] = undefined;
    this.#spans[index] = undefined;
  }

  #grow(): void {
    const order = (values: unknown[]) => [...values.slice(this.#head), ...values.slice(0, this.#head)];
    const capacity = this.#events.length * 2;
    this.#events = [...order(this.#events), ...new Array<undefined>(capacity / 2).fill(undefined)] as (object | undefined)[];
    this.#sentAt = [...order(this.#sentAt), ...new Array<number>(capacity / 2).fill(0)] as number[];
    this.#attributes = [...order(this.#attributes), ...new Array<undefined>(capacity / 2).fill(undefined)] as (Attributes | undefined)[];
    this.#spans = [...order(this.#spans), ...new Array<undefined>(capacity / 2).fill(undefined)] as (Span | undefined)[];
    this.#head = 0;
  }
}

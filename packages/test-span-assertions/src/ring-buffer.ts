import { invalidValueMessage } from '@dyntel/instrumentation-kit';
/** A fixed-capacity FIFO: pushing onto a full buffer drops (and returns) the oldest item. */
export class RingBuffer<T> {
  private items: (T | undefined)[] = [];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(invalidValueMessage({ source: '@dyntel/test-span-assertions', subject: 'buffer capacity', value: capacity, expected: 'an integer >= 1' }));
    }
  }

  /** Appends an item; returns the item dropped to make room, if any. */
  push(item: T): T | undefined {
    if (this.size < this.capacity) {
      this.items[(this.start + this.size) % this.capacity] = item;
      this.size += 1;
      return undefined;
    }
    const dropped = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return dropped;
  }

  clear(): void {
    this.items = [];
    this.start = 0;
    this.size = 0;
  }

  /** Items from oldest to newest. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.start + i) % this.capacity] as T;
  }

  toArray(): T[] {
    return [...this];
  }
}

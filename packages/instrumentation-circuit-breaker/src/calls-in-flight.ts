/** A call as {@link CallsInFlight} keeps it. */
export interface InFlightCall {
  /** The array the library's events identify the call by. */
  readonly arguments: object | undefined;
  /** The calls started before and after this one, while it is among the latest. */
  older: this | undefined;
  newer: this | undefined;
}

/**
 * Calls in flight that a library identifies by an arguments array in its events (opossum).
 * The latest {@link SCANNED} calls are listed oldest first and found by a scan from the
 * oldest, which is usually the one an event is about: calls time out and fail in about the
 * order they started. A call that stays in flight while that many newer ones start moves to a
 * WeakMap keyed by its array. Keying every call by its array would give each array an
 * identity hash, a V8 runtime call on every call; this way only long-lived calls pay it.
 * A lookup reads at most SCANNED calls and one WeakMap entry, however many are in flight,
 * and only the listed calls are held strongly: the others live as long as the library holds
 * their arrays, so a call nothing can settle any more is garbage-collected with its record.
 */
export class CallsInFlight<C extends InFlightCall> {
  /** How many of the latest calls are listed and scanned. */
  static readonly SCANNED = 128;

  #oldest: C | undefined;
  #newest: C | undefined;
  #listed = 0;
  readonly #earlier = new WeakMap<object, C>();

  /** Adds a call whose `arguments` is set. */
  add(call: C): void {
    call.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = call;
    else this.#newest.newer = call;
    this.#newest = call;
    if (++this.#listed > CallsInFlight.SCANNED) {
      const oldest = this.#oldest!;
      this.#unlist(oldest);
      this.#earlier.set(oldest.arguments!, oldest);
    }
  }

  /** Removes a call that was added. */
  remove(call: C): void {
    if (call.older !== undefined || this.#oldest === call) this.#unlist(call);
    else this.#earlier.delete(call.arguments!);
  }

  /** The call in flight identified by `callArguments`, if any. */
  find(callArguments: object): C | undefined {
    for (let call = this.#oldest; call !== undefined; call = call.newer) {
      if (call.arguments === callArguments) return call;
    }
    return this.#earlier.get(callArguments);
  }

  #unlist(call: C): void {
    const { older, newer } = call;
    if (older === undefined) this.#oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.#newest = older;
    else newer.older = older;
    call.older = undefined;
    call.newer = undefined;
    this.#listed--;
  }
}

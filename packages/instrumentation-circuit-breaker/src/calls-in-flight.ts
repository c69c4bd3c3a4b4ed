/** A call as {@link CallsInFlight} keeps it. */
export interface InFlightCall {
  /** The arrays the library's events identify the call by. */
  readonly arguments: object | undefined;
  /** The calls started before and after this one, while it is listed. */
  older: this | undefined;
  newer: this | undefined;
}

/**
 * Calls in flight that a library identifies by an arguments array in its events (opossum),
 * oldest first. A call is found by a scan from the oldest, which is usually the one an event
 * is about: calls time out and fail in about the order they started. A Map keyed by the arrays
 * would give each call's array an identity hash, a V8 runtime call on every call.
 */
export class CallsInFlight<C extends InFlightCall> {
  #oldest: C | undefined;
  #newest: C | undefined;

  /** Adds a call whose `arguments` is set. */
  add(call: C): void {
    call.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = call;
    else this.#newest.newer = call;
    this.#newest = call;
  }

  /** Removes a call that was added. */
  remove(call: C): void {
    const { older, newer } = call;
    if (older === undefined) this.#oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.#newest = older;
    else newer.older = older;
    call.older = undefined;
    call.newer = undefined;
  }

  /** The call in flight identified by `callArguments`, if any. */
  find(callArguments: object): C | undefined {
    for (let call = this.#oldest; call !== undefined; call = call.newer) {
      if (call.arguments === callArguments) return call;
    }
    return undefined;
  }
}

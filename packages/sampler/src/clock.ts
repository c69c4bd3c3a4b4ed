import { monotonicMillis } from '@dyntel/instrumentation-kit';

/** A source of monotonic time in milliseconds. Budgets read it; tests inject a {@link ManualClock}. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
}

/** The process's monotonic clock (`performance.now()`). */
export const monotonicClock: Clock = { now: monotonicMillis };

/** A clock that only moves when told to: for deterministic tests and simulations of load. */
export class ManualClock implements Clock {
  private time: number;

  constructor(startMillis = 0) {
    this.time = startMillis;
  }

  now(): number {
    return this.time;
  }

  /** Moves the clock forward by `millis`. */
  advance(millis: number): void {
    this.time += millis;
  }

  /** Sets the clock to `millis`. */
  set(millis: number): void {
    this.time = millis;
  }
}

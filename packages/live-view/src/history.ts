import type { Sample } from './sample';

/** A breaker entering a state, as the samples saw it. */
export interface StateChange {
  /** Milliseconds since the epoch: the sample that first showed the state. */
  time: number;
  state: string;
}

/** A breaker's states over the window: the first entry is the state at (or before) the window's start. */
export type Timeline = StateChange[];

/** When a breaker entered the state it is in. */
export interface StateSince {
  /** Milliseconds since the epoch. */
  time: number;
  /** False when the state was already there at the first sample that saw the breaker: it began at `time` or earlier. */
  exact: boolean;
}

/**
 * The samples of the last `windowMillis`, at most `capacity` of them, and each breaker's state
 * timeline over the same window. Both are bounded: samples by count, timelines by the window
 * and by the number of breakers a sample can hold.
 */
export class History {
  private readonly samples: Sample[] = [];
  private readonly timelines = new Map<string, Timeline>();
  private readonly since = new Map<string, StateSince>();

  constructor(
    private readonly windowMillis: number,
    private readonly capacity: number,
  ) {}

  /** Adds a sample, dropping what fell out of the window. */
  add(sample: Sample): void {
    this.samples.push(sample);
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
    const start = sample.time - this.windowMillis;
    while (this.samples.length > 0 && this.samples[0]!.time < start) this.samples.shift();

    const seen = new Set<string>();
    for (const breaker of sample.breakers) {
      if (breaker.state === null) continue;
      seen.add(breaker.name);
      const timeline = this.timelines.get(breaker.name);
      if (!timeline) {
        this.timelines.set(breaker.name, [{ time: sample.time, state: breaker.state }]);
        this.since.set(breaker.name, { time: sample.time, exact: false });
      } else if (timeline.at(-1)!.state !== breaker.state) {
        timeline.push({ time: sample.time, state: breaker.state });
        this.since.set(breaker.name, { time: sample.time, exact: true });
      }
    }
    for (const [name, timeline] of this.timelines) {
      // The entry in force at the window's start stays; older ones go.
      while (timeline.length > 1 && timeline[1]!.time <= start) timeline.shift();
      // A breaker no sample shows any more (left out past the component limit) goes with its window.
      if (!seen.has(name) && timeline.at(-1)!.time < start) {
        this.timelines.delete(name);
        this.since.delete(name);
      }
    }
  }

  /** The samples in the window, oldest first. */
  window(): readonly Sample[] {
    return this.samples;
  }

  /** The latest sample, if any. */
  latest(): Sample | undefined {
    return this.samples.at(-1);
  }

  /** Each breaker's timeline over the window. */
  breakerTimelines(): Record<string, Timeline> {
    return Object.fromEntries([...this.timelines].map(([name, timeline]) => [name, [...timeline]]));
  }

  /** When a breaker entered its current state, as far as the samples know. */
  stateSince(name: string): StateSince | undefined {
    return this.since.get(name);
  }

  /** Forgets everything: the next sample starts a new window. */
  clear(): void {
    this.samples.length = 0;
    this.timelines.clear();
    this.since.clear();
  }
}

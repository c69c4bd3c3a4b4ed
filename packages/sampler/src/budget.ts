import type { Clock } from './clock';
import type { Decisions, Outcome } from './decisions';
import { encodeProbability } from './threshold';

/** Ladder steps per halving of the probability: adjacent steps differ by about 2.2%. */
const STEPS_PER_HALVING = 32;
const LAST_STEP = 56 * STEPS_PER_HALVING;

/**
 * The probabilities a budget may use, 2^(-i/32) for i = 0..1792, each with its outcome built
 * the first time it is needed. A fixed ladder keeps budgets allocation-free after warm-up and
 * makes their thresholds reproducible.
 */
export class ProbabilityLadder {
  private readonly steps: (Outcome | undefined)[] = [];
  private readonly decisions: Decisions;
  private readonly precision: number;

  constructor(decisions: Decisions, precision: number) {
    this.decisions = decisions;
    this.precision = precision;
  }

  /** The outcome of step `index`. */
  at(index: number): Outcome {
    let outcome = this.steps[index];
    if (outcome === undefined) {
      outcome = this.decisions.outcome(encodeProbability(2 ** (-index / STEPS_PER_HALVING), this.precision));
      this.steps[index] = outcome;
    }
    return outcome;
  }

  /** The first step whose probability does not exceed `p` (0 for p >= 1). */
  static indexAtMost(p: number): number {
    if (!(p < 1)) return 0;
    if (!(p > 0)) return LAST_STEP;
    // The small tolerance keeps an exact step (p = 0.5) from rounding to the next one.
    return Math.min(LAST_STEP, Math.ceil(-Math.log2(p) * STEPS_PER_HALVING - 1e-9));
  }
}

/** Budget timing: window length and how fast the probability may grow back. */
export interface BudgetTiming {
  /** Length of a measurement window in milliseconds (default 1000). */
  readonly windowMillis: number;
  /** Largest factor by which the probability may grow from one window to the next (default 4). */
  readonly maxGrowth: number;
}

/** Default {@link BudgetTiming}. */
export const DEFAULT_BUDGET_TIMING: BudgetTiming = { windowMillis: 1000, maxGrowth: 4 };

/**
 * The adaptive probability of one budget. Each window it measures the arrival rate and sets
 * p = target / rate: at once when that lowers p, by at most `maxGrowth` when it raises it. When
 * the sampled count overruns the window's share mid-window (a burst), p drops immediately to
 * what the rate seen so far calls for. p only depends on past arrivals, never on the current
 * span's randomness, so sampled spans carry a valid threshold.
 */
export class RateController {
  private readonly ladder: ProbabilityLadder;
  private readonly growthSteps: number;
  private readonly windowMillis: number;
  private target = 0;
  private windowAllowance = 0;
  private step = 0;
  private seen = 0;
  private sampledInWindow = 0;
  /** Arrival rate (spans per second) measured over the last window. */
  lastRate = 0;

  constructor(ladder: ProbabilityLadder, target: number, timing: BudgetTiming) {
    this.ladder = ladder;
    this.windowMillis = timing.windowMillis;
    this.growthSteps = Math.round(Math.log2(timing.maxGrowth) * STEPS_PER_HALVING);
    this.setTarget(target);
  }

  /** The target rate in spans per second. */
  get targetRate(): number {
    return this.target;
  }

  /** Changes the target (a global budget re-divides itself every window). */
  setTarget(spansPerSecond: number): void {
    this.target = spansPerSecond;
    this.windowAllowance = (spansPerSecond * this.windowMillis) / 1000;
  }

  /** Counts an arrival and returns the outcome to decide it with. */
  arrive(): Outcome {
    this.seen++;
    return this.ladder.at(this.step);
  }

  /** Counts a sampled span; `elapsedMillis` is the time since the window opened. */
  sampled(elapsedMillis: number): void {
    if (++this.sampledInWindow > this.windowAllowance) {
      // Over the window's allowance: lower p now, from the rate seen so far in this window.
      const rate = (this.seen * 1000) / Math.max(elapsedMillis, 1);
      const step = ProbabilityLadder.indexAtMost(this.target / rate);
      if (step > this.step) this.step = step;
    }
  }

  /**
   * Closes a window that lasted `elapsedMillis`: measures its arrival rate and starts counting
   * anew. {@link retune} then sets the next window's probability, once per window.
   */
  closeWindow(elapsedMillis: number): void {
    this.lastRate = (this.seen * 1000) / elapsedMillis;
    this.seen = 0;
    this.sampledInWindow = 0;
  }

  /** Sets p from the last measured rate and the current target. */
  retune(): void {
    const desired = this.lastRate > 0 ? ProbabilityLadder.indexAtMost(this.target / this.lastRate) : 0;
    this.step = desired >= this.step ? desired : Math.max(desired, this.step - this.growthSteps);
  }
}

/** Consecutive measurement windows of a fixed length on a clock. */
class Windows {
  private start = Number.NaN;

  constructor(
    private readonly clock: Clock,
    private readonly millis: number,
    /** Called with the length of each window as it closes, before the next one opens. */
    private readonly onClose: (elapsedMillis: number) => void,
  ) {}

  /** Opens the first window or, when the current one is over, closes it and opens the next; returns the time since the current one opened. */
  tick(): number {
    const now = this.clock.now();
    if (Number.isNaN(this.start)) this.start = now;
    else if (now - this.start >= this.millis) {
      this.onClose(now - this.start);
      this.start = now;
    }
    return now - this.start;
  }
}

/** A spans-per-second budget of its own, with its own windows. */
export class Budget {
  private readonly controller: RateController;
  private readonly windows: Windows;
  private elapsed = 0;

  constructor(spansPerSecond: number, ladder: ProbabilityLadder, clock: Clock, timing: BudgetTiming) {
    const controller = new RateController(ladder, spansPerSecond, timing);
    this.controller = controller;
    this.windows = new Windows(clock, timing.windowMillis, (elapsedMillis) => {
      controller.closeWindow(elapsedMillis);
      controller.retune();
    });
  }

  /** The outcome for the next span; call {@link sampled} when it is kept. */
  next(): Outcome {
    this.elapsed = this.windows.tick();
    return this.controller.arrive();
  }

  /** Reports that the span just decided was kept. */
  sampled(): void {
    this.controller.sampled(this.elapsed);
  }

  /** For `toString()`. */
  describe(): string {
    return `${this.controller.targetRate}/s`;
  }
}

/** Options of a budget shared by several rules. */
export interface GlobalBudgetOptions {
  /** Total sampled spans per second across the rules with a `sharedBudget()` policy. */
  readonly spansPerSecond: number;
  /**
   * Spans per second every sharing rule gets at least, so that rare rules always get through
   * even when busy ones would take the whole budget (default 1).
   */
  readonly floor?: number;
}

/**
 * A budget divided among rules by max-min fairness every window: rules whose traffic is below
 * the fair share keep all of it, the busy ones split the rest equally, and no rule gets less
 * than the floor.
 */
export class GlobalBudget {
  private readonly members: RateController[] = [];
  private readonly total: number;
  private readonly floor: number;
  private readonly ladder: ProbabilityLadder;
  private readonly timing: BudgetTiming;
  private readonly windows: Windows;

  constructor(options: GlobalBudgetOptions, ladder: ProbabilityLadder, clock: Clock, timing: BudgetTiming) {
    this.total = options.spansPerSecond;
    this.floor = options.floor ?? 1;
    this.ladder = ladder;
    this.timing = timing;
    this.windows = new Windows(clock, timing.windowMillis, (elapsedMillis) => this.rollover(elapsedMillis));
  }

  /** Adds a sharing rule; returns its controller. */
  join(): RateController {
    const controller = new RateController(this.ladder, this.total, this.timing);
    this.members.push(controller);
    const share = Math.max(this.floor, this.total / this.members.length);
    for (const member of this.members) member.setTarget(share);
    return controller;
  }

  /** Starts a new window when the current one is over; returns the time since it opened. */
  tick(): number {
    return this.windows.tick();
  }

  // Measures every member, re-divides the budget, then retunes each member once: a member
  // may grow back by at most maxGrowth per window, as an own budget does.
  private rollover(elapsedMillis: number): void {
    for (const member of this.members) member.closeWindow(elapsedMillis);
    const level = Math.max(this.floor, waterLevel(this.members, this.total));
    for (const member of this.members) {
      member.setTarget(level);
      member.retune();
    }
  }

  /** For `toString()`. */
  describe(): string {
    return `${this.total}/s shared, floor ${this.floor}/s`;
  }
}

/**
 * The max-min fair level: the rate L such that the sum over members of min(rate, L) equals
 * the total (or any L above every rate when the total covers all of them). Runs once a window.
 */
function waterLevel(members: readonly RateController[], total: number): number {
  let remaining = total;
  let unsatisfied = members.length;
  const satisfied = new Uint8Array(members.length);
  for (;;) {
    if (unsatisfied === 0) return total;
    const share = remaining / unsatisfied;
    let changed = false;
    for (let i = 0; i < members.length; i++) {
      if (satisfied[i] === 0 && members[i]!.lastRate <= share) {
        satisfied[i] = 1;
        remaining -= members[i]!.lastRate;
        unsatisfied--;
        changed = true;
      }
    }
    if (!changed) return share;
  }
}

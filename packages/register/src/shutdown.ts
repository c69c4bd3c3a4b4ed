import { describeError, type Diagnostics } from './diagnostics';
import { DYNTEL_SHUTDOWN_TIMEOUT } from './env-variables';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What the final flush does, and how long it may hold the process. */
export interface FinalFlush {
  /** Flushes and shuts the SDK down. */
  shutdown: () => Promise<void>;
  /** DYNTEL_SHUTDOWN_TIMEOUT: the longest the process waits for {@link shutdown}. */
  limitMillis: number;
  /** Ends the exports still running once the limit is reached, so that nothing of ours holds the process after it. */
  cut: () => void;
  diagnostics: Diagnostics;
  /**
   * Pauses what schedules work of its own when the process is about to end (the runtime
   * metrics' GC observer, whose entries arrive through an immediate), so that it is not taken
   * for work of the application's; returns what resumes it.
   */
  pauseObservers?: () => () => void;
}

/**
 * Flushes and shuts the SDK down on SIGTERM, SIGINT and `beforeExit`, once, holding the
 * process {@link FinalFlush.limitMillis} at most. After a signal the process ends the way it
 * would have without us: when the application has no handler of its own, the signal is raised
 * again with ours removed, so the default action (terminate, with the signal as exit status)
 * happens; when it has one, that handler decides. On a natural exit the exit code is kept.
 */
export function installShutdownHooks(flush: FinalFlush): void {
  let flushing: Promise<void> | undefined;
  const finalFlush = () => (flushing ??= boundedFlush(flush));

  const onSignal = (signal: NodeJS.Signals) => {
    // Counted now, not at start: the application may add its handler after we load.
    const applicationHandles = process.listenerCount(signal) > 1;
    void finalFlush().then(() => {
      if (applicationHandles) return;
      for (const s of SIGNALS) process.removeListener(s, onSignal);
      process.kill(process.pid, signal);
    });
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  process.once('beforeExit', () => {
    // After a signal, the loop empties once that flush is over: nothing more to do.
    if (flushing) return;
    const resume = flush.pauseObservers?.();
    // Nothing listed now keeps the loop alive (stdio pipes may be listed all the same). One
    // turn later, every beforeExit listener of the application has run, and what it scheduled
    // (more work, a legitimate pattern) is listed too.
    const idle = process.getActiveResourcesInfo().length;
    setImmediate(() => {
      const applicationScheduled = process.getActiveResourcesInfo().length > idle;
      resume?.();
      void finalFlush().then(() => {
        // Our flush kept the loop alive, so Node would emit beforeExit again, calling the
        // application's listeners once more than without us. When they scheduled nothing,
        // the process ends now, as it would have, with process.exitCode.
        if (!applicationScheduled && process.listenerCount('beforeExit') > 0) process.exit();
      });
    });
  });
}

/** Resolves when the shutdown is over or the limit is reached, whichever comes first; never rejects. */
function boundedFlush({ shutdown, limitMillis, cut, diagnostics }: FinalFlush): Promise<void> {
  return new Promise((resolve) => {
    let cutShort = false;
    // Referenced: at beforeExit, it is what keeps the process alive for the flush.
    const limit = setTimeout(() => {
      cutShort = true;
      diagnostics.warn(`the final flush did not finish within ${DYNTEL_SHUTDOWN_TIMEOUT.name} (${limitMillis} ms); unexported telemetry is dropped.`);
      cut();
      resolve();
    }, limitMillis);
    Promise.resolve()
      .then(shutdown)
      .then(
        () => diagnostics.debug('telemetry flushed and the SDK shut down.'),
        (error: unknown) => {
          if (!cutShort) diagnostics.error(`the final flush failed (${describeError(error)}); some telemetry may be lost.`);
        },
      )
      .finally(() => {
        clearTimeout(limit);
        resolve();
      });
  });
}

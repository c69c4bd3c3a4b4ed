import { describeError, type Diagnostics } from './diagnostics';

/** The longest a signal waits for the final flush before the process goes on terminating. */
const SIGNAL_FLUSH_LIMIT_MS = 5_000;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes and shuts the SDK down on SIGTERM, SIGINT and `beforeExit`, once. After a signal the
 * process ends the way it would have without us: when the application has no handler of its
 * own, the signal is raised again with ours removed, so the default action (terminate, with
 * the signal as exit status) happens; when it has one, that handler decides.
 */
export function installShutdownHooks(shutdown: () => Promise<void>, diagnostics: Diagnostics): void {
  let finished: Promise<void> | undefined;
  const shutdownOnce = () =>
    (finished ??= shutdown().then(
      () => diagnostics.debug('telemetry flushed and the SDK shut down.'),
      (error: unknown) => diagnostics.error(`the final flush failed (${describeError(error)}); some telemetry may be lost.`),
    ));

  const onSignal = (signal: NodeJS.Signals) => {
    // Counted now, not at start: the application may add its handler after we load.
    const applicationHandles = process.listenerCount(signal) > 1;
    let limit: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => {
      limit = setTimeout(resolve, SIGNAL_FLUSH_LIMIT_MS);
      limit.unref();
    });
    void Promise.race([shutdownOnce(), bounded]).then(() => {
      clearTimeout(limit);
      if (applicationHandles) return;
      for (const s of SIGNALS) process.removeListener(s, onSignal);
      process.kill(process.pid, signal);
    });
  };

  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.once('beforeExit', () => void shutdownOnce());
}

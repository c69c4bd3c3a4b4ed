import { escapeText, showValue } from '@dyntel/instrumentation-kit';
import { samplerFromSettings } from '@dyntel/sampler';
import { metrics } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { loadAutoInstrumentations } from './auto-instrumentations';
import { readDyntelConfig } from './config';
import { createStderrDiagnostics, describeError, type Diagnostics } from './diagnostics';
import { DroppedTelemetry } from './dropped-telemetry';
import { registerEsmHooks } from './esm-hooks';
import { ExportCutoff } from './export-cutoff';
import { createPipelines, ExportHealth } from './exporters';
import { buildInstrumentations, instrumentationIdProblems, selectInstrumentations } from './get-instrumentations';
import { DYNTEL_INSTRUMENTATIONS, SUPERSEDED_UPSTREAM } from './instrumentations';
import { bridgeLegacyLogsApi } from './legacy-logs-bridge';
import { startLiveViewIfAsked } from './live';
import { otelSampler } from './otel-sampler';
import { pauseRuntimeObservers, runtimeInstrumentations, UPSTREAM_RUNTIME_INSTRUMENTATION } from './runtime-metrics';
import { assembleSdk } from './sdk-assembly';
import { installShutdownHooks } from './shutdown';
import { skippedProcess } from './skipped-process';

/** How @dyntel/register was loaded: `--require` (CommonJS) or `--import` (ESM). */
export type Entry = 'require' | 'import';

/** What the first load leaves on `globalThis`, so that later loads (CJS or ESM copy) find it. */
interface RegisterState {
  entry: Entry;
  diagnostics: Diagnostics;
  instrumentations: Instrumentation[];
  /** A tool's process (npm, a build tool), where nothing was started. */
  skipped: boolean;
}

const STATE = Symbol.for('@dyntel/register.state');

/**
 * Starts the OpenTelemetry SDK with every dyntel instrumentation (and those of
 * @opentelemetry/auto-instrumentations-node when installed), configured from the environment.
 * Only the SDK parts, exporters and propagators the configuration uses are loaded.
 * Never throws: whatever goes wrong is one line on stderr and the application runs on.
 */
export function startDyntel(entry: Entry): void {
  const global = globalThis as { [STATE]?: RegisterState };
  const first = global[STATE];
  if (first) {
    loadedAgain(first, entry);
    return;
  }

  const { config, problems } = readDyntelConfig();
  const diagnostics = createStderrDiagnostics(config.logLevel);
  const tool = skippedProcess(process.argv[1]);
  const state: RegisterState = { entry, diagnostics, instrumentations: [], skipped: tool !== undefined };
  global[STATE] = state;
  if (tool) {
    // The application below reports the configuration's problems; saying them here too would double them.
    diagnostics.debug(`not started in ${tool} (${showValue(process.argv[1])}): NODE_OPTIONS reaches this tool on its way to the application; DYNTEL_SKIP_PROCESSES lists the processes skipped.`);
    return;
  }
  for (const problem of problems) diagnostics.warn(problem);

  if (config.sdkDisabled) {
    diagnostics.info('OTEL_SDK_DISABLED=true: no SDK and no instrumentation were started.');
    return;
  }

  try {
    const { enabled, disabled, auto } = config.instrumentations;
    for (const problem of instrumentationIdProblems({ enabled, disabled })) diagnostics.warn(problem);
    const runtime = runtimeInstrumentations(config, diagnostics);
    state.instrumentations = [
      ...buildInstrumentations(DYNTEL_INSTRUMENTATIONS, { enabled, disabled }, {
        failed: (id, error) => diagnostics.error(`the ${id} instrumentation could not be created (${describeError(error)}); it is skipped.`),
      }),
      ...runtime,
      ...(auto ? loadAutoInstrumentations(diagnostics, [...supersededUpstream(enabled, disabled), UPSTREAM_RUNTIME_INSTRUMENTATION]) : []),
    ];
    if (entry === 'import') addEsmHooks(state.instrumentations, diagnostics);

    const taken = registeredProviders();
    if (taken.length > 0) {
      // Another SDK got there first. Replacing its providers is impossible (the API refuses)
      // and a second SDK would only compete; our instrumentations report to the existing one.
      registerInstrumentations({ instrumentations: state.instrumentations });
      diagnostics.warn(
        `a global ${taken.join(', ')} provider was already registered before @dyntel/register loaded; it is kept and no second SDK is started. Dyntel instrumentations report to the existing provider(s) and the OTEL_*_EXPORTER settings are not applied.`,
      );
      return;
    }

    const health = new ExportHealth();
    const cutoff = new ExportCutoff();
    // DYNTEL_SAMPLER_* choose our sampler; without them OTEL_TRACES_SAMPLER does, as validated
    // here. Invalid settings were reported with the other problems; options the dyntel sampler
    // rejects are reported here.
    const sampling = samplerFromSettings(config.sampler, (problem) => diagnostics.error(problem));
    // Built only for traces that are exported: the SDK's trace package is loaded only then.
    const otel = config.traces.exporters.length > 0 ? config.traces.sampler : undefined;
    const sampler = sampling?.sampler ?? (otel && otelSampler(otel));
    const dropped = new DroppedTelemetry(config, diagnostics);
    const pipelines = createPipelines(config, diagnostics, health, dropped.meterProvider);
    cutoff.adoptPipelines(pipelines);
    // Before the SDK: the live view may add the metric reader it reads.
    startLiveViewIfAsked(config, pipelines, diagnostics);
    const sdk = assembleSdk(config, state.instrumentations, pipelines, sampler);
    // The meter provider exists only now (a no-op one without metric readers): the batch
    // processors' own metrics, dropped items among them, go to it from here on.
    dropped.meterProvider.attach(metrics.getMeterProvider());
    if (sdk.logs && !bridgeLegacyLogsApi()) diagnostics.info('a logger provider was already registered with @opentelemetry/api-logs; records emitted through that package go to it.');
    // Nothing to flush, nothing to hold the process for: no hook would end it later than without us.
    if (sdk.exports) installShutdownHooks({
      // A final flush that fails because a receiver is down was already reported as such.
      shutdown: () => {
        // Before the flush, which may be cut short: no later line would say these.
        dropped.sayUnsaid();
        cutoff.stopRetrying();
        return sdk.shutdown().catch((error: unknown) => (health.anyFailing() ? undefined : Promise.reject(error)));
      },
      limitMillis: config.shutdownTimeoutMillis,
      cut: () => cutoff.cut(),
      diagnostics,
      pauseObservers: () => pauseRuntimeObservers(runtime),
    });
    // The description carries the user's rule text: escaped and cut, though not a value to quote.
    if (sampler) diagnostics.debug(`sampler: ${escapeText(sampling?.description ?? sampler.toString())}`);
    diagnostics.debug(
      `started (${entry}): traces to ${list(config.traces.exporters)}, metrics to ${list(config.metrics.exporters)}, logs to ${list(config.logs.exporters)}; ${state.instrumentations.length} instrumentation(s).`,
    );
  } catch (error) {
    diagnostics.error(`the OpenTelemetry SDK could not be started (${describeError(error)}); the application runs without telemetry.`);
  }
}

/** The upstream instrumentations that the enabled dyntel ones replace. */
function supersededUpstream(enabled: readonly string[] | undefined, disabled: readonly string[]): string[] {
  return selectInstrumentations(DYNTEL_INSTRUMENTATIONS, enabled, disabled).ids.flatMap((id) => SUPERSEDED_UPSTREAM[id] ?? []);
}

/** A second load (twice the same flag, or `--require` and `--import`) keeps the first SDK. */
function loadedAgain(first: RegisterState, entry: Entry): void {
  if (first.skipped) return;
  let hooks = '';
  if (entry === 'import' && first.entry === 'require') {
    // The CommonJS load could not install ESM hooks; this load can, for the same instrumentations.
    if (addEsmHooks(first.instrumentations, first.diagnostics)) hooks = ' ESM import hooks were added for its instrumentations.';
  }
  first.diagnostics.info(`loaded again (first by --${first.entry}, now by --${entry}); what the first load set up is kept and nothing is started twice.${hooks}`);
}

/** Installs the ESM hooks; a failure costs ESM instrumentation only, never the SDK. Returns whether hooks were added. */
function addEsmHooks(instrumentations: Instrumentation[], diagnostics: Diagnostics): boolean {
  try {
    return registerEsmHooks(instrumentations) !== 'already-registered';
  } catch (error) {
    diagnostics.error(`the ESM import hooks could not be registered (${describeError(error)}); modules loaded with import are not instrumented, require() still is.`);
    return false;
  }
}

/** Which signals already have a global provider, through the API's versioned global slots. */
function registeredProviders(): string[] {
  const api = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('opentelemetry.js.api.1')];
  return [api?.trace ? 'tracer' : '', api?.metrics ? 'meter' : '', api?.logs ? 'logger' : ''].filter((s) => s !== '');
}

function list(names: readonly string[]): string {
  return names.length > 0 ? names.join('+') : 'nowhere';
}

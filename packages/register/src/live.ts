import type * as LiveViewPackage from '@dyntel/live-view';
import { escapeText, showValue } from '@dyntel/instrumentation-kit';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { DyntelConfig } from './config';
import { describeError, type Diagnostics } from './diagnostics';
import { DYNTEL_LIVE_HOST, DYNTEL_LIVE_PORT } from './env-variables';
import type { Pipelines } from './exporters';
import { lazyModule, sdkMetrics } from './lazy';

/* eslint-disable @typescript-eslint/no-require-imports */
/** @dyntel/live-view, loaded only when DYNTEL_LIVE_PORT is set: without it, none of its code is. */
const liveViewPackage = lazyModule(() => require('@dyntel/live-view') as typeof LiveViewPackage);

/** What the Prometheus reader of prometheus-units.ts adds: its collection before the Prometheus renaming. */
interface OpenTelemetryNamesReader {
  collectOpenTelemetryNames(): ReturnType<IMetricReader['collect']>;
}

/**
 * Starts the live view when DYNTEL_LIVE_PORT asks for it, before the SDK is assembled. It reads a
 * cumulative reader the configuration already has (the Prometheus endpoint, a cumulative OTLP
 * or console reader): every reader the SDK has keeps storage of its own that each record pays
 * for, so a second one would make every call dearer. Only when there is none (metrics exporters
 * `none`, or delta temporality, whose collections a second collector would steal) is a reader of
 * its own added to the pipelines. Returns the live view when one was started. Never throws: a
 * live view that cannot start is one line.
 */
export function startLiveViewIfAsked(config: DyntelConfig, pipelines: Pipelines, diagnostics: Diagnostics): LiveViewPackage.LiveView | undefined {
  const live = config.live;
  if (!live) return undefined;
  try {
    const reader = liveViewReader(pipelines);
    const collect = () => collectFrom(reader).then((result) => result.resourceMetrics);
    return liveViewPackage().startLiveView({
      host: live.host,
      port: live.port,
      collect,
      // The URL carries DYNTEL_LIVE_HOST as the user wrote it: escaped and cut like any value of theirs.
      onListening: (url) => diagnostics.info(`the live view is served on ${escapeText(url)} (${DYNTEL_LIVE_PORT.name}=${live.port}).`),
      onListenError: (error) => {
        // As for the Prometheus endpoint: a taken or forbidden port is the port's fault, anything else the host's.
        const code = (error as { code?: string }).code;
        const portFault = code === 'EADDRINUSE' || code === 'EACCES';
        diagnostics.error({
          variable: portFault ? DYNTEL_LIVE_PORT.name : DYNTEL_LIVE_HOST.name,
          value: portFault ? String(live.port) : live.host,
          expected: `${portFault ? 'a free TCP port from 1 to 65535' : 'a local host name or IP address, e.g. localhost or 127.0.0.1'} (listening failed: ${describeError(error)})`,
          consequence: 'the live view is not served; the application runs on',
        });
      },
      onCollectError: (error) => diagnostics.warn(`the live view could not collect the metrics (${describeError(error)}); it tries again on the next request.`),
    });
  } catch (error) {
    diagnostics.error(`the live view could not be started on ${showValue(live.host)}, port ${live.port} (${describeError(error)}); the application runs without it.`);
    return undefined;
  }
}

/** The reader the live view collects from: a cumulative one of the pipelines, else one of its own added to them. */
export function liveViewReader(pipelines: Pipelines): IMetricReader {
  return pipelines.metricReaders.find(isCumulative) ?? addOwnReader(pipelines);
}

/** Whether a reader's collections are cumulative for every instrument the live view reads. */
function isCumulative(reader: IMetricReader): boolean {
  const { AggregationTemporality, InstrumentType } = sdkMetrics();
  return [InstrumentType.COUNTER, InstrumentType.HISTOGRAM, InstrumentType.UP_DOWN_COUNTER, InstrumentType.OBSERVABLE_UP_DOWN_COUNTER, InstrumentType.OBSERVABLE_GAUGE].every(
    (type) => reader.selectAggregationTemporality(type) === AggregationTemporality.CUMULATIVE,
  );
}

function collectFrom(reader: IMetricReader): ReturnType<IMetricReader['collect']> {
  // The Prometheus reader's own collect() adds unit suffixes to the names; the live view reads the contract's.
  const named = reader as Partial<OpenTelemetryNamesReader>;
  return typeof named.collectOpenTelemetryNames === 'function' ? named.collectOpenTelemetryNames() : reader.collect();
}

let LiveReader: (new () => IMetricReader) | undefined;

/** A pull-only reader (cumulative, the SDK's default), collected by the live view alone. */
function addOwnReader(pipelines: Pipelines): IMetricReader {
  LiveReader ??= class LiveViewReader extends sdkMetrics().MetricReader {
    protected override onShutdown(): Promise<void> {
      return Promise.resolve();
    }
    protected override onForceFlush(): Promise<void> {
      return Promise.resolve();
    }
  };
  const reader = new LiveReader();
  pipelines.metricReaders.push(reader);
  return reader;
}

import type { Agent } from 'node:http';
import type { Socket } from 'node:net';
import type { Pipelines } from './exporters';
import { nodeHttp, nodeHttps } from './lazy';
import { zipkinSend } from './zipkin-send';

/** The code of the error that ends exports cut short; the OTLP exporters retry network errors by code, and never this one. */
const CUT_CODE = 'DYNTEL_FINAL_FLUSH_CUT';

/** Whether an export failed because the final flush was cut short (not because of the receiver). */
export function isCutShort(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === CUT_CODE;
}

type AgentFactory = (protocol: string) => Agent | Promise<Agent>;
type SendResult = { status: 'failure'; error: Error } | { status: string };

/** The parts of an OTLP/HTTP exporter of @opentelemetry/otlp-exporter-base 0.301 that the cutoff takes over. */
interface OtlpHttpInternals {
  _delegate?: {
    _transport?: {
      retry?: (data: Uint8Array, timeoutMillis: number, inMillis: number) => Promise<SendResult>;
      _transport?: {
        send(data: Uint8Array, timeoutMillis: number): Promise<SendResult>;
        _parameters?: { agentFactory?: AgentFactory };
      };
    };
  };
}

/** The parts of a ZipkinExporter of @opentelemetry/exporter-zipkin 3.1 that the cutoff takes over. */
interface ZipkinInternals {
  _send?: unknown;
  _urlStr?: unknown;
  _getHeaders?: unknown;
}

/**
 * What lets the final flush be bounded without ending the process ourselves: the OTLP/HTTP and
 * Zipkin exporters' sockets and retry waits never keep the event loop alive on their own (the SDK's
 * own export timers do, while an export runs), and {@link cut} ends every export still running
 * at once, with an error the exporters do not retry.
 */
export class ExportCutoff {
  private cutError?: Error;
  private retrying = true;
  private readonly sockets = new Set<Socket>();
  private readonly waits = new Set<() => void>();

  /** Adopts the exporter of every processor and reader that has an OTLP/HTTP or Zipkin one; returns how many were adopted. */
  adoptPipelines(pipelines: Pipelines): number {
    const parts: object[] = [...pipelines.spanProcessors, ...pipelines.metricReaders, ...pipelines.logRecordProcessors];
    // The SDK's batch processors and periodic reader keep their exporter in `_exporter`.
    return parts.filter((part) => {
      const exporter = (part as { _exporter?: unknown })._exporter;
      return typeof exporter === 'object' && exporter !== null && this.adopt(exporter);
    }).length;
  }

  /**
   * Takes over the requests of an OTLP/HTTP or Zipkin exporter. Returns false, leaving the
   * exporter as it is, when it is neither, or not built the way this version knows.
   */
  adopt(exporter: object): boolean {
    return this.adoptOtlp(exporter) || this.adoptZipkin(exporter);
  }

  /** Takes over the transport of an OTLP/HTTP exporter, keeping its agent (and with it the certificates it read) and its retry policy. */
  private adoptOtlp(exporter: object): boolean {
    const retrying = (exporter as OtlpHttpInternals)._delegate?._transport;
    const http = retrying?._transport;
    const parameters = http?._parameters;
    const agentFactory = parameters?.agentFactory;
    if (!retrying || !http || !parameters || typeof retrying.retry !== 'function' || typeof agentFactory !== 'function') return false;
    parameters.agentFactory = async (protocol) => this.watch(await agentFactory(protocol));
    // The failure a retry was asked for, so that a retry skipped at exit reports it.
    let lastResult: SendResult | undefined;
    const send = http.send.bind(http);
    http.send = async (data, timeoutMillis) => (lastResult = await send(data, timeoutMillis));
    retrying.retry = async (data, timeoutMillis, inMillis) => {
      if (!this.retrying) return notRetried(lastResult);
      await this.wait(inMillis);
      return this.cutError ? { status: 'failure', error: this.cutError } : http.send(data, timeoutMillis);
    };
    return true;
  }

  /**
   * Sends a Zipkin exporter's requests through an agent of our own, watched like the OTLP ones.
   * Only an exporter without per-export headers (none are configured from the environment):
   * with them it builds a new send function for each export.
   */
  private adoptZipkin(exporter: object): boolean {
    const zipkin = exporter as ZipkinInternals;
    if (typeof zipkin._send !== 'function' || typeof zipkin._urlStr !== 'string' || zipkin._getHeaders !== undefined) return false;
    const url = new URL(zipkin._urlStr);
    const agent = url.protocol === 'https:' ? new (nodeHttps().Agent)({ keepAlive: true }) : new (nodeHttp().Agent)({ keepAlive: true });
    zipkin._send = zipkinSend(url, this.watch(agent));
    return true;
  }

  /**
   * From now on a failed export is not retried: the final flush makes one attempt per export,
   * so that a receiver that refuses or fails fast lets the process end at once rather than after
   * the retries' waits.
   */
  stopRetrying(): void {
    this.retrying = false;
  }

  /** Ends every export still running, and fails those to come, without waiting for any receiver. */
  cut(): void {
    if (this.cutError) return;
    this.cutError = Object.assign(new Error('the final flush was cut short'), { code: CUT_CODE });
    for (const socket of this.sockets) socket.destroy(this.cutError);
    this.sockets.clear();
    for (const done of this.waits) done();
    this.waits.clear();
  }

  /** The agent, with every socket it creates or reuses unreferenced and known to {@link cut}. */
  private watch(agent: Agent): Agent {
    const internals = agent as unknown as {
      createConnection(options: object, created: (error: Error | null, socket?: Socket) => void): Socket | undefined;
      reuseSocket(socket: Socket, request: unknown): void;
    };
    const create = internals.createConnection.bind(agent);
    const reuse = internals.reuseSocket.bind(agent);
    internals.createConnection = (options, created) => {
      if (this.cutError) {
        created(this.cutError);
        return undefined;
      }
      const socket = create(options, created);
      if (socket) {
        socket.unref();
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
      }
      return socket;
    };
    // The agent references a socket again whenever it reuses one.
    internals.reuseSocket = (socket, request) => {
      reuse(socket, request);
      socket.unref();
    };
    return agent;
  }

  /** A retry's wait, which keeps nothing alive and ends at once on {@link cut}. */
  private wait(millis: number): Promise<void> {
    if (this.cutError) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, millis);
      timer.unref();
      this.waits.add(done);
    });
  }
}

/** The failure of an export whose retry is skipped at exit: the error that asked for the retry. */
function notRetried(result: SendResult | undefined): SendResult {
  const error = (result as { error?: unknown } | undefined)?.error;
  return { status: 'failure', error: error instanceof Error ? error : new Error('the receiver asked for a retry, which is not made at exit') };
}

import type { Agent } from 'node:http';
import type { ExportResult } from '@opentelemetry/core';
import { core, nodeHttp, nodeHttps } from './lazy';

/** The send step of the Zipkin exporter: spans already in Zipkin's v2 form, and the result. */
export type ZipkinSend = (zipkinSpans: unknown[], done: (result: ExportResult) => void) => void;

/**
 * Sends as the Zipkin exporter of @opentelemetry/exporter-zipkin 3.1 does (a POST of the v2
 * JSON array, a status below 400 is success), but through `agent`: the exporter has no option
 * for one and uses Node's global agent, whose sockets nothing of ours could end.
 */
export function zipkinSend(url: URL, agent: Agent): ZipkinSend {
  const { request } = url.protocol === 'https:' ? nodeHttps() : nodeHttp();
  const { ExportResultCode } = core();
  return (zipkinSpans, done) => {
    if (zipkinSpans.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    let settled = false;
    const settle = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      done(result);
    };
    const failed = (error: Error) => settle({ code: ExportResultCode.FAILED, error });
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, agent }, (res) => {
      // A response cut off half-way fails the export rather than leaving it open.
      res.on('error', failed);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 400) settle({ code: ExportResultCode.SUCCESS });
        else failed(new Error(`Got unexpected status code from zipkin: ${status}`));
      });
      res.resume();
    });
    req.on('error', failed);
    req.end(JSON.stringify(zipkinSpans), 'utf8');
  };
}

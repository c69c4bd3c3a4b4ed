import { Receiver } from '@dyntel/test-support';

/** A span in Zipkin's v2 JSON format (the fields the tests read). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** A Zipkin-style collector: POST /api/v2/spans with a JSON array of v2 spans; answers 202. */
export function zipkinReceiver(): Promise<Receiver<ZipkinSpan[]>> {
  return new Receiver<ZipkinSpan[]>(
    (path, contentType, body) => {
      if (path !== '/api/v2/spans') throw new Error(`unexpected Zipkin path ${path}`);
      if (!contentType.includes('application/json')) throw new Error(`unexpected content type ${contentType}`);
      const spans = JSON.parse(body.toString('utf8')) as unknown;
      if (!Array.isArray(spans)) throw new Error('a Zipkin v2 body is a JSON array of spans');
      return spans as ZipkinSpan[];
    },
    (_req, res) => res.writeHead(202).end(),
  ).start();
}

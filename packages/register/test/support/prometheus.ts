import { request } from 'node:http';
import { Receiver } from '@dyntel/test-support';

export { PROMETHEUS_BIN, prometheusAvailable, startPrometheus, type PrometheusServer } from '@dyntel/test-support';

/**
 * A pass-through in front of an application's metrics endpoint that records each request
 * Prometheus makes. Prometheus scrapes a target sequentially and commits a scrape's samples
 * before starting the next one, so the second request proves the first was ingested: the test
 * waits for it (`waitFor`) instead of polling the query API.
 */
export function scrapeProxy(target: string): Promise<Receiver<null>> {
  return new Receiver<null>(
    () => null,
    (req, res) => {
      const upstream = request(`${target}${req.url}`, { headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (error) => res.writeHead(502).end(String(error)));
      upstream.end();
    },
  ).start();
}

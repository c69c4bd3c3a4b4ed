// Reads the Prometheus text exposition that @dyntel/register serves, so the demo's summary
// shows what the telemetry itself says (the same numbers Prometheus would scrape).

/** Parses `name{labels} value` lines into { name, labels, value } samples. */
export function parseExposition(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value.replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sums the samples of `name` whose labels include those of `where`, grouped by one label. */
export function sumBy(samples, name, label, where = {}) {
  const sums = {};
  for (const sample of samples) {
    if (sample.name !== name || Object.entries(where).some(([key, value]) => sample.labels[key] !== value)) continue;
    const key = sample.labels[label] ?? '';
    sums[key] = (sums[key] ?? 0) + sample.value;
  }
  return sums;
}

/** Fetches and parses a metrics endpoint; resolves to [] when it is not reachable. */
export async function scrape(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return parseExposition(await response.text());
  } catch {
    return [];
  }
}

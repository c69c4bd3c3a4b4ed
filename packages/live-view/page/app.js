// The live page: one event stream (/api/v1/stream) brings the history window, then a sample a
// second. Every name and value reaches the page through textContent or a chart's data, never as
// markup. Plain browser JavaScript, served as it is: there is nothing to build.
'use strict';
(() => {
  const STATES = new Set(['closed', 'open', 'half_open', 'forced_open', 'disabled']);
  const OUTCOMES = [
    { key: 'success', label: 'success', stroke: '#2e9e5b' },
    { key: 'failure', label: 'failure', stroke: '#d33f3f' },
    { key: 'timeout', label: 'timeout', stroke: '#e8a317' },
    { key: 'rejected', label: 'rejected', stroke: '#687083' },
  ];
  const P50 = { label: 'p50', stroke: '#3b6fd4' };
  const P99 = { label: 'p99', stroke: '#8e2bb8' };
  const ROW_CHART = { width: 240, height: 64 };

  let windowMillis = 300_000;
  let lastTime = 0;
  // The first sample the page has: timelines start there rather than at an empty window's start.
  let firstTime = Infinity;
  const rows = new Map();
  const timelines = new Map();
  const runtimeCharts = {};

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const stateClass = (state) => `state-${STATES.has(state) ? state : 'unknown'}`;

  const number = (n, digits = 1) => (n === null || n === undefined ? '–' : n.toFixed(digits));
  const rate = (n) => (n === null || n === undefined ? '–' : `${n < 10 ? n.toFixed(1) : n.toFixed(0)}/s`);
  const percent = (n) => (n === null || n === undefined ? '–' : `${(n * 100).toFixed(n < 0.1 ? 1 : 0)} %`);
  const seconds = (s) => {
    if (s === null || s === undefined) return '–';
    if (s === 0) return '0';
    if (s < 0.001) return `${(s * 1e6).toFixed(0)} µs`;
    if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms`;
    return `${s.toFixed(2)} s`;
  };
  const bytes = (b) => (b === null || b === undefined ? '–' : `${(b / 1048576).toFixed(b < 10485760 ? 1 : 0)} MiB`);
  const duration = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} s`;
    if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  };
  const pair = (latency) => `${seconds(latency.p50)} / ${seconds(latency.p99)}`;

  /** A small time-series chart over the window; `series` are the lines after the time axis. */
  function chart(parent, series, { width, height, axes = false, format } = ROW_CHART) {
    const data = [[], ...series.map(() => [])];
    const yValues = format ? (_u, values) => values.map(format) : undefined;
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: series.length > 1, live: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(max ?? 1, 1e-9) * 1.1] } },
        axes: [{ show: axes, size: 24 }, { size: axes ? 64 : 48, values: yValues, ticks: { show: false } }],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, points: { show: false } }))],
      },
      data,
      parent,
    );
    return {
      push(time, values) {
        data[0].push(time / 1000);
        values.forEach((v, i) => data[i + 1].push(v));
        const start = (time - windowMillis) / 1000;
        while (data[0].length > 0 && data[0][0] < start) for (const column of data) column.shift();
        plot.setData(data);
      },
    };
  }

  /** The row of a component, made on first sight: cells get text, charts get data. */
  function row(family, name, make) {
    const key = `${family}\u0000${name}`;
    let found = rows.get(key);
    if (!found) {
      const tr = el('tr');
      tr.dataset.name = name;
      tr.append(el('td', 'name', name));
      found = make(tr);
      found.tr = tr;
      rows.set(key, found);
      const section = $(family);
      section.querySelector('tbody').append(tr);
      section.hidden = false;
      $('empty').hidden = true;
    }
    return found;
  }

  const cell = (tr, className) => tr.appendChild(el('td', className));

  function breakerRow(name) {
    return row('breakers', name, (tr) => {
      const stateCell = cell(tr);
      const badge = stateCell.appendChild(el('span', 'state'));
      const since = stateCell.appendChild(el('span', 'since'));
      const callsCell = cell(tr, 'chart');
      const callsText = callsCell.appendChild(el('div'));
      const calls = chart(callsCell, OUTCOMES);
      const latencyCell = cell(tr);
      const latencyText = latencyCell.appendChild(el('div'));
      const latency = chart(latencyCell, [P50, P99], { ...ROW_CHART, format: seconds });
      const timeline = cell(tr).appendChild(el('div', 'timeline'));
      return { badge, since, callsText, calls, latencyText, latency, timeline };
    });
  }

  function showBreaker(b, time, fresh) {
    const r = breakerRow(b.name);
    r.badge.textContent = b.state ?? 'unknown';
    r.badge.className = `state ${stateClass(b.state)}`;
    if (b.stateSince) r.since.textContent = `${b.stateSince.exact ? '' : '≥ '}${duration(time - b.stateSince.time)}`;
    r.latencyText.textContent = pair(b.latencySeconds);
    r.callsText.textContent = b.callsPerSecond
      ? OUTCOMES.filter((o) => b.callsPerSecond[o.key] > 0).map((o) => `${o.label} ${rate(b.callsPerSecond[o.key])}`).join(' · ') || 'no calls'
      : '–';
    if (fresh) {
      r.calls.push(time, OUTCOMES.map((o) => (b.callsPerSecond ? (b.callsPerSecond[o.key] ?? 0) : null)));
      r.latency.push(time, [b.latencySeconds.p50, b.latencySeconds.p99]);
    }
    if (b.state) {
      const timeline = timelines.get(b.name) ?? [];
      if (timeline.at(-1)?.state !== b.state) timeline.push({ time, state: b.state });
      timelines.set(b.name, timeline);
    }
    drawTimeline(r.timeline, timelines.get(b.name) ?? [], time);
  }

  /** The breaker's states over the window, as segments whose widths are their shares of it. */
  function drawTimeline(strip, timeline, now) {
    const windowStart = now - windowMillis;
    while (timeline.length > 1 && timeline[1].time <= windowStart) timeline.shift();
    const start = Math.max(windowStart, Math.min(firstTime, timeline[0]?.time ?? now));
    const span = Math.max(1, now - start);
    const segments = [];
    if (timeline.length > 0 && timeline[0].time > start) segments.push(segment('segment', (timeline[0].time - start) / span, ''));
    timeline.forEach((entry, i) => {
      const from = Math.max(entry.time, start);
      const to = i + 1 < timeline.length ? timeline[i + 1].time : now;
      segments.push(segment(`segment ${stateClass(entry.state)}`, (to - from) / span, `${entry.state} from ${new Date(entry.time).toLocaleTimeString()}`));
    });
    strip.replaceChildren(...segments);
    strip.title = `the last ${duration(span)}`;
  }

  function segment(className, share, title) {
    const node = el('div', className);
    node.style.width = `${Math.max(0, share * 100)}%`;
    if (title) node.title = title;
    return node;
  }

  function showRetry(r, time, fresh) {
    const found = row('retries', r.name, (tr) => ({ calls: cell(tr), perCall: cell(tr), exhausted: cell(tr), chart: chart(cell(tr, 'chart'), [{ label: 'calls/s', stroke: '#3b6fd4' }]) }));
    found.calls.textContent = rate(r.callsPerSecond);
    found.perCall.textContent = number(r.retriesPerCall, 2);
    found.exhausted.textContent = percent(r.exhaustedRatio);
    if (fresh) found.chart.push(time, [r.callsPerSecond]);
  }

  function showPool(p, time, fresh) {
    const found = row('pools', p.name, (tr) => ({
      counts: cell(tr),
      pending: cell(tr),
      wait: cell(tr),
      chart: chart(cell(tr, 'chart'), [
        { label: 'used', stroke: '#3b6fd4' },
        { label: 'idle', stroke: '#2e9e5b' },
        { label: 'pending', stroke: '#d33f3f' },
      ]),
    }));
    found.counts.textContent = `${number(p.used, 0)} / ${number(p.idle, 0)} / ${number(p.max, 0)}`;
    found.pending.textContent = number(p.pendingRequests, 0);
    found.wait.textContent = seconds(p.waitSeconds.p99);
    if (fresh) found.chart.push(time, [p.used, p.idle, p.pendingRequests]);
  }

  function showAgent(a) {
    const found = row('agents', a.name, (tr) => ({ active: cell(tr), rate: cell(tr), latency: cell(tr), handoffs: cell(tr) }));
    found.active.textContent = number(a.activeInvocations, 0);
    found.rate.textContent = rate(a.invocationsPerSecond);
    found.latency.textContent = pair(a.invocationSeconds);
    found.handoffs.textContent = rate(a.handoffsPerSecond);
  }

  function showTool(t) {
    const found = row('tools', t.name, (tr) => ({ rate: cell(tr), latency: cell(tr) }));
    found.rate.textContent = rate(t.callsPerSecond);
    found.latency.textContent = pair(t.callSeconds);
  }

  function showActor(a) {
    const found = row('actors', a.type, (tr) => ({ active: cell(tr), rate: cell(tr), latency: cell(tr), mailbox: cell(tr) }));
    found.active.textContent = number(a.active, 0);
    found.rate.textContent = rate(a.messagesPerSecond);
    found.latency.textContent = seconds(a.messageSeconds.p99);
    found.mailbox.textContent = number(a.mailboxDepth, 0);
  }

  function showRuntime(r, time, fresh) {
    const shown = [r.eventLoopDelayP99Seconds, r.eventLoopUtilization, r.heapUsedBytes].some((v) => v !== null);
    if (!shown) return;
    if (!runtimeCharts.delay) {
      $('runtime').hidden = false;
      const size = { width: 320, height: 110, axes: true };
      runtimeCharts.delay = chart($('loop-delay-chart'), [{ label: 'p99', stroke: '#8e2bb8' }], { ...size, format: seconds });
      runtimeCharts.utilization = chart($('loop-utilization-chart'), [{ label: 'utilization', stroke: '#3b6fd4' }], { ...size, format: percent });
      runtimeCharts.heap = chart($('heap-chart'), [{ label: 'used', stroke: '#2e9e5b' }], { ...size, format: bytes });
    }
    $('loop-delay').textContent = seconds(r.eventLoopDelayP99Seconds);
    $('loop-utilization').textContent = percent(r.eventLoopUtilization);
    $('heap').textContent = r.heapSizeBytes ? `${bytes(r.heapUsedBytes)} of ${bytes(r.heapSizeBytes)}` : bytes(r.heapUsedBytes);
    if (fresh) {
      runtimeCharts.delay.push(time, [r.eventLoopDelayP99Seconds]);
      runtimeCharts.utilization.push(time, [r.eventLoopUtilization]);
      runtimeCharts.heap.push(time, [r.heapUsedBytes]);
    }
  }

  function showSummary(sample) {
    const states = sample.breakers.map((b) => b.state);
    const open = states.filter((s) => s === 'open' || s === 'forced_open').length;
    const half = states.filter((s) => s === 'half_open').length;
    $('summary').textContent = sample.breakers.length > 0 ? `breakers open: ${open}, half-open: ${half}, closed: ${states.filter((s) => s === 'closed').length}` : '';
  }

  /** Shows a sample; `fresh` is false for one the charts already have (the stream repeats the history's last). */
  function show(sample) {
    const fresh = sample.time > lastTime;
    if (fresh) lastTime = sample.time;
    firstTime = Math.min(firstTime, sample.time);
    for (const b of sample.breakers) showBreaker(b, sample.time, fresh);
    for (const r of sample.retries) showRetry(r, sample.time, fresh);
    for (const p of sample.pools) showPool(p, sample.time, fresh);
    for (const a of sample.agents) showAgent(a);
    for (const t of sample.tools) showTool(t);
    for (const a of sample.actors) showActor(a);
    showRuntime(sample.runtime, sample.time, fresh);
    showSummary(sample);
  }

  const connection = $('connection');
  const stream = new EventSource('/api/v1/stream');
  stream.addEventListener('history', (event) => {
    const history = JSON.parse(event.data);
    windowMillis = history.windowSeconds * 1000;
    $('window').textContent = duration(windowMillis);
    timelines.clear();
    for (const sample of history.samples) show(sample);
    // The server's timelines also know the state in force when the window began.
    for (const [name, timeline] of Object.entries(history.timelines)) timelines.set(name, timeline);
  });
  stream.addEventListener('sample', (event) => show(JSON.parse(event.data)));
  stream.addEventListener('open', () => {
    connection.textContent = 'live';
    connection.className = 'connection live';
  });
  stream.addEventListener('error', () => {
    connection.textContent = 'connection lost, reconnecting…';
    connection.className = 'connection lost';
  });
})();

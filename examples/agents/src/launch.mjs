// `npm start`: runs the example the way a user runs a service, `node --import @dyntel/register`,
// with defaults that need no external service (metrics on a local Prometheus endpoint, traces
// and logs off). Any OTEL_* variable you set wins, e.g. OTEL_TRACES_EXPORTER=otlp for Jaeger.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const defaults = {
  OTEL_SERVICE_NAME: 'dyntel-example-agents',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
};
const child = spawn(process.execPath, ['--import', '@dyntel/register', fileURLToPath(new URL('./main.mjs', import.meta.url))], {
  env: { ...defaults, ...process.env },
  stdio: 'inherit',
});
// Ctrl-C reaches both processes (same process group); the example stops itself and we follow.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

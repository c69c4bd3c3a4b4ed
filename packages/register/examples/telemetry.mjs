// telemetry.mjs: node --import ./telemetry.mjs app.mjs
import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { getDyntelInstrumentations, registerEsmHooks } from '@dyntel/register/sdk';

const instrumentations = [
  ...getDyntelInstrumentations({
    enabled: ['circuit-breaker'], // default: DYNTEL_ENABLED/DISABLED_INSTRUMENTATIONS
    config: { 'circuit-breaker': { requireParentSpan: true } }, // per-id instrumentation config
  }),
  ...getNodeAutoInstrumentations(),
];
// ESM application: patch `import`s too (call before the application's imports are loaded)
registerEsmHooks(instrumentations);

const sdk = new NodeSDK({ serviceName: 'checkout', instrumentations });
sdk.start();
// A SIGTERM listener replaces Node's default of ending the process: flush, then raise the
// signal again with no listener left, so the process ends as it would have (status 143).
process.once('SIGTERM', () => {
  sdk.shutdown().finally(() => process.kill(process.pid, 'SIGTERM'));
});

// `node --import @dyntel/register app.mjs`: starts telemetry and installs the ESM import hooks
// before the application's first import is resolved. It runs the CommonJS build, as --require
// does: the SDK packages loaded on demand are CommonJS, and an ES module graph beside them would
// load a second copy of @opentelemetry/api, @opentelemetry/instrumentation and the dyntel
// instrumentations, for more start-up time and memory and nothing gained.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./esm-start.cjs');

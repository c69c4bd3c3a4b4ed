// `node --require @dyntel/register app.js`: starts telemetry before the application loads.
// ESM applications use `--import @dyntel/register`, which resolves to ./esm.
import { startDyntel } from './start';

startDyntel('require');

// `node --import @dyntel/register app.mjs`: starts telemetry and installs the ESM import hooks
// before the application's first import is resolved.
import { startDyntel } from './start';

startDyntel('import');

// What `--import @dyntel/register` runs, built as CommonJS: see ./esm.
import { startDyntel } from './start';

startDyntel('import');

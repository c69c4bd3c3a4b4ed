export { GENERIC_POOL_VERSIONS, KNEX_VERSIONS, PoolInstrumentation, TARN_VERSIONS } from './instrumentation';
export { namePool } from './naming';
export type { PoolAcquireEndInfo, PoolAcquireInfo, PoolInstrumentationConfig, PoolLibrary, PoolNameInfo, PoolSpanHook } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';

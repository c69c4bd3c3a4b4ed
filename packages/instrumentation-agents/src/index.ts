export { AgentsInstrumentation, OPENAI_AGENTS_VERSIONS, XSTATE_VERSIONS } from './instrumentation';
export type { AgentsInstrumentationConfig } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';

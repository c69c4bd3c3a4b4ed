export * from './attributes';
export * from './enums';
export * from './metrics';
export * from './spans';
export * from './events';
export * from './limits';
export * from './agents';
export * from './actors';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';

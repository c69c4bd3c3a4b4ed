// What this package uses of @opentelemetry/sdk-logs: the build bundles only these (see ../lazy.ts).
export { BatchLogRecordProcessor, ConsoleLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

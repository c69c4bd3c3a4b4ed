import { createRequire } from 'node:module';
import type * as Core from '@opentelemetry/core';
import type * as SdkTrace from '@opentelemetry/sdk-trace';
import type * as Yaml from 'yaml';

// Loaded on first use, so that start-up pays for none of them: the YAML parser only when a rules
// document is read, the SDK's trace package only for the fallback sampler (an SDK that installs
// a sampler has usually loaded it by then; @dyntel/register bundles its own copy instead), and
// @opentelemetry/core's TraceState only for the first root span given an `ot` entry.
const load = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;
let sdkTrace: typeof SdkTrace | undefined;
let traceState: typeof Core.TraceState | undefined;

/** `parse` of the yaml package: a JSON or YAML document (YAML is a superset of JSON). */
export function parseYaml(text: string): unknown {
  yaml ??= load('yaml') as typeof Yaml;
  return yaml.parse(text);
}

/** @opentelemetry/sdk-trace. */
export function traceSdk(): typeof SdkTrace {
  return (sdkTrace ??= load('@opentelemetry/sdk-trace') as typeof SdkTrace);
}

/** `TraceState` of @opentelemetry/core. */
export function coreTraceState(): typeof Core.TraceState {
  return (traceState ??= (load('@opentelemetry/core') as typeof Core).TraceState);
}

import type { ModulePatcher } from '@dyntel/instrumentation-kit';
import type { OpenAiTelemetry } from './openai-telemetry';
import { attachToSdk, detachFromSdk } from './sdk-attachment';
import type { AgentsCoreExports } from './sdk-shapes';

/**
 * Attaches the OpenAI Agents telemetry when `@openai/agents-core` is loaded (`@openai/agents`
 * loads it too), through the CJS exports or the ESM namespace alike: both reach the one trace
 * provider and context storage the SDK keeps on globalThis, so attaching twice is attaching once.
 */
export class AgentsCorePatcher implements ModulePatcher<AgentsCoreExports> {
  readonly moduleName = '@openai/agents-core';

  constructor(
    private readonly telemetry: OpenAiTelemetry,
    readonly versions: string,
  ) {}

  resolve(moduleExports: unknown): AgentsCoreExports | undefined {
    if (isAgentsCore(moduleExports)) return moduleExports;
    const fallback = (moduleExports as { default?: unknown } | null)?.default;
    return isAgentsCore(fallback) ? fallback : undefined;
  }

  prototypeOf(target: AgentsCoreExports): object {
    return target;
  }

  patch(target: AgentsCoreExports): void {
    attachToSdk(target, this.telemetry);
  }

  unpatch(): void {
    detachFromSdk(this.telemetry);
  }
}

function isAgentsCore(value: unknown): value is AgentsCoreExports {
  const exports = value as Partial<AgentsCoreExports> | null;
  return typeof exports === 'object' && exports !== null && typeof exports.getGlobalTraceProvider === 'function' && typeof exports.getCurrentTrace === 'function';
}

import type { Meter } from '@opentelemetry/api';
import { DyntelInstrumentation, type AnyModulePatcher, type ConfigSchema } from '@dyntel/instrumentation-kit';
import { createActorInstruments, createGenAiInstruments, type AgentsInstruments } from './metrics';
import { AgentsCorePatcher } from './openai/agents-core-patcher';
import { captureContentFromEnv } from './openai/content-capture';
import { OpenAiTelemetry } from './openai/openai-telemetry';
import { followSdkContext } from './openai/sdk-attachment';
import type { AgentsInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';
import { ActorTelemetry } from './xstate/actor-telemetry';
import { CreateActorPatcher } from './xstate/create-actor-patcher';

/**
 * The XState versions instrumented: all of v5. Transitions are counted from the
 * `@xstate.microstep` inspection events from 5.7 on, and told from snapshots before.
 */
export const XSTATE_VERSIONS = '>=5.0.0 <6';
/** The `@openai/agents-core` versions instrumented: those that keep their trace provider on globalThis. */
export const OPENAI_AGENTS_VERSIONS = '>=0.8.0 <1';

const CONFIG_SCHEMA: ConfigSchema = Object.freeze({ messageSpans: 'boolean', captureMessageContent: 'boolean' });

/**
 * OpenTelemetry instrumentation for actor systems and multi-agent workflows. XState v5: every
 * root actor's system is observed through XState's inspection API, giving the contract's actor
 * metrics (spawned, active, stopped, restarts, message durations, dropped messages, state
 * transitions, mailbox depth), the `actor.lifecycle` events, an `actor.system` span per root
 * actor and, when `messageSpans` is on, an `actor.message` span per message.
 */
export class AgentsInstrumentation extends DyntelInstrumentation<AgentsInstrumentationConfig, AgentsInstruments> {
  // Created on first use: the base constructor calls init() before field initialisers run.
  declare private _actors: ActorTelemetry | undefined;
  declare private _openai: OpenAiTelemetry | undefined;
  declare private _captureFromEnv: boolean | undefined;

  constructor(config: AgentsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The actor telemetry every actor system shares. */
  protected get actors(): ActorTelemetry {
    return (this._actors ??= new ActorTelemetry({
      tracer: () => this.tracer,
      logger: () => this.logger,
      config: () => this.config,
      instruments: () => this.instruments,
      enabled: () => this.isEnabled(),
    }));
  }

  /** The OpenAI Agents SDK telemetry. */
  protected get openai(): OpenAiTelemetry {
    return (this._openai ??= new OpenAiTelemetry(
      {
        tracer: () => this.tracer,
        logger: () => this.logger,
        config: () => this.config,
        instruments: () => this.instruments,
        enabled: () => this.isEnabled(),
        captureContent: () => this.config.captureMessageContent ?? (this._captureFromEnv ??= captureContentFromEnv()),
      },
      followSdkContext,
    ));
  }

  protected override configSchema(): ConfigSchema {
    return CONFIG_SCHEMA;
  }

  protected override createInstruments(meter: Meter): AgentsInstruments {
    const instruments = { ...createActorInstruments(meter), ...createGenAiInstruments(meter) };
    instruments.mailboxDepth.addCallback(this.actors.observeMailboxes);
    return instruments;
  }

  protected override instrumentsReplaced(previous: AgentsInstruments): void {
    previous.mailboxDepth.removeCallback(this.actors.observeMailboxes);
  }

  protected override patchers(): AnyModulePatcher[] {
    return [new CreateActorPatcher(this.actors, XSTATE_VERSIONS), new AgentsCorePatcher(this.openai, OPENAI_AGENTS_VERSIONS)];
  }
}

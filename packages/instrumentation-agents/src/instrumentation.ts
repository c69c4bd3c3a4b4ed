import type { Meter } from '@opentelemetry/api';
import { DyntelInstrumentation, type AnyModulePatcher, type ConfigSchema } from '@dyntel/instrumentation-kit';
import { createActorInstruments, type ActorInstruments } from './metrics';
import type { AgentsInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';
import { ActorTelemetry } from './xstate/actor-telemetry';
import { CreateActorPatcher } from './xstate/create-actor-patcher';

/** The XState versions instrumented. */
export const XSTATE_VERSIONS = '>=5 <6';

const CONFIG_SCHEMA: ConfigSchema = Object.freeze({ messageSpans: 'boolean' });

/**
 * OpenTelemetry instrumentation for actor systems and multi-agent workflows. XState v5: every
 * root actor's system is observed through XState's inspection API, giving the contract's actor
 * metrics (spawned, active, stopped, restarts, message durations, dropped messages, state
 * transitions, mailbox depth), the `actor.lifecycle` events, an `actor.system` span per root
 * actor and, when `messageSpans` is on, an `actor.message` span per message.
 */
export class AgentsInstrumentation extends DyntelInstrumentation<AgentsInstrumentationConfig, ActorInstruments> {
  // Created on first use: the base constructor calls init() before field initialisers run.
  declare private _actors: ActorTelemetry | undefined;

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

  protected override configSchema(): ConfigSchema {
    return CONFIG_SCHEMA;
  }

  protected override createInstruments(meter: Meter): ActorInstruments {
    const instruments = createActorInstruments(meter);
    instruments.mailboxDepth.addCallback(this.actors.observeMailboxes);
    return instruments;
  }

  protected override instrumentsReplaced(previous: ActorInstruments): void {
    previous.mailboxDepth.removeCallback(this.actors.observeMailboxes);
  }

  protected override patchers(): AnyModulePatcher[] {
    return [new CreateActorPatcher(this.actors, XSTATE_VERSIONS)];
  }
}

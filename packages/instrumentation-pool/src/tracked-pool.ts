import type { Attributes, SpanOptions } from '@opentelemetry/api';
import { Component, type ComponentLabel } from '@dyntel/instrumentation-kit';
import { ATTR_COMPONENT_KIND, ATTR_ERROR_TYPE, ATTR_LIFECYCLE_STATE, ATTR_POOL_NAME, ATTR_POOL_OPERATION, ComponentKind, SPAN_POOL_ACQUIRE, type LifecycleState, type PoolOperation } from '@dyntel/semconv';
import { Loans } from './loans';
import type { PoolAdapter } from './pool-adapter';

/**
 * What the instrumentation knows about one pool: its label and cached attribute sets (a kit
 * {@link Component}), its library's adapter, when each lent resource was handed out, and
 * whether it stopped. It never references the pool itself, so tracking cannot keep it alive.
 */
export class TrackedPool extends Component {
  /** Set once the pool stopped (drained): it no longer reports its sizes. */
  stopped = false;
  /** When each resource now lent out was handed out. */
  readonly loans = new Loans();
  readonly #errors = new Map<string, Map<string, Attributes>>();

  constructor(
    readonly adapter: PoolAdapter,
    label: ComponentLabel,
  ) {
    super(ATTR_POOL_NAME, label, SPAN_POOL_ACQUIRE);
  }

  // Built on first use and kept in fields: every acquire and release reads them.
  #nameAttributes: Attributes | undefined = undefined;
  #acquireSpanOptions: SpanOptions | undefined = undefined;

  /** The attributes of the per-pool metrics: the guarded name only. */
  nameAttributes(): Attributes {
    return (this.#nameAttributes ??= this.metricAttributes('name', noFill));
  }

  /**
   * The wait time's attributes: the kit's, which for a success (the only wait time recorded: the
   * acquire kind has no outcome attribute) are the name alone, so the kept name attributes are
   * returned without the kit's two lookups by outcome and error type.
   */
  override durationAttributes(outcomeAttribute: string | undefined, outcome: string, errorType: string | undefined): Attributes {
    if (outcomeAttribute === undefined && errorType === undefined) return this.nameAttributes();
    return super.durationAttributes(outcomeAttribute, outcome, errorType);
  }

  /** The `pool.acquire` span's options: INTERNAL, with the name. */
  acquireSpanOptions(): SpanOptions {
    return (this.#acquireSpanOptions ??= this.spanOptions('acquire', noFill));
  }

  /** The attributes of `resilience.pool.errors` for one operation and error type, built once. */
  errorAttributes(operation: PoolOperation, errorType: string): Attributes {
    let byType = this.#errors.get(operation);
    if (byType === undefined) {
      byType = new Map();
      this.#errors.set(operation, byType);
    }
    let attributes = byType.get(errorType);
    if (attributes === undefined) {
      attributes = { ...this.nameAttributes(), [ATTR_POOL_OPERATION]: operation, [ATTR_ERROR_TYPE]: errorType };
      byType.set(errorType, attributes);
    }
    return attributes;
  }

  /** A lifecycle event's attributes: the name for events, kind `pool` and the state reached. */
  lifecycleAttributes(state: LifecycleState): Attributes {
    const attributes = this.spanAttributes();
    attributes[ATTR_COMPONENT_KIND] = ComponentKind.POOL;
    attributes[ATTR_LIFECYCLE_STATE] = state;
    return attributes;
  }
}

// Neither the name attributes nor the acquire span options add anything to what the kit builds.
function noFill(): void {}

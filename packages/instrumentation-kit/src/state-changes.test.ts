import { describe, expect, it } from 'vitest';
import { SeverityNumber, type LogRecord, type Logger } from '@opentelemetry/api';
import { Severity } from '@dyntel/semconv';
import { Component } from './component';
import { StateChanges, type StatefulComponent } from './state-changes';

type State = 'ready' | 'starved';

class Pool extends Component implements StatefulComponent<State> {
  state: State = 'ready';
}

function setup() {
  const records: LogRecord[] = [];
  const counted: [State, State][] = [];
  const logger: Logger = { emit: (record) => records.push(record), enabled: () => true };
  const changes = new StateChanges<State, Pool>({
    label: 'test state change',
    eventName: 'test.state_change',
    stateAttribute: 'test.state',
    previousStateAttribute: 'test.previous_state',
    severity: { ready: Severity.INFO, starved: Severity.WARN },
    logger: () => logger,
    count: (_pool, state, previous) => counted.push([state, previous]),
  });
  const pool = new Pool('test.name', { metricName: 'db', spanAttribute: 'db', spanSuffix: 'db' }, 'test.acquire');
  return { records, counted, changes, pool };
}

describe('StateChanges', () => {
  it('moves the state, counts the change and emits the event with the contract severity', () => {
    const { records, counted, changes, pool } = setup();
    expect(changes.transition(pool, 'starved', 'TimeoutError')).toBe(true);
    expect(pool.state).toBe('starved');
    expect(counted).toEqual([['starved', 'ready']]);
    expect(records).toEqual([
      expect.objectContaining({
        eventName: 'test.state_change',
        severityNumber: SeverityNumber.WARN,
        attributes: { 'test.name': 'db', 'test.state': 'starved', 'test.previous_state': 'ready', 'error.type': 'TimeoutError' },
      }),
    ]);
  });

  it('does not report the current state again as a change', () => {
    const { records, counted, changes, pool } = setup();
    expect(changes.transition(pool, 'ready')).toBe(false);
    expect(records).toEqual([]);
    expect(counted).toEqual([]);
  });
});

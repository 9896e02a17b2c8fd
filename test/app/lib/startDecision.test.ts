import { decideStart } from '../../../lib/startDecision';
import type { ExistingInstance, OnConflict, StartDecision } from '../../../lib/startDecision';

const counter = (runtimeStatus: string): ExistingInstance => ({ name: 'Counter', runtimeStatus });
const job = (runtimeStatus: string): ExistingInstance => ({ name: 'PeriodicJob', runtimeStatus });

describe('decideStart', () => {
  const table: Array<[string, ExistingInstance | undefined, OnConflict, StartDecision]> = [
    ['no instance', undefined, 'fail', { kind: 'start' }],
    ['no instance (useExisting)', undefined, 'useExisting', { kind: 'start' }],
    [
      'Completed',
      counter('Completed'),
      'fail',
      { kind: 'restart', previousStatus: 'Completed', previousName: 'Counter' },
    ],
    ['Failed', counter('Failed'), 'fail', { kind: 'restart', previousStatus: 'Failed', previousName: 'Counter' }],
    [
      'Terminated',
      counter('Terminated'),
      'useExisting',
      { kind: 'restart', previousStatus: 'Terminated', previousName: 'Counter' },
    ],
    ['Canceled', counter('Canceled'), 'fail', { kind: 'restart', previousStatus: 'Canceled', previousName: 'Counter' }],
    [
      'terminal, other orchestrator',
      job('Completed'),
      'fail',
      { kind: 'restart', previousStatus: 'Completed', previousName: 'PeriodicJob' },
    ],
    ['Pending', counter('Pending'), 'fail', { kind: 'conflict', runtimeStatus: 'Pending', name: 'Counter' }],
    ['Running', counter('Running'), 'fail', { kind: 'conflict', runtimeStatus: 'Running', name: 'Counter' }],
    [
      'ContinuedAsNew',
      counter('ContinuedAsNew'),
      'fail',
      { kind: 'conflict', runtimeStatus: 'ContinuedAsNew', name: 'Counter' },
    ],
    ['Suspended', counter('Suspended'), 'fail', { kind: 'conflict', runtimeStatus: 'Suspended', name: 'Counter' }],
    [
      'an unknown status (treated as active)',
      counter('Rewinding'),
      'fail',
      { kind: 'conflict', runtimeStatus: 'Rewinding', name: 'Counter' },
    ],
    ['Running (useExisting)', counter('Running'), 'useExisting', { kind: 'useExisting', runtimeStatus: 'Running' }],
    [
      'Suspended (useExisting)',
      counter('Suspended'),
      'useExisting',
      { kind: 'useExisting', runtimeStatus: 'Suspended' },
    ],
    [
      'active, other orchestrator (useExisting)',
      job('Running'),
      'useExisting',
      { kind: 'conflict', runtimeStatus: 'Running', name: 'PeriodicJob' },
    ],
  ];

  it.each(table)('decides for %s', (_case, existing, onConflict, expected) => {
    expect(decideStart(existing, 'Counter', onConflict)).toEqual(expected);
  });
});

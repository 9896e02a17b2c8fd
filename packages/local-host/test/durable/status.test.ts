import { condenseHistory, formatStatusTime, parseToJToken, statusPayload } from '../../src/durable/status';
import { instanceRecord } from '../support/records';

describe('status payload', () => {
  const record = instanceRecord('i', {
    executionId: 'e',
    runtimeStatus: 'Terminated',
    input: '{"a":1}',
    output: '"stop"',
    createdTime: Date.UTC(2024, 0, 1, 0, 0, 0, 999),
    lastUpdatedTime: Date.UTC(2024, 0, 1, 0, 0, 6),
  });

  it('formats times without fractions and always includes input, customStatus and output', () => {
    expect(statusPayload(record, { showInput: true, showHistory: false, showHistoryOutput: false })).toEqual({
      name: 'Orch',
      instanceId: 'i',
      runtimeStatus: 'Terminated',
      input: { a: 1 },
      customStatus: null,
      output: 'stop',
      createdTime: '2024-01-01T00:00:00Z',
      lastUpdatedTime: '2024-01-01T00:00:06Z',
    });
    expect(formatStatusTime(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('returns non-JSON text as a string', () => {
    expect(parseToJToken('not json')).toBe('not json');
    expect(parseToJToken('[1]')).toEqual([1]);
    expect(parseToJToken(null)).toBeNull();
  });

  it('merges scheduling rows into completions and drops bookkeeping fields', () => {
    const rows = condenseHistory(
      [
        { EventType: 12, EventId: -1, IsPlayed: true, Timestamp: 't0' },
        { EventType: 0, EventId: -1, IsPlayed: true, Timestamp: 't0', Name: 'Orch', Input: '1' },
        { EventType: 4, EventId: 0, IsPlayed: true, Timestamp: 't0', Name: 'Act', Input: '[1]' },
        { EventType: 13, EventId: -1, IsPlayed: true, Timestamp: 't0' },
        { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: 't1' },
        { EventType: 5, EventId: -1, IsPlayed: false, Timestamp: 't1', TaskScheduledId: 0, Result: '"r"' },
        { EventType: 10, EventId: 1, IsPlayed: false, Timestamp: 't1', FireAt: 't9' },
      ],
      { showInput: true, showHistory: true, showHistoryOutput: true },
    );
    expect(rows).toEqual([
      { EventType: 'ExecutionStarted', Timestamp: 't0', Name: 'Orch', Input: '1', FunctionName: 'Orch' },
      {
        EventType: 'TaskCompleted',
        Timestamp: 't1',
        Result: 'r',
        FunctionName: 'Act',
        ScheduledTime: 't0',
        Input: '[1]',
      },
      { EventType: 'TimerCreated', Timestamp: 't1', FireAt: 't9' },
    ]);
  });
});

import { carryOverEvents } from '../../../local-host/durable/carryOver';
import type { HistoryEvent } from '../../../local-host/durable/history';

const raised = (name: string, input: string): HistoryEvent => ({
  EventType: 15,
  EventId: -1,
  IsPlayed: true,
  Timestamp: '2024-01-01T00:00:00.000Z',
  Name: name,
  Input: input,
});

describe('carryOverEvents', () => {
  it('carries the events of each name beyond the number of waits, in arrival order', () => {
    const history = [raised('a', '1'), raised('b', '2'), raised('a', '3'), raised('a', '4'), raised('reply-id', '{}')];
    const carried = carryOverEvents(
      history,
      [
        { kind: 'waitForEvent', name: 'a' },
        { kind: 'activity', name: 'x', input: undefined },
      ],
      ['reply-id'],
    );
    expect(carried.map((e) => [e.Name, e.Input, e.IsPlayed])).toEqual([
      ['b', '2', false],
      ['a', '3', false],
      ['a', '4', false],
    ]);
  });
});

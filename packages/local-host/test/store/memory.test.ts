/** What only the memory store offers: the counts tests use to check that state stays bounded. The contract is in contract.ts. */
import { MemoryStore } from '../../src/store/memory';
import { instanceRecord as record } from '../support/records';

describe('MemoryStore', () => {
  it('counts nothing once an instance with its history, messages and timers is purged', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('p', { executionId: 'e' }), undefined);
    await store.appendHistory('p', 'e', [{ EventType: 12 }]);
    await store.enqueueMessage('p', { kind: 'event' });
    await store.putTimer({ instanceId: 'p', executionId: 'e', timerId: 0, fireAt: 1 });
    expect(store.stats()).toEqual({ instances: 1, executions: 1, historyEvents: 1, messages: 1, timers: 1 });
    expect(await store.purgeInstance('p')).toBe(true);
    expect(await store.purgeInstance('p')).toBe(false);
    expect(store.stats()).toEqual({ instances: 0, executions: 0, historyEvents: 0, messages: 0, timers: 0 });
  });

  it('counts only the kept execution once the others are dropped', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('d', { executionId: 'e2' }), undefined);
    await store.appendHistory('d', 'e1', [{ EventType: 12 }]);
    await store.putExecutionState('d', 'e1', { a: 1 });
    await store.appendHistory('d', 'e2', [{ EventType: 12 }, { EventType: 0 }]);
    expect(store.historySize('d')).toBe(3);
    await store.dropExecutions('d', 'e2');
    expect(store.historySize('d')).toBe(2);
    expect(await store.getExecutionState('d', 'e1')).toBeUndefined();
    expect(store.stats()).toMatchObject({ executions: 1, historyEvents: 2 });
    expect(store.historySize('nobody')).toBe(0);
  });
});

import { MemoryStore } from '../../src/store/memory';
import type { InstanceRecord } from '../../src/store/types';

function record(instanceId: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId,
    name: 'Orch',
    executionId: `exec-${Math.random().toString(16).slice(2)}`,
    runtimeStatus: 'Pending',
    input: null,
    output: null,
    customStatus: null,
    createdTime: 1000,
    lastUpdatedTime: 1000,
    parent: null,
    generation: 0,
    ...overrides,
  };
}

describe('MemoryStore', () => {
  it('inserts exactly one of 100 concurrent new-execution writes for one new id, and reports the others lost', async () => {
    const store = new MemoryStore();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.setNewExecution(record('one', { executionId: `e${i}` }), undefined)),
    );
    expect(results.filter((written) => written)).toHaveLength(1);
    const winner = await store.getInstance('one');
    expect(winner?.executionId).toBe(`e${results.indexOf(true)}`);
  });

  it('replaces a record whose ETag still matches and drops its executions and timers', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('r', { executionId: 'old', runtimeStatus: 'Completed' }), undefined);
    await store.appendHistory('r', 'old', [{ EventType: 12 }]);
    await store.putTimer({ instanceId: 'r', executionId: 'old', timerId: 1, fireAt: 5 });
    const read = await store.readInstance('r');
    expect(read?.record).toMatchObject({ executionId: 'old' });
    expect(await store.setNewExecution(record('r', { executionId: 'new' }), read?.etag)).toBe(true);
    expect((await store.getInstance('r'))?.executionId).toBe('new');
    expect(await store.getHistory('r', 'old')).toEqual([]);
    expect(await store.listTimers()).toEqual([]);
  });

  it('loses a replace once the record was written after the read (the provider 412), and an insert over a record', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('a', { executionId: 'first', runtimeStatus: 'Completed' }), undefined);
    const read = await store.readInstance('a');
    expect(await store.setNewExecution(record('a', { executionId: 'second' }), read?.etag)).toBe(true);
    expect(await store.setNewExecution(record('a', { executionId: 'third' }), read?.etag)).toBe(false);
    expect(await store.setNewExecution(record('a', { executionId: 'fourth' }), undefined)).toBe(false);
    const current = await store.readInstance('a');
    await store.updateInstance(record('a', { executionId: 'second', runtimeStatus: 'Running' }), 'second');
    expect(await store.setNewExecution(record('a', { executionId: 'fifth' }), current?.etag)).toBe(false);
    expect((await store.getInstance('a'))?.executionId).toBe('second');
  });

  it('updates only when the expected execution is still current', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('u', { executionId: 'x' }), undefined);
    expect(await store.updateInstance(record('u', { executionId: 'x', runtimeStatus: 'Running' }), 'y')).toBe(false);
    expect(await store.updateInstance(record('u', { executionId: 'x', runtimeStatus: 'Running' }), 'x')).toBe(true);
    expect((await store.getInstance('u'))?.runtimeStatus).toBe('Running');
  });

  it('copies records in and out', async () => {
    const store = new MemoryStore();
    const r = record('c');
    await store.setNewExecution(r, undefined);
    r.runtimeStatus = 'Failed';
    const read = await store.getInstance('c');
    expect(read?.runtimeStatus).toBe('Pending');
    if (read) read.runtimeStatus = 'Completed';
    expect((await store.getInstance('c'))?.runtimeStatus).toBe('Pending');
  });

  it('queries with filters and pages with a continuation token', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 7; i++) {
      await store.setNewExecution(
        record(`q-${i}`, { createdTime: 1000 + i, runtimeStatus: i % 2 === 0 ? 'Running' : 'Completed' }),
        undefined,
      );
    }
    await store.setNewExecution(record('other', { createdTime: 1003 }), undefined);
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.queryInstances(
        { instanceIdPrefix: 'q-' },
        { top: 3, ...(token ? { continuationToken: token } : {}) },
      );
      ids.push(...page.instances.map((r) => r.instanceId));
      token = page.continuationToken;
    } while (token !== undefined);
    expect(ids).toEqual(['q-0', 'q-1', 'q-2', 'q-3', 'q-4', 'q-5', 'q-6']);

    const running = await store.queryInstances(
      { runtimeStatus: ['Running'], createdTimeFrom: 1002, createdTimeTo: 1004 },
      { top: 10 },
    );
    expect(running.instances.map((r) => r.instanceId)).toEqual(['q-2', 'q-4']);
    await expect(store.queryInstances({}, { top: 1, continuationToken: 'garbage' })).rejects.toThrow();
  });

  it('keeps pending messages in order per instance and deletes them by sequence', async () => {
    const store = new MemoryStore();
    const a = await store.enqueueMessage('m', { kind: 'event', n: 1 });
    const b = await store.enqueueMessage('m', { kind: 'event', n: 2 });
    expect(b.seq).toBeGreaterThan(a.seq);
    expect((await store.listMessages('m')).map((m) => m.n)).toEqual([1, 2]);
    await store.deleteMessages('m', [a.seq]);
    expect((await store.listMessages('m')).map((m) => m.n)).toEqual([2]);
    expect(await store.instancesWithMessages()).toEqual(['m']);
  });

  it('purges an instance with its history, messages and timers', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('p', { executionId: 'e' }), undefined);
    await store.appendHistory('p', 'e', [{ EventType: 12 }]);
    await store.enqueueMessage('p', { kind: 'event' });
    await store.putTimer({ instanceId: 'p', executionId: 'e', timerId: 0, fireAt: 1 });
    expect(await store.purgeInstance('p')).toBe(true);
    expect(await store.purgeInstance('p')).toBe(false);
    expect(store.stats()).toEqual({ instances: 0, executions: 0, historyEvents: 0, messages: 0, timers: 0 });
  });

  it('drops every execution but the kept one', async () => {
    const store = new MemoryStore();
    await store.setNewExecution(record('d', { executionId: 'e2' }), undefined);
    await store.appendHistory('d', 'e1', [{ EventType: 12 }]);
    await store.putExecutionState('d', 'e1', { a: 1 });
    await store.appendHistory('d', 'e2', [{ EventType: 12 }, { EventType: 0 }]);
    await store.dropExecutions('d', 'e2');
    expect(store.historySize('d')).toBe(2);
    expect(await store.getExecutionState('d', 'e1')).toBeUndefined();
  });
});

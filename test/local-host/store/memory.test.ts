import { MemoryStore } from '../../../local-host/store/memory';
import type { InstanceRecord } from '../../../local-host/store/types';

const DEDUPE = ['Running', 'ContinuedAsNew', 'Pending', 'Suspended'] as const;

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
  it('creates exactly one instance out of 100 concurrent createInstance calls for one id', async () => {
    const store = new MemoryStore();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.createInstance(record('one', { executionId: `e${i}` }), { dedupeStatuses: DEDUPE }),
      ),
    );
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    const winner = await store.getInstance('one');
    for (const r of results) {
      if (!r.created) expect(r.existing.executionId).toBe(winner?.executionId);
    }
  });

  it('replaces an instance whose status is not in the dedupe list and drops its executions and timers', async () => {
    const store = new MemoryStore();
    await store.createInstance(record('r', { executionId: 'old', runtimeStatus: 'Completed' }), {
      dedupeStatuses: DEDUPE,
    });
    await store.appendHistory('r', 'old', [{ EventType: 12 }]);
    await store.putTimer({ instanceId: 'r', executionId: 'old', timerId: 1, fireAt: 5 });
    const result = await store.createInstance(record('r', { executionId: 'new' }), { dedupeStatuses: DEDUPE });
    expect(result).toMatchObject({ created: true, replaced: { executionId: 'old' } });
    expect(await store.getHistory('r', 'old')).toEqual([]);
    expect(await store.listTimers()).toEqual([]);
  });

  it('refuses with the existing record while it is active, and accepts anything with no dedupe statuses', async () => {
    const store = new MemoryStore();
    await store.createInstance(record('a', { executionId: 'first', runtimeStatus: 'Running' }), {
      dedupeStatuses: DEDUPE,
    });
    expect(await store.createInstance(record('a'), { dedupeStatuses: DEDUPE })).toMatchObject({
      created: false,
      existing: { executionId: 'first', runtimeStatus: 'Running' },
    });
    expect(await store.createInstance(record('a'), { dedupeStatuses: [] })).toMatchObject({ created: true });
  });

  it('updates only when the expected execution is still current', async () => {
    const store = new MemoryStore();
    await store.createInstance(record('u', { executionId: 'x' }), { dedupeStatuses: DEDUPE });
    expect(await store.updateInstance(record('u', { executionId: 'x', runtimeStatus: 'Running' }), 'y')).toBe(false);
    expect(await store.updateInstance(record('u', { executionId: 'x', runtimeStatus: 'Running' }), 'x')).toBe(true);
    expect((await store.getInstance('u'))?.runtimeStatus).toBe('Running');
  });

  it('copies records in and out', async () => {
    const store = new MemoryStore();
    const r = record('c');
    await store.createInstance(r, { dedupeStatuses: DEDUPE });
    r.runtimeStatus = 'Failed';
    const read = await store.getInstance('c');
    expect(read?.runtimeStatus).toBe('Pending');
    if (read) read.runtimeStatus = 'Completed';
    expect((await store.getInstance('c'))?.runtimeStatus).toBe('Pending');
  });

  it('queries with filters and pages with a continuation token', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 7; i++) {
      await store.createInstance(
        record(`q-${i}`, { createdTime: 1000 + i, runtimeStatus: i % 2 === 0 ? 'Running' : 'Completed' }),
        { dedupeStatuses: DEDUPE },
      );
    }
    await store.createInstance(record('other', { createdTime: 1003 }), { dedupeStatuses: DEDUPE });
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
    await store.createInstance(record('p', { executionId: 'e' }), { dedupeStatuses: DEDUPE });
    await store.appendHistory('p', 'e', [{ EventType: 12 }]);
    await store.enqueueMessage('p', { kind: 'event' });
    await store.putTimer({ instanceId: 'p', executionId: 'e', timerId: 0, fireAt: 1 });
    expect(await store.purgeInstance('p')).toBe(true);
    expect(await store.purgeInstance('p')).toBe(false);
    expect(store.stats()).toEqual({ instances: 0, executions: 0, historyEvents: 0, messages: 0, timers: 0 });
  });

  it('drops every execution but the kept one', async () => {
    const store = new MemoryStore();
    await store.createInstance(record('d', { executionId: 'e2' }), { dedupeStatuses: DEDUPE });
    await store.appendHistory('d', 'e1', [{ EventType: 12 }]);
    await store.putExecutionState('d', 'e1', { a: 1 });
    await store.appendHistory('d', 'e2', [{ EventType: 12 }, { EventType: 0 }]);
    await store.dropExecutions('d', 'e2');
    expect(store.historySize('d')).toBe(2);
    expect(await store.getExecutionState('d', 'e1')).toBeUndefined();
  });
});

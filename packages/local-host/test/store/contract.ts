/**
 * The {@link DurableStore} contract as a suite any implementation runs: `describeDurableStoreContract('MyStore', () =>
 * new MyStore())` in a `*.test.ts` file. It checks what `src/store/types.ts` promises and the engine relies on:
 * conditional writes of a new execution (one winner, lost writes reported, ETags that change on every record write),
 * updates guarded by the execution id, paged and filtered listing (the management API's list and purge), purge,
 * dropping ended executions, history, execution state, message order, timers and entities, each instance isolated
 * from the others, and every value passed by value in both directions.
 */
import type { DurableStore, EntityRecord, StoredMessage, TimerRecord } from '../../src/store/types';
import { instanceRecord } from '../support/records';

/** Creates a fresh, empty store for one test. */
export type DurableStoreFactory = () => DurableStore | Promise<DurableStore>;

/** Hooks of a contract run: `dispose` releases a store after its test (a connection, a table, a folder). */
export interface DurableStoreContractOptions {
  dispose?: (store: DurableStore) => void | Promise<void>;
}

const byTimerKey = (a: TimerRecord, b: TimerRecord): number =>
  `${a.instanceId}/${a.executionId}/${a.timerId}`.localeCompare(`${b.instanceId}/${b.executionId}/${b.timerId}`);

/** Defines the contract suite for one implementation; `createStore` is called once per test. */
export function describeDurableStoreContract(
  name: string,
  createStore: DurableStoreFactory,
  options: DurableStoreContractOptions = {},
): void {
  describe(`${name} keeps the DurableStore contract`, () => {
    let store: DurableStore;

    beforeEach(async () => {
      store = await createStore();
    });

    afterEach(async () => {
      await options.dispose?.(store);
    });

    /** What every read method still shows of one execution of an instance, to check that a purge left nothing. */
    const traces = async (instanceId: string, executionId: string): Promise<unknown> => ({
      entry: await store.readInstance(instanceId),
      record: await store.getInstance(instanceId),
      history: await store.getHistory(instanceId, executionId),
      state: await store.getExecutionState(instanceId, executionId),
      messages: await store.listMessages(instanceId),
      withMessages: (await store.instancesWithMessages()).includes(instanceId),
      timers: (await store.listTimers()).filter((t) => t.instanceId === instanceId),
      listed: (await store.queryInstances({ instanceIdPrefix: instanceId }, { top: 100 })).instances.filter(
        (r) => r.instanceId === instanceId,
      ),
    });
    /** {@link traces} of an instance the store holds nothing of. */
    const GONE = {
      entry: undefined,
      record: undefined,
      history: [],
      state: undefined,
      messages: [],
      withMessages: false,
      timers: [],
      listed: [],
    };

    describe('readInstance and setNewExecution', () => {
      it('knows no instance before its first write', async () => {
        expect(await store.readInstance('none')).toBeUndefined();
        expect(await store.getInstance('none')).toBeUndefined();
      });

      it('inserts a new instance without an ETag and reads it back whole, with an ETag', async () => {
        const parent = { instanceId: 'p', executionId: 'pe', taskScheduledId: 3, name: 'Parent' };
        const r = instanceRecord('ins', {
          executionId: 'e1',
          input: '{"a":1}',
          customStatus: '"cs"',
          parent,
          generation: 4,
          createdTime: 1234,
          lastUpdatedTime: 1235,
        });
        expect(await store.setNewExecution(r, undefined)).toBe(true);
        const read = await store.readInstance('ins');
        expect(read?.record).toEqual(r);
        expect(typeof read?.etag).toBe('string');
        expect(await store.getInstance('ins')).toEqual(r);
      });

      it('inserts exactly one of 100 concurrent new-execution writes for one new id, and reports the others lost', async () => {
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.setNewExecution(instanceRecord('one', { executionId: `e${i}` }), undefined),
          ),
        );
        expect(results.filter((written) => written)).toHaveLength(1);
        const winner = await store.getInstance('one');
        expect(winner?.executionId).toBe(`e${results.indexOf(true)}`);
      });

      it('replaces exactly one of 20 concurrent new-execution writes made with the same ETag', async () => {
        await store.setNewExecution(
          instanceRecord('race', { executionId: 'old', runtimeStatus: 'Completed' }),
          undefined,
        );
        const read = await store.readInstance('race');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.setNewExecution(instanceRecord('race', { executionId: `new${i}` }), read?.etag),
          ),
        );
        expect(results.filter((written) => written)).toHaveLength(1);
        expect((await store.getInstance('race'))?.executionId).toBe(`new${results.indexOf(true)}`);
      });

      it('replaces a record whose ETag still matches and drops its executions and timers', async () => {
        await store.setNewExecution(instanceRecord('r', { executionId: 'old', runtimeStatus: 'Completed' }), undefined);
        await store.appendHistory('r', 'old', [{ EventType: 12 }]);
        await store.putTimer({ instanceId: 'r', executionId: 'old', timerId: 1, fireAt: 5 });
        const read = await store.readInstance('r');
        expect(read?.record).toMatchObject({ executionId: 'old' });
        expect(await store.setNewExecution(instanceRecord('r', { executionId: 'new' }), read?.etag)).toBe(true);
        expect((await store.getInstance('r'))?.executionId).toBe('new');
        expect(await store.getHistory('r', 'old')).toEqual([]);
        expect(await store.listTimers()).toEqual([]);
      });

      it('drops the execution state of the replaced executions but keeps the pending messages', async () => {
        await store.setNewExecution(instanceRecord('k', { executionId: 'old', runtimeStatus: 'Completed' }), undefined);
        await store.putExecutionState('k', 'old', { episodes: 3 });
        const read = await store.readInstance('k');
        // A start enqueues the new execution's start message before it writes the record.
        const start = await store.enqueueMessage('k', { kind: 'event', executionId: 'new', n: 1 });
        expect(await store.setNewExecution(instanceRecord('k', { executionId: 'new' }), read?.etag)).toBe(true);
        expect(await store.getExecutionState('k', 'old')).toBeUndefined();
        expect(await store.listMessages('k')).toEqual([start]);
      });

      it('keeps the messages enqueued for an id before its first record is inserted', async () => {
        const start = await store.enqueueMessage('early', { kind: 'event', executionId: 'e' });
        expect(await store.setNewExecution(instanceRecord('early', { executionId: 'e' }), undefined)).toBe(true);
        expect(await store.listMessages('early')).toEqual([start]);
      });

      it('leaves other instances alone when it replaces one', async () => {
        await store.setNewExecution(instanceRecord('x', { executionId: 'x1', runtimeStatus: 'Completed' }), undefined);
        await store.setNewExecution(instanceRecord('xy', { executionId: 'y1' }), undefined);
        await store.appendHistory('xy', 'y1', [{ EventType: 0 }]);
        await store.putExecutionState('xy', 'y1', { s: 1 });
        const timer = { instanceId: 'xy', executionId: 'y1', timerId: 1, fireAt: 9 };
        await store.putTimer(timer);
        const read = await store.readInstance('x');
        expect(await store.setNewExecution(instanceRecord('x', { executionId: 'x2' }), read?.etag)).toBe(true);
        expect(await store.getHistory('xy', 'y1')).toEqual([{ EventType: 0 }]);
        expect(await store.getExecutionState('xy', 'y1')).toEqual({ s: 1 });
        expect(await store.listTimers()).toEqual([timer]);
        expect((await store.getInstance('xy'))?.executionId).toBe('y1');
      });

      it('loses a replace once the record was written after the read (the provider 412), and an insert over a record', async () => {
        await store.setNewExecution(
          instanceRecord('a', { executionId: 'first', runtimeStatus: 'Completed' }),
          undefined,
        );
        const read = await store.readInstance('a');
        expect(await store.setNewExecution(instanceRecord('a', { executionId: 'second' }), read?.etag)).toBe(true);
        expect(await store.setNewExecution(instanceRecord('a', { executionId: 'third' }), read?.etag)).toBe(false);
        expect(await store.setNewExecution(instanceRecord('a', { executionId: 'fourth' }), undefined)).toBe(false);
        const current = await store.readInstance('a');
        await store.updateInstance(instanceRecord('a', { executionId: 'second', runtimeStatus: 'Running' }), 'second');
        expect(await store.setNewExecution(instanceRecord('a', { executionId: 'fifth' }), current?.etag)).toBe(false);
        expect((await store.getInstance('a'))?.executionId).toBe('second');
      });

      it('loses a replace of an instance that does not exist, and creates nothing', async () => {
        await store.setNewExecution(instanceRecord('other'), undefined);
        const etag = (await store.readInstance('other'))?.etag;
        expect(await store.setNewExecution(instanceRecord('missing'), etag)).toBe(false);
        expect(await store.setNewExecution(instanceRecord('missing'), 'W/"no-such-etag"')).toBe(false);
        expect(await store.readInstance('missing')).toBeUndefined();
      });

      it('keeps an ETag while the record is not written, and changes it on every write of the record', async () => {
        await store.setNewExecution(instanceRecord('t', { executionId: 'e1' }), undefined);
        const first = (await store.readInstance('t'))?.etag;
        expect((await store.readInstance('t'))?.etag).toBe(first);
        // A start enqueues its start message between its read and its conditional write: that must not cost it the
        // write. Nor does a guarded update that failed.
        await store.enqueueMessage('t', { kind: 'event' });
        expect(await store.updateInstance(instanceRecord('t', { executionId: 'e1' }), 'e0')).toBe(false);
        expect((await store.readInstance('t'))?.etag).toBe(first);
        const seen = [first];
        // An update that changes nothing is still a write.
        expect(await store.updateInstance(instanceRecord('t', { executionId: 'e1' }), 'e1')).toBe(true);
        seen.push((await store.readInstance('t'))?.etag);
        await store.updateInstance(instanceRecord('t', { executionId: 'e1', runtimeStatus: 'Completed' }), 'e1');
        seen.push((await store.readInstance('t'))?.etag);
        expect(await store.setNewExecution(instanceRecord('t', { executionId: 'e2' }), seen[2])).toBe(true);
        seen.push((await store.readInstance('t'))?.etag);
        expect(new Set(seen).size).toBe(4);
        for (const etag of seen.slice(0, 3)) {
          expect(await store.setNewExecution(instanceRecord('t', { executionId: 'stale' }), etag)).toBe(false);
        }
      });

      it('never hands out an ETag of a purged instance again for the instance created after it', async () => {
        await store.setNewExecution(instanceRecord('re', { executionId: 'e1' }), undefined);
        const stale = (await store.readInstance('re'))?.etag;
        await store.purgeInstance('re');
        await store.setNewExecution(instanceRecord('re', { executionId: 'e2' }), undefined);
        expect((await store.readInstance('re'))?.etag).not.toBe(stale);
        expect(await store.setNewExecution(instanceRecord('re', { executionId: 'e3' }), stale)).toBe(false);
        expect((await store.getInstance('re'))?.executionId).toBe('e2');
      });
    });

    describe('updateInstance', () => {
      it('updates only when the expected execution is still current', async () => {
        await store.setNewExecution(instanceRecord('u', { executionId: 'x' }), undefined);
        expect(
          await store.updateInstance(instanceRecord('u', { executionId: 'x', runtimeStatus: 'Running' }), 'y'),
        ).toBe(false);
        expect(
          await store.updateInstance(instanceRecord('u', { executionId: 'x', runtimeStatus: 'Running' }), 'x'),
        ).toBe(true);
        expect((await store.getInstance('u'))?.runtimeStatus).toBe('Running');
      });

      it('writes the whole record, a new execution id included (continue-as-new)', async () => {
        await store.setNewExecution(instanceRecord('can', { executionId: 'g0' }), undefined);
        const next = instanceRecord('can', {
          executionId: 'g1',
          runtimeStatus: 'Running',
          input: '2',
          output: '"out"',
          customStatus: '{"c":true}',
          createdTime: 2000,
          lastUpdatedTime: 2001,
          generation: 1,
        });
        expect(await store.updateInstance(next, 'g0')).toBe(true);
        expect(await store.getInstance('can')).toEqual(next);
        expect(await store.updateInstance(instanceRecord('can', { executionId: 'g2' }), 'g0')).toBe(false);
        expect((await store.getInstance('can'))?.executionId).toBe('g1');
      });

      it('writes nothing for an instance that does not exist', async () => {
        expect(await store.updateInstance(instanceRecord('ghost', { executionId: 'e' }), 'e')).toBe(false);
        expect(await store.readInstance('ghost')).toBeUndefined();
      });
    });

    describe('values are copied in and out', () => {
      it('copies records in and out', async () => {
        const r = instanceRecord('c');
        await store.setNewExecution(r, undefined);
        r.runtimeStatus = 'Failed';
        const read = await store.getInstance('c');
        expect(read?.runtimeStatus).toBe('Pending');
        if (read) read.runtimeStatus = 'Completed';
        expect((await store.getInstance('c'))?.runtimeStatus).toBe('Pending');
      });

      it('copies nested values of records in and out: writes, updates, reads, read entries and query results', async () => {
        const parent = { instanceId: 'p', executionId: 'pe', taskScheduledId: 1, name: 'P' };
        await store.setNewExecution(instanceRecord('pp', { executionId: 'e', parent }), undefined);
        parent.taskScheduledId = 2;
        const read = await store.readInstance('pp');
        if (read?.record.parent) read.record.parent.taskScheduledId = 3;
        const got = await store.getInstance('pp');
        if (got?.parent) got.parent.taskScheduledId = 4;
        const listed = (await store.queryInstances({ instanceIdPrefix: 'pp' }, { top: 1 })).instances[0];
        if (listed?.parent) listed.parent.taskScheduledId = 5;
        expect((await store.getInstance('pp'))?.parent?.taskScheduledId).toBe(1);
        const update = instanceRecord('pp', { executionId: 'e', parent: { ...parent, taskScheduledId: 6 } });
        await store.updateInstance(update, 'e');
        if (update.parent) update.parent.taskScheduledId = 7;
        expect((await store.readInstance('pp'))?.record.parent?.taskScheduledId).toBe(6);
      });

      it('copies history events, execution state, messages, timers and entities in and out', async () => {
        await store.setNewExecution(instanceRecord('v', { executionId: 'e' }), undefined);
        const event = { EventType: 4, Input: { deep: [1] } };
        await store.appendHistory('v', 'e', [event]);
        event.Input.deep.push(2);
        const history = await store.getHistory('v', 'e');
        (history[0]?.Input as { deep: number[] }).deep.push(3);
        expect(await store.getHistory('v', 'e')).toEqual([{ EventType: 4, Input: { deep: [1] } }]);

        const state = { episodes: 1, nested: { ids: [1] } };
        await store.putExecutionState('v', 'e', state);
        state.nested.ids.push(2);
        const readState = (await store.getExecutionState('v', 'e')) as typeof state;
        readState.nested.ids.push(3);
        expect(await store.getExecutionState('v', 'e')).toEqual({ episodes: 1, nested: { ids: [1] } });

        const message = { kind: 'event', payload: { items: ['a'] } };
        const stored = await store.enqueueMessage('v', message);
        message.payload.items.push('b');
        (stored.payload as { items: string[] }).items.push('c');
        const listed = await store.listMessages('v');
        (listed[0]?.payload as { items: string[] }).items.push('d');
        expect((await store.listMessages('v')).map((m) => m.payload)).toEqual([{ items: ['a'] }]);

        const timer: TimerRecord = { instanceId: 'v', executionId: 'e', timerId: 1, fireAt: 10 };
        await store.putTimer(timer);
        timer.fireAt = 20;
        const timers = await store.listTimers();
        if (timers[0]) timers[0].fireAt = 30;
        expect(await store.listTimers()).toEqual([{ instanceId: 'v', executionId: 'e', timerId: 1, fireAt: 10 }]);

        const entity: EntityRecord = {
          schedulerId: '@counter@k',
          name: 'counter',
          key: 'k',
          exists: true,
          state: '1',
          lastOperationTime: 5,
        };
        await store.putEntity(entity);
        entity.state = '2';
        const readEntity = await store.getEntity('@counter@k');
        if (readEntity) readEntity.state = '3';
        const entities = await store.listEntities();
        if (entities[0]) entities[0].state = '4';
        expect((await store.getEntity('@counter@k'))?.state).toBe('1');
      });
    });

    describe('queryInstances', () => {
      it('queries with filters and pages with a continuation token', async () => {
        for (let i = 0; i < 7; i++) {
          await store.setNewExecution(
            instanceRecord(`q-${i}`, { createdTime: 1000 + i, runtimeStatus: i % 2 === 0 ? 'Running' : 'Completed' }),
            undefined,
          );
        }
        await store.setNewExecution(instanceRecord('other', { createdTime: 1003 }), undefined);
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

      it('filters as the management API list and purge ask: inclusive times, several statuses, all combined', async () => {
        const statuses = ['Pending', 'Running', 'Completed', 'Failed', 'Terminated', 'Suspended'] as const;
        for (const [i, runtimeStatus] of statuses.entries()) {
          await store.setNewExecution(
            instanceRecord(`f-${runtimeStatus}`, { createdTime: 100 + i, runtimeStatus }),
            undefined,
          );
        }
        await store.setNewExecution(
          instanceRecord('g-Failed', { createdTime: 103, runtimeStatus: 'Failed' }),
          undefined,
        );
        const ids = async (query: Parameters<DurableStore['queryInstances']>[0]): Promise<string[]> =>
          (await store.queryInstances(query, { top: 100 })).instances.map((r) => r.instanceId).sort();

        expect(await ids({})).toHaveLength(7);
        expect(await ids({ runtimeStatus: [] })).toHaveLength(7);
        expect(await ids({ createdTimeFrom: 101, createdTimeTo: 103 })).toEqual([
          'f-Completed',
          'f-Failed',
          'f-Running',
          'g-Failed',
        ]);
        expect(await ids({ createdTimeFrom: 105 })).toEqual(['f-Suspended']);
        expect(await ids({ createdTimeTo: 100 })).toEqual(['f-Pending']);
        expect(await ids({ runtimeStatus: ['Failed', 'Terminated'] })).toEqual([
          'f-Failed',
          'f-Terminated',
          'g-Failed',
        ]);
        expect(
          await ids({ instanceIdPrefix: 'f-', runtimeStatus: ['Failed', 'Terminated'], createdTimeTo: 103 }),
        ).toEqual(['f-Failed']);
        expect(await ids({ instanceIdPrefix: 'F-' })).toEqual([]);
        expect(await ids({ createdTimeFrom: 104, createdTimeTo: 103 })).toEqual([]);
      });

      it('lists the current execution of each instance once, with its latest record', async () => {
        await store.setNewExecution(instanceRecord('cur', { executionId: 'a', runtimeStatus: 'Completed' }), undefined);
        await store.setNewExecution(
          instanceRecord('cur', { executionId: 'b', createdTime: 1500 }),
          (await store.readInstance('cur'))?.etag,
        );
        await store.updateInstance(
          instanceRecord('cur', { executionId: 'b', runtimeStatus: 'Running', createdTime: 1500 }),
          'b',
        );
        const page = await store.queryInstances({}, { top: 10 });
        expect(page.instances).toEqual([await store.getInstance('cur')]);
        expect(page.instances[0]).toMatchObject({ executionId: 'b', runtimeStatus: 'Running' });
      });

      it('answers an empty store, and a last page that is exactly full, without a continuation token', async () => {
        expect(await store.queryInstances({}, { top: 5 })).toEqual({ instances: [] });
        for (const id of ['l-1', 'l-2']) await store.setNewExecution(instanceRecord(id), undefined);
        const page = await store.queryInstances({}, { top: 2 });
        expect(page.instances.map((r) => r.instanceId).sort()).toEqual(['l-1', 'l-2']);
        expect(page.continuationToken).toBeUndefined();
      });

      it('resumes after the last instance returned when instances come and go between pages', async () => {
        for (let i = 0; i < 6; i++) {
          await store.setNewExecution(instanceRecord(`w-${i}`, { createdTime: 1000 + i }), undefined);
        }
        const first = await store.queryInstances({}, { top: 3 });
        expect(first.continuationToken).toBeDefined();
        const returned = first.instances.map((r) => r.instanceId);
        // A purge of one returned and one not yet returned, and a new instance, before the next page.
        await store.purgeInstance(returned[0] ?? '');
        const notYet = ['w-0', 'w-1', 'w-2', 'w-3', 'w-4', 'w-5'].filter((id) => !returned.includes(id));
        await store.purgeInstance(notYet[0] ?? '');
        await store.setNewExecution(instanceRecord('w-late', { createdTime: 2000 }), undefined);
        const seen = [...returned];
        let token = first.continuationToken;
        while (token !== undefined) {
          const page = await store.queryInstances({}, { top: 3, continuationToken: token });
          seen.push(...page.instances.map((r) => r.instanceId));
          token = page.continuationToken;
        }
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of notYet.slice(1)) expect(seen).toContain(id);
        expect(seen).not.toContain(notYet[0]);
      });
    });

    describe('purgeInstance', () => {
      it('purges an instance with its history, messages and timers', async () => {
        await store.setNewExecution(instanceRecord('p', { executionId: 'e' }), undefined);
        await store.appendHistory('p', 'e', [{ EventType: 12 }]);
        await store.enqueueMessage('p', { kind: 'event' });
        await store.putTimer({ instanceId: 'p', executionId: 'e', timerId: 0, fireAt: 1 });
        expect(await store.purgeInstance('p')).toBe(true);
        expect(await store.purgeInstance('p')).toBe(false);
        expect(await traces('p', 'e')).toEqual(GONE);
      });

      it('purges the execution state and every earlier execution too', async () => {
        await store.setNewExecution(instanceRecord('pe', { executionId: 'e2' }), undefined);
        await store.appendHistory('pe', 'e1', [{ EventType: 0 }]);
        await store.putExecutionState('pe', 'e1', { a: 1 });
        await store.putExecutionState('pe', 'e2', { a: 2 });
        await store.putTimer({ instanceId: 'pe', executionId: 'e1', timerId: 0, fireAt: 1 });
        expect(await store.purgeInstance('pe')).toBe(true);
        expect(await traces('pe', 'e1')).toEqual(GONE);
        expect(await traces('pe', 'e2')).toEqual(GONE);
      });

      it('leaves every other instance whole, ids sharing its prefix included', async () => {
        for (const id of ['iso', 'iso-2', 'is']) {
          await store.setNewExecution(instanceRecord(id, { executionId: `${id}-e` }), undefined);
          await store.appendHistory(id, `${id}-e`, [{ EventType: 0, id }]);
          await store.putExecutionState(id, `${id}-e`, { id });
          await store.enqueueMessage(id, { kind: 'event', id });
          await store.putTimer({ instanceId: id, executionId: `${id}-e`, timerId: 1, fireAt: 1 });
        }
        expect(await store.purgeInstance('iso')).toBe(true);
        for (const id of ['iso-2', 'is']) {
          expect((await store.getInstance(id))?.executionId).toBe(`${id}-e`);
          expect(await store.getHistory(id, `${id}-e`)).toEqual([{ EventType: 0, id }]);
          expect(await store.getExecutionState(id, `${id}-e`)).toEqual({ id });
          expect((await store.listMessages(id)).map((m) => m.id)).toEqual([id]);
        }
        expect((await store.listTimers()).map((t) => t.instanceId).sort()).toEqual(['is', 'iso-2']);
        expect([...(await store.instancesWithMessages())].sort()).toEqual(['is', 'iso-2']);
      });
    });

    describe('history', () => {
      it('appends events oldest first, per execution and per instance', async () => {
        await store.setNewExecution(instanceRecord('h', { executionId: 'e1' }), undefined);
        await store.setNewExecution(instanceRecord('h2', { executionId: 'e1' }), undefined);
        expect(await store.getHistory('h', 'e1')).toEqual([]);
        await store.appendHistory('h', 'e1', [{ EventId: 1 }, { EventId: 2 }]);
        await store.appendHistory('h', 'e1', []);
        await store.appendHistory('h', 'e1', [{ EventId: 3 }]);
        await store.appendHistory('h', 'e2', [{ EventId: 10 }]);
        await store.appendHistory('h2', 'e1', [{ EventId: 20 }]);
        expect(await store.getHistory('h', 'e1')).toEqual([{ EventId: 1 }, { EventId: 2 }, { EventId: 3 }]);
        expect(await store.getHistory('h', 'e2')).toEqual([{ EventId: 10 }]);
        expect(await store.getHistory('h2', 'e1')).toEqual([{ EventId: 20 }]);
        expect(await store.getHistory('h', 'e3')).toEqual([]);
        expect(await store.getHistory('nobody', 'e1')).toEqual([]);
      });
    });

    describe('dropExecutions', () => {
      it('drops every execution but the kept one', async () => {
        await store.setNewExecution(instanceRecord('d', { executionId: 'e2' }), undefined);
        await store.appendHistory('d', 'e1', [{ EventType: 12 }]);
        await store.putExecutionState('d', 'e1', { a: 1 });
        await store.appendHistory('d', 'e2', [{ EventType: 12 }, { EventType: 0 }]);
        await store.dropExecutions('d', 'e2');
        expect(await store.getHistory('d', 'e2')).toEqual([{ EventType: 12 }, { EventType: 0 }]);
        expect(await store.getHistory('d', 'e1')).toEqual([]);
        expect(await store.getExecutionState('d', 'e1')).toBeUndefined();
      });

      it("keeps the kept execution's state and timers and drops the others' timers", async () => {
        await store.setNewExecution(instanceRecord('dt', { executionId: 'e2' }), undefined);
        await store.putExecutionState('dt', 'e2', { keep: true });
        const kept = { instanceId: 'dt', executionId: 'e2', timerId: 1, fireAt: 50 };
        await store.putTimer({ instanceId: 'dt', executionId: 'e1', timerId: 1, fireAt: 40 });
        await store.putTimer(kept);
        await store.dropExecutions('dt', 'e2');
        expect(await store.getExecutionState('dt', 'e2')).toEqual({ keep: true });
        expect(await store.listTimers()).toEqual([kept]);
      });

      it('drops every execution without a kept one, and keeps the record, its messages and other instances', async () => {
        await store.setNewExecution(instanceRecord('da', { executionId: 'e1' }), undefined);
        await store.setNewExecution(instanceRecord('db', { executionId: 'e1' }), undefined);
        for (const id of ['da', 'db']) {
          await store.appendHistory(id, 'e1', [{ EventType: 0 }]);
          await store.putExecutionState(id, 'e1', { id });
          await store.putTimer({ instanceId: id, executionId: 'e1', timerId: 0, fireAt: 1 });
        }
        const message = await store.enqueueMessage('da', { kind: 'event' });
        await store.dropExecutions('da');
        expect(await store.getHistory('da', 'e1')).toEqual([]);
        expect(await store.getExecutionState('da', 'e1')).toBeUndefined();
        expect((await store.getInstance('da'))?.executionId).toBe('e1');
        expect(await store.listMessages('da')).toEqual([message]);
        expect(await store.getHistory('db', 'e1')).toEqual([{ EventType: 0 }]);
        expect(await store.getExecutionState('db', 'e1')).toEqual({ id: 'db' });
        expect((await store.listTimers()).map((t) => t.instanceId)).toEqual(['db']);
      });
    });

    describe('execution state', () => {
      it('holds one state per execution, replaced by each put, undefined before the first', async () => {
        await store.setNewExecution(instanceRecord('s', { executionId: 'e1' }), undefined);
        await store.setNewExecution(instanceRecord('s2', { executionId: 'e1' }), undefined);
        expect(await store.getExecutionState('s', 'e1')).toBeUndefined();
        await store.putExecutionState('s', 'e1', { episodes: 1, ids: [1] });
        await store.putExecutionState('s', 'e1', { episodes: 2 });
        await store.putExecutionState('s', 'e2', { episodes: 7 });
        expect(await store.getExecutionState('s', 'e1')).toEqual({ episodes: 2 });
        expect(await store.getExecutionState('s', 'e2')).toEqual({ episodes: 7 });
        expect(await store.getExecutionState('s2', 'e1')).toBeUndefined();
        expect(await store.getExecutionState('nobody', 'e1')).toBeUndefined();
      });
    });

    describe('messages', () => {
      it('keeps pending messages in order per instance and deletes them by sequence', async () => {
        const a = await store.enqueueMessage('m', { kind: 'event', n: 1 });
        const b = await store.enqueueMessage('m', { kind: 'event', n: 2 });
        expect(b.seq).toBeGreaterThan(a.seq);
        expect((await store.listMessages('m')).map((m) => m.n)).toEqual([1, 2]);
        await store.deleteMessages('m', [a.seq]);
        expect((await store.listMessages('m')).map((m) => m.n)).toEqual([2]);
        expect(await store.instancesWithMessages()).toEqual(['m']);
      });

      it("stores each message whole under a sequence number of the store's choosing, in enqueue order", async () => {
        const first = await store.enqueueMessage('o', { kind: 'event', executionId: 'x', event: { Name: 'go' } });
        const second = await store.enqueueMessage('o', { kind: 'terminate', reason: null, seq: -5 });
        expect(first).toMatchObject({ kind: 'event', executionId: 'x', event: { Name: 'go' } });
        expect(second).toMatchObject({ kind: 'terminate', reason: null });
        expect(second.seq).toBeGreaterThan(first.seq);
        expect(await store.listMessages('o')).toEqual([first, second]);
      });

      it('orders messages per instance while several instances interleave', async () => {
        const sent: Record<string, StoredMessage[]> = { i1: [], i2: [], i3: [] };
        for (let n = 0; n < 30; n++) {
          const id = `i${(n % 3) + 1}`;
          sent[id]?.push(await store.enqueueMessage(id, { kind: 'event', n }));
        }
        for (const [id, messages] of Object.entries(sent)) {
          const listed = await store.listMessages(id);
          expect(listed).toEqual(messages);
          const seqs = listed.map((m) => m.seq);
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
          expect(new Set(seqs).size).toBe(seqs.length);
        }
        expect([...(await store.instancesWithMessages())].sort()).toEqual(['i1', 'i2', 'i3']);
      });

      it('keeps every one of 50 concurrent enqueues to one instance, each with its own sequence number', async () => {
        const stored = await Promise.all(
          Array.from({ length: 50 }, (_, n) => store.enqueueMessage('burst', { kind: 'event', n })),
        );
        const listed = await store.listMessages('burst');
        expect(listed).toHaveLength(50);
        expect(new Set(listed.map((m) => m.seq)).size).toBe(50);
        expect(listed.map((m) => m.seq)).toEqual([...listed.map((m) => m.seq)].sort((x, y) => x - y));
        expect([...listed].sort((x, y) => (x.n as number) - (y.n as number))).toEqual(stored);
      });

      it("deletes only the named instance's messages, ignores unknown ones, and forgets an emptied instance", async () => {
        const a1 = await store.enqueueMessage('qa', { kind: 'event', n: 1 });
        const a2 = await store.enqueueMessage('qa', { kind: 'event', n: 2 });
        const b1 = await store.enqueueMessage('qb', { kind: 'event', n: 3 });
        await store.deleteMessages('nobody', [a1.seq, a2.seq, b1.seq]);
        await store.deleteMessages('qa', []);
        expect(await store.listMessages('qa')).toEqual([a1, a2]);
        expect(await store.listMessages('qb')).toEqual([b1]);
        // Sequence numbers are the instance's: another instance's delete of the same numbers leaves these alone.
        await store.deleteMessages('qb', [b1.seq]);
        expect(await store.listMessages('qa')).toEqual([a1, a2]);
        expect(await store.listMessages('qb')).toEqual([]);
        expect(await store.instancesWithMessages()).toEqual(['qa']);
        await store.deleteMessages('qa', [a2.seq, a1.seq, 987654]);
        expect(await store.listMessages('qa')).toEqual([]);
        expect(await store.instancesWithMessages()).toEqual([]);
        expect(await store.listMessages('never')).toEqual([]);
      });
    });

    describe('timers', () => {
      it('lists every stored timer, told apart by instance, execution and timer id, until it is deleted', async () => {
        const timers: TimerRecord[] = [
          { instanceId: 't1', executionId: 'e1', timerId: 0, fireAt: 300 },
          { instanceId: 't1', executionId: 'e1', timerId: 1, fireAt: 100 },
          { instanceId: 't1', executionId: 'e2', timerId: 0, fireAt: 200 },
          { instanceId: 't2', executionId: 'e1', timerId: 0, fireAt: 100 },
        ];
        expect(await store.listTimers()).toEqual([]);
        for (const timer of timers) await store.putTimer(timer);
        expect([...(await store.listTimers())].sort(byTimerKey)).toEqual([...timers].sort(byTimerKey));
        await store.deleteTimer('t1', 'e1', 0);
        await store.deleteTimer('t1', 'e1', 9);
        await store.deleteTimer('nobody', 'e1', 0);
        expect([...(await store.listTimers())].sort(byTimerKey)).toEqual(timers.slice(1).sort(byTimerKey));
        for (const timer of timers.slice(1))
          await store.deleteTimer(timer.instanceId, timer.executionId, timer.timerId);
        expect(await store.listTimers()).toEqual([]);
      });
    });

    describe('entities', () => {
      it('reads, replaces and lists entity records by scheduler id', async () => {
        const counter: EntityRecord = {
          schedulerId: '@counter@a',
          name: 'counter',
          key: 'a',
          exists: true,
          state: '1',
          lastOperationTime: 10,
        };
        const other: EntityRecord = { ...counter, schedulerId: '@counter@b', key: 'b', state: null, exists: false };
        expect(await store.getEntity('@counter@a')).toBeUndefined();
        expect(await store.listEntities()).toEqual([]);
        await store.putEntity(counter);
        await store.putEntity(other);
        await store.putEntity({ ...counter, state: '2', lastOperationTime: 11 });
        expect(await store.getEntity('@counter@a')).toEqual({ ...counter, state: '2', lastOperationTime: 11 });
        expect(await store.getEntity('@counter@b')).toEqual(other);
        expect([...(await store.listEntities())].sort((x, y) => x.schedulerId.localeCompare(y.schedulerId))).toEqual([
          { ...counter, state: '2', lastOperationTime: 11 },
          other,
        ]);
        // Entities are not orchestration instances.
        expect((await store.queryInstances({}, { top: 10 })).instances).toEqual([]);
      });
    });
  });
}

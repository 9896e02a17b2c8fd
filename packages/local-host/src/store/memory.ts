/**
 * In-memory implementation of {@link DurableStore}.
 *
 * Each method does its whole read-modify-write before its first `await` point (there is none), so on Node's single
 * thread every call is atomic, as one storage request is. A start is several calls (read, enqueue, conditional write),
 * so concurrent starts interleave between them as they do against Azure Storage. Records are copied in and out so
 * callers never share mutable state with the store.
 */
/* eslint-disable @typescript-eslint/require-await -- methods stay synchronous inside so each call is atomic; async only to match the interface */
import type {
  DurableStore,
  EntityRecord,
  InstanceEntry,
  InstancePage,
  InstanceQuery,
  InstanceRecord,
  PendingMessage,
  StoredMessage,
  TimerRecord,
} from './types';

interface InstanceSlot {
  record: InstanceRecord;
  etag: string;
  /** executionId → events */
  histories: Map<string, Record<string, unknown>[]>;
  states: Map<string, unknown>;
}

interface PageCursor {
  createdTime: number;
  instanceId: string;
}

const timerKey = (instanceId: string, executionId: string, timerId: number): string =>
  `${instanceId}\u0000${executionId}\u0000${timerId}`;

function compareRecords(a: PageCursor, b: PageCursor): number {
  if (a.createdTime !== b.createdTime) return a.createdTime - b.createdTime;
  return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}

function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdTime, cursor.instanceId]), 'utf8').toString('base64url');
}

function decodeCursor(token: string): PageCursor {
  const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || typeof parsed[1] !== 'string') {
    throw new Error('Invalid continuation token.');
  }
  return { createdTime: parsed[0], instanceId: parsed[1] };
}

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements DurableStore {
  private readonly instances = new Map<string, InstanceSlot>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly timers = new Map<string, TimerRecord>();
  private readonly entities = new Map<string, EntityRecord>();
  private messageSeq = 0;
  private etagSeq = 0;

  async readInstance(instanceId: string): Promise<InstanceEntry | undefined> {
    const slot = this.instances.get(instanceId);
    return slot === undefined ? undefined : { record: clone(slot.record), etag: slot.etag };
  }

  async setNewExecution(record: InstanceRecord, etag: string | undefined): Promise<boolean> {
    const existing = this.instances.get(record.instanceId);
    if (etag === undefined ? existing !== undefined : existing?.etag !== etag) return false;
    if (existing !== undefined) this.dropTimersOf(record.instanceId);
    this.instances.set(record.instanceId, {
      record: clone(record),
      etag: this.nextEtag(),
      histories: new Map(),
      states: new Map(),
    });
    return true;
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    const slot = this.instances.get(instanceId);
    return slot === undefined ? undefined : clone(slot.record);
  }

  async updateInstance(record: InstanceRecord, expectedExecutionId: string): Promise<boolean> {
    const slot = this.instances.get(record.instanceId);
    if (slot === undefined || slot.record.executionId !== expectedExecutionId) return false;
    slot.record = clone(record);
    slot.etag = this.nextEtag();
    return true;
  }

  async queryInstances(query: InstanceQuery, page: { top: number; continuationToken?: string }): Promise<InstancePage> {
    const after = page.continuationToken ? decodeCursor(page.continuationToken) : undefined;
    const matching = [...this.instances.values()]
      .map((slot) => slot.record)
      .filter((r) => matches(r, query) && (after === undefined || compareRecords(r, after) > 0))
      .sort(compareRecords);
    const top = Math.max(1, page.top);
    const instances = matching.slice(0, top).map(clone);
    const last = instances[instances.length - 1];
    return matching.length > top && last !== undefined
      ? { instances, continuationToken: encodeCursor(last) }
      : { instances };
  }

  async purgeInstance(instanceId: string): Promise<boolean> {
    const existed = this.instances.delete(instanceId);
    this.messages.delete(instanceId);
    this.dropTimersOf(instanceId);
    return existed;
  }

  async getHistory(instanceId: string, executionId: string): Promise<readonly Record<string, unknown>[]> {
    return clone(this.instances.get(instanceId)?.histories.get(executionId) ?? []);
  }

  async appendHistory(
    instanceId: string,
    executionId: string,
    events: readonly Record<string, unknown>[],
  ): Promise<void> {
    const slot = this.instances.get(instanceId);
    if (slot === undefined) return;
    let history = slot.histories.get(executionId);
    if (history === undefined) {
      history = [];
      slot.histories.set(executionId, history);
    }
    for (const event of events) history.push(clone(event));
  }

  async dropExecutions(instanceId: string, keepExecutionId?: string): Promise<void> {
    const slot = this.instances.get(instanceId);
    if (slot === undefined) return;
    for (const executionId of [...slot.histories.keys()]) {
      if (executionId !== keepExecutionId) slot.histories.delete(executionId);
    }
    for (const executionId of [...slot.states.keys()]) {
      if (executionId !== keepExecutionId) slot.states.delete(executionId);
    }
    for (const [key, timer] of this.timers) {
      if (timer.instanceId === instanceId && timer.executionId !== keepExecutionId) this.timers.delete(key);
    }
  }

  async getExecutionState(instanceId: string, executionId: string): Promise<unknown> {
    return clone(this.instances.get(instanceId)?.states.get(executionId));
  }

  async putExecutionState(instanceId: string, executionId: string, state: unknown): Promise<void> {
    this.instances.get(instanceId)?.states.set(executionId, clone(state));
  }

  async enqueueMessage(instanceId: string, message: PendingMessage): Promise<StoredMessage> {
    const stored: StoredMessage = { ...clone(message), seq: ++this.messageSeq };
    let queue = this.messages.get(instanceId);
    if (queue === undefined) {
      queue = [];
      this.messages.set(instanceId, queue);
    }
    queue.push(stored);
    return clone(stored);
  }

  async listMessages(instanceId: string): Promise<readonly StoredMessage[]> {
    return clone(this.messages.get(instanceId) ?? []);
  }

  async deleteMessages(instanceId: string, seqs: readonly number[]): Promise<void> {
    const queue = this.messages.get(instanceId);
    if (queue === undefined) return;
    const remove = new Set(seqs);
    const kept = queue.filter((m) => !remove.has(m.seq));
    if (kept.length === 0) this.messages.delete(instanceId);
    else this.messages.set(instanceId, kept);
  }

  async instancesWithMessages(): Promise<readonly string[]> {
    return [...this.messages.keys()];
  }

  async putTimer(timer: TimerRecord): Promise<void> {
    this.timers.set(timerKey(timer.instanceId, timer.executionId, timer.timerId), clone(timer));
  }

  async deleteTimer(instanceId: string, executionId: string, timerId: number): Promise<void> {
    this.timers.delete(timerKey(instanceId, executionId, timerId));
  }

  async listTimers(): Promise<readonly TimerRecord[]> {
    return [...this.timers.values()].map(clone);
  }

  async getEntity(schedulerId: string): Promise<EntityRecord | undefined> {
    const entity = this.entities.get(schedulerId);
    return entity === undefined ? undefined : clone(entity);
  }

  async putEntity(record: EntityRecord): Promise<void> {
    this.entities.set(record.schedulerId, clone(record));
  }

  async listEntities(): Promise<readonly EntityRecord[]> {
    return [...this.entities.values()].map(clone);
  }

  /** Number of history events held for an instance across all executions (lets tests check history stays bounded). */
  historySize(instanceId: string): number {
    const slot = this.instances.get(instanceId);
    if (slot === undefined) return 0;
    let size = 0;
    for (const events of slot.histories.values()) size += events.length;
    return size;
  }

  /** Counts of everything held, so tests can check that state stays bounded. */
  stats(): { instances: number; executions: number; historyEvents: number; messages: number; timers: number } {
    let executions = 0;
    let historyEvents = 0;
    for (const slot of this.instances.values()) {
      executions += new Set([...slot.histories.keys(), ...slot.states.keys()]).size;
      for (const events of slot.histories.values()) historyEvents += events.length;
    }
    let messages = 0;
    for (const queue of this.messages.values()) messages += queue.length;
    return { instances: this.instances.size, executions, historyEvents, messages, timers: this.timers.size };
  }

  private nextEtag(): string {
    return `W/"${++this.etagSeq}"`;
  }

  private dropTimersOf(instanceId: string): void {
    for (const [key, timer] of this.timers) {
      if (timer.instanceId === instanceId) this.timers.delete(key);
    }
  }
}

function matches(record: InstanceRecord, query: InstanceQuery): boolean {
  if (query.instanceIdPrefix !== undefined && !record.instanceId.startsWith(query.instanceIdPrefix)) return false;
  if (query.createdTimeFrom !== undefined && record.createdTime < query.createdTimeFrom) return false;
  if (query.createdTimeTo !== undefined && record.createdTime > query.createdTimeTo) return false;
  if (query.runtimeStatus !== undefined && query.runtimeStatus.length > 0) {
    return query.runtimeStatus.includes(record.runtimeStatus);
  }
  return true;
}

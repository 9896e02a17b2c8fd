/**
 * The durable engine's only view of storage.
 *
 * Every method is async so a persistent implementation (Azure Table + Queue storage, Azurite locally) can replace the
 * in-memory one without touching the engine. Values are plain JSON-serialisable data; the engine owns their meaning.
 */

/** Runtime status names as the Durable extension reports them (`Canceled` is never produced here). */
export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export interface ParentRef {
  instanceId: string;
  executionId: string;
  /** Sequence id of the parent's SubOrchestrationInstanceCreated event. */
  taskScheduledId: number;
  name: string;
}

/** One orchestration instance (its current execution). */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON text of the current execution's input, or null. */
  input: string | null;
  /** JSON text of the output (a failure message or terminate reason is stored as a JSON string), or null. */
  output: string | null;
  /** JSON text of the custom status, or null. */
  customStatus: string | null;
  /** Epoch milliseconds. */
  createdTime: number;
  lastUpdatedTime: number;
  parent: ParentRef | null;
  /** Counts executions started under this id (continue-as-new and restarts). */
  generation: number;
}

/** A message waiting for an instance's next episode (completions, external events, control operations). */
export interface PendingMessage {
  /** Assigned by the store on enqueue; increasing per instance. */
  seq?: number;
  /** When set, the message belongs to that execution only and is dropped if another one is current. */
  executionId?: string;
  kind: string;
  [key: string]: unknown;
}

export interface StoredMessage extends PendingMessage {
  seq: number;
}

/** A durable timer; the engine arms it on a clock and deletes it when it fires or its execution ends. */
export interface TimerRecord {
  instanceId: string;
  executionId: string;
  timerId: number;
  /** Epoch milliseconds. */
  fireAt: number;
}

/** An entity's persisted state (`@name@key`). */
export interface EntityRecord {
  schedulerId: string;
  name: string;
  key: string;
  exists: boolean;
  /** JSON text of the state, or null. */
  state: string | null;
  lastOperationTime: number;
}

export interface InstanceQuery {
  instanceIdPrefix?: string;
  /** Inclusive, epoch milliseconds. */
  createdTimeFrom?: number;
  /** Inclusive, epoch milliseconds. */
  createdTimeTo?: number;
  runtimeStatus?: readonly RuntimeStatus[];
}

export interface InstancePage {
  instances: InstanceRecord[];
  /** Opaque; absent on the last page. */
  continuationToken?: string;
}

/** An instance record as read, with the ETag a conditional write of a new execution compares against. */
export interface InstanceEntry {
  record: InstanceRecord;
  /** Opaque; changes on every write of the record. */
  etag: string;
}

export interface DurableStore {
  /** The record with its current ETag, or undefined when no instance has that id. */
  readInstance(instanceId: string): Promise<InstanceEntry | undefined>;
  /**
   * Writes the record of a new execution, conditionally as the Azure Storage provider's `SetNewExecutionAsync` does:
   * inserts it when `etag` is undefined and no record exists, replaces the stored record when its ETag is still
   * `etag` (dropping the earlier executions' history, execution state and timers). Returns false when the condition
   * failed (the provider's 409 / 412): another writer got there first.
   */
  setNewExecution(record: InstanceRecord, etag: string | undefined): Promise<boolean>;
  getInstance(instanceId: string): Promise<InstanceRecord | undefined>;
  /** Writes the record only if the stored one still has `expectedExecutionId`; returns whether it was written. */
  updateInstance(record: InstanceRecord, expectedExecutionId: string): Promise<boolean>;
  queryInstances(query: InstanceQuery, page: { top: number; continuationToken?: string }): Promise<InstancePage>;
  /** Deletes the instance with everything it owns; returns whether it existed. */
  purgeInstance(instanceId: string): Promise<boolean>;

  /** History of one execution, oldest first. */
  getHistory(instanceId: string, executionId: string): Promise<readonly Record<string, unknown>[]>;
  appendHistory(instanceId: string, executionId: string, events: readonly Record<string, unknown>[]): Promise<void>;
  /** Drops the history and execution state of every execution of the instance except `keepExecutionId`. */
  dropExecutions(instanceId: string, keepExecutionId?: string): Promise<void>;

  /** The engine's bookkeeping for one execution (opaque JSON to the store). */
  getExecutionState(instanceId: string, executionId: string): Promise<unknown>;
  putExecutionState(instanceId: string, executionId: string, state: unknown): Promise<void>;

  enqueueMessage(instanceId: string, message: PendingMessage): Promise<StoredMessage>;
  listMessages(instanceId: string): Promise<readonly StoredMessage[]>;
  deleteMessages(instanceId: string, seqs: readonly number[]): Promise<void>;
  /** Instance ids that have pending messages (used to resume work after a restart). */
  instancesWithMessages(): Promise<readonly string[]>;

  putTimer(timer: TimerRecord): Promise<void>;
  deleteTimer(instanceId: string, executionId: string, timerId: number): Promise<void>;
  listTimers(): Promise<readonly TimerRecord[]>;

  getEntity(schedulerId: string): Promise<EntityRecord | undefined>;
  putEntity(record: EntityRecord): Promise<void>;
  listEntities(): Promise<readonly EntityRecord[]>;
}

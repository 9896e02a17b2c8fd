/**
 * The durable engine's only view of storage.
 *
 * Every method is async so a persistent implementation (Azure Table + Queue storage, Azurite locally) can replace the
 * in-memory one without touching the engine. Values are plain JSON-serialisable data; the engine owns their meaning.
 * They pass by value, as through a persistent store: a store keeps no reference to an argument and returns none to
 * what it holds. Every instance is isolated from the others. `test/store/contract.ts` is the contract as a test suite
 * every implementation runs.
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
  /**
   * Opaque; changes on every write of the record (`setNewExecution`, a successful `updateInstance`) and on no other
   * write, and never matches a record created after a purge of the id.
   */
  etag: string;
}

export interface DurableStore {
  /** The record with its current ETag, or undefined when no instance has that id. */
  readInstance(instanceId: string): Promise<InstanceEntry | undefined>;
  /**
   * Writes the record of a new execution, conditionally as the Azure Storage provider's `SetNewExecutionAsync` does:
   * inserts it when `etag` is undefined and no record exists, replaces the stored record when its ETag is still
   * `etag` (dropping the earlier executions' history, execution state and timers; the pending messages stay, the new
   * execution's start message among them). Returns false when the condition failed (the provider's 409 / 412):
   * another writer got there first. Of concurrent writes with one condition, exactly one wins.
   */
  setNewExecution(record: InstanceRecord, etag: string | undefined): Promise<boolean>;
  getInstance(instanceId: string): Promise<InstanceRecord | undefined>;
  /**
   * Writes the whole record (a new `executionId` included, for continue-as-new) only if the stored one still has
   * `expectedExecutionId`; returns whether it was written. Never creates an instance.
   */
  updateInstance(record: InstanceRecord, expectedExecutionId: string): Promise<boolean>;
  /**
   * Up to `top` instances matching every filter of `query` (an empty `runtimeStatus` filters nothing), each once across
   * the pages, in a stable order (the memory store's: creation time, then id). A continuation token resumes after the last instance
   * returned, whatever was written in between; one the store did not issue is rejected.
   */
  queryInstances(query: InstanceQuery, page: { top: number; continuationToken?: string }): Promise<InstancePage>;
  /** Deletes the instance with everything it owns (all executions, messages, timers); returns whether it existed. */
  purgeInstance(instanceId: string): Promise<boolean>;

  /** History of one execution, oldest first; empty when it has none. */
  getHistory(instanceId: string, executionId: string): Promise<readonly Record<string, unknown>[]>;
  appendHistory(instanceId: string, executionId: string, events: readonly Record<string, unknown>[]): Promise<void>;
  /** Drops the history, execution state and timers of every execution of the instance except `keepExecutionId`. */
  dropExecutions(instanceId: string, keepExecutionId?: string): Promise<void>;

  /** The engine's bookkeeping for one execution (opaque JSON to the store); undefined before the first put. */
  getExecutionState(instanceId: string, executionId: string): Promise<unknown>;
  putExecutionState(instanceId: string, executionId: string, state: unknown): Promise<void>;

  /** Appends a message (the instance needs no record yet) and returns it with the `seq` the store gave it. */
  enqueueMessage(instanceId: string, message: PendingMessage): Promise<StoredMessage>;
  /** The instance's pending messages in enqueue order (increasing `seq`). */
  listMessages(instanceId: string): Promise<readonly StoredMessage[]>;
  /** Deletes the instance's messages with these sequence numbers; unknown ones are ignored. */
  deleteMessages(instanceId: string, seqs: readonly number[]): Promise<void>;
  /** Instance ids that have pending messages (used to resume work after a restart). */
  instancesWithMessages(): Promise<readonly string[]>;

  /** Stores a timer, told apart from the others by instance, execution and timer id. */
  putTimer(timer: TimerRecord): Promise<void>;
  deleteTimer(instanceId: string, executionId: string, timerId: number): Promise<void>;
  /** Every stored timer, in no particular order: the engine arms each on its clock, which fires them by `fireAt`. */
  listTimers(): Promise<readonly TimerRecord[]>;

  getEntity(schedulerId: string): Promise<EntityRecord | undefined>;
  /** Inserts or replaces the entity's record; entities are no orchestration instances (never listed as such). */
  putEntity(record: EntityRecord): Promise<void>;
  listEntities(): Promise<readonly EntityRecord[]>;
}

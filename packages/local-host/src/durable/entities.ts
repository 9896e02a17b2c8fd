/**
 * Durable entities (`@name@key`): operations queued in the entity's mailbox run as one batch per invocation of the
 * entity function (§1.8 payload); replies go back to calling orchestrations as EventRaised events named by request
 * id, signals the batch sends are queued to their targets, and the state is persisted between batches.
 */
import type { Clock, FunctionRuntime, RegisteredFunction, RpcParameterBinding, RpcTypedData } from '../contracts';
import type { DurableStore, PendingMessage } from '../store/types';
import { historyEvent } from './history';
import type { EntityOpMessage } from './messages';
import { isEntityOpMessage } from './messages';
import { entitySchedulerId, parseSchedulerId, unknownFunctionMessage } from './names';
import { entityBatchPayload, parseEntityBatchResult, parseReturnedJson } from './payloads';

const MAX_ENTITY_BATCH = 100;

export interface EntityRunnerDeps {
  store: DurableStore;
  functions: FunctionRuntime;
  clock: Clock;
  enqueue(instanceId: string, message: PendingMessage): Promise<void>;
  inputData(fn: RegisteredFunction, trigger: RpcTypedData): RpcParameterBinding[];
  functionsOfType(type: string): RegisteredFunction[];
}

export class EntityRunner {
  constructor(private readonly deps: EntityRunnerDeps) {}

  /** Runs one batch of the entity's pending operations; returns whether there was anything to do. */
  async step(schedulerId: string): Promise<boolean> {
    const messages = (await this.deps.store.listMessages(schedulerId)).slice(0, MAX_ENTITY_BATCH);
    if (messages.length === 0) return false;
    await this.deps.store.deleteMessages(
      schedulerId,
      messages.map((m) => m.seq),
    );
    const ops = messages.filter(isEntityOpMessage);
    const id = parseSchedulerId(schedulerId);
    if (id === undefined || ops.length === 0) return true;
    const fn = this.deps.functionsOfType('entityTrigger').find((f) => f.name.toLowerCase() === id.name.toLowerCase());
    const now = this.deps.clock.now();
    const existing = await this.deps.store.getEntity(schedulerId);
    if (fn === undefined) {
      const message = unknownFunctionMessage(id.name, 'entity', this.deps.functionsOfType('entityTrigger'));
      for (const op of ops) await this.replyToCaller(op, JSON.stringify(message), true);
      return true;
    }
    const payload = entityBatchPayload({
      name: id.name,
      key: id.key,
      exists: existing?.exists ?? false,
      state: existing?.exists === true ? existing.state : null,
      batch: ops.map((op) => ({ name: op.operation, input: op.input, isSignal: op.isSignal, id: op.requestId })),
    });
    const result = await this.deps.functions.invoke(fn.name, this.deps.inputData(fn, { string: payload }), undefined, {
      instanceId: schedulerId,
    });
    if (!result.ok) {
      for (const op of ops) await this.replyToCaller(op, JSON.stringify(result.error.message), true);
      return true;
    }
    const batch = parseEntityBatchResult(parseReturnedJson(result.returnValue));
    await this.deps.store.putEntity({
      schedulerId,
      name: id.name,
      key: id.key,
      exists: batch.entityExists,
      state: batch.entityExists ? batch.entityState : null,
      lastOperationTime: now,
    });
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as EntityOpMessage;
      const r = batch.results[i];
      await this.replyToCaller(op, r?.result, r?.isError === true);
    }
    for (const signal of batch.signals) {
      await this.deps.enqueue(entitySchedulerId(signal.target.name, signal.target.key), {
        kind: 'entityOp',
        operation: signal.name,
        input: signal.input === '' ? null : signal.input,
        isSignal: true,
        requestId: crypto.randomUUID(),
        parentInstanceId: null,
        parentExecutionId: null,
      });
    }
    return true;
  }

  private async replyToCaller(op: EntityOpMessage, result: string | undefined, isError: boolean): Promise<void> {
    if (op.isSignal || op.parentInstanceId === null) return;
    const response: Record<string, string> = {};
    if (result !== undefined) response.result = result;
    if (isError) response.exceptionType = 'Error';
    await this.deps.enqueue(op.parentInstanceId, {
      kind: 'event',
      ...(op.parentExecutionId === null ? {} : { executionId: op.parentExecutionId }),
      event: historyEvent('EventRaised', this.deps.clock.now(), {
        Name: op.requestId,
        Input: JSON.stringify(response),
      }),
    });
  }
}

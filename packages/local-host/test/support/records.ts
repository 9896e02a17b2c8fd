/** Instance records for tests of the engine's parts and of stores. */
import type { InstanceRecord } from '../../src/store/types';

/** A record of a new execution with the given fields, the rest defaults (`Pending`, created at 1000). */
export function instanceRecord(instanceId: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
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

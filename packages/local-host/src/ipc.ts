/** Messages between the programmatic API (parent process) and the host process it forks (`child.ts`). */

import type { Backend } from './host';
import type { InvokeResult, RegisteredFunction, RpcParameterBinding, RpcTypedData } from './contracts';
import type { SerializedError } from './errors';

export type { SerializedError };
export { deserializeError, serializeError } from './errors';

export interface ChildStartOptions {
  appDir: string;
  port: number;
  host: string;
  clock: 'real' | 'manual';
  /** Start of the manual clock, epoch ms. */
  startTimeMs: number;
  backend: Backend;
  location?: string;
  storageConnectionString?: string;
}

export type ParentMessage =
  | { id: number; type: 'start'; options: ChildStartOptions }
  | { id: number; type: 'advanceTime'; ms: number }
  | { id: number; type: 'whenIdle' }
  | { id: number; type: 'listFunctions' }
  | {
      id: number;
      type: 'invoke';
      name: string;
      inputData: RpcParameterBinding[];
      triggerMetadata?: Record<string, RpcTypedData>;
    }
  | { id: number; type: 'dispose' };

export interface StartedValue {
  port: number;
  url: string;
}

export type ChildValue = StartedValue | RegisteredFunction[] | InvokeResult | null;

export type ChildMessage =
  | { id: number; ok: true; value: ChildValue }
  /** A failure: code, message and details of the error, which the parent builds again (`deserializeError`). */
  | { id: number; ok: false; error: SerializedError };

export function isParentMessage(value: unknown): value is ParentMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'number' &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

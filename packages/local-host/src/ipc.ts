/** Messages between the programmatic API (parent process) and the host process it forks (`child.ts`). */

import type { Backend } from './host';
import type { InvokeResult, RegisteredFunction, RpcParameterBinding, RpcTypedData } from './contracts';

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

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export interface StartedValue {
  port: number;
  url: string;
}

export type ChildValue = StartedValue | RegisteredFunction[] | InvokeResult | null;

export type ChildMessage =
  { id: number; ok: true; value: ChildValue } | { id: number; ok: false; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) };
  }
  return { name: 'Error', message: String(err) };
}

export function isParentMessage(value: unknown): value is ParentMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'number' &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * Entry of the host process that `api.ts` forks: starts one host on request and answers the parent's messages
 * (advanceTime, whenIdle, listFunctions, invoke, dispose) over the IPC channel. Exits when the parent goes away.
 */

import { createManualClock, createRealClock } from './clock';
import type { ChildMessage, ChildStartOptions, ChildValue, ParentMessage } from './ipc';
import { LocalHostError } from './errors';
import { isParentMessage, serializeError } from './ipc';
import type { RunningHost } from './host';
import { startHost } from './host';

let host: RunningHost | undefined;
let exiting = false;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

async function shutdown(code: number): Promise<void> {
  if (exiting) {
    return;
  }
  exiting = true;
  try {
    await host?.close();
  } finally {
    host = undefined;
    if (process.connected) {
      process.disconnect();
    }
    process.exit(code);
  }
}

async function start(options: ChildStartOptions): Promise<ChildValue> {
  if (host) {
    throw new LocalHostError('START_FAILED', 'The host is already started');
  }
  const clock = options.clock === 'manual' ? createManualClock(options.startTimeMs) : createRealClock();
  host = await startHost({
    appDir: options.appDir,
    port: options.port,
    host: options.host,
    clock,
    backend: options.backend,
    reference: {
      ...(options.location === undefined ? {} : { location: options.location }),
      ...(options.storageConnectionString === undefined
        ? {}
        : { storageConnectionString: options.storageConnectionString }),
    },
  });
  return { port: host.port, url: host.url };
}

function running(): RunningHost {
  if (!host) {
    throw new LocalHostError('START_FAILED', 'The host is not started');
  }
  return host;
}

async function handle(message: ParentMessage): Promise<ChildValue> {
  switch (message.type) {
    case 'start':
      return start(message.options);
    case 'advanceTime':
      await running().durable.advanceTime(message.ms);
      return null;
    case 'whenIdle':
      await running().durable.whenIdle();
      return null;
    case 'listFunctions':
      return running().runtime.list();
    case 'invoke':
      return running().runtime.invoke(message.name, message.inputData, message.triggerMetadata);
    case 'dispose':
      await host?.close();
      host = undefined;
      return null;
  }
}

process.on('message', (raw: unknown) => {
  if (!isParentMessage(raw)) {
    return;
  }
  const message = raw;
  void (async () => {
    try {
      const value = await handle(message);
      await send({ id: message.id, ok: true, value });
      if (message.type === 'dispose') {
        await shutdown(0);
      }
    } catch (err) {
      await send({ id: message.id, ok: false, error: serializeError(err) });
      if (message.type === 'start') {
        await shutdown(1);
      }
    }
  })();
});

process.on('disconnect', () => {
  void shutdown(0);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void shutdown(0);
  });
}

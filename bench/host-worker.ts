/**
 * A local host running in this process (`startHost`, real clock, on the backend its second argument names), so the parent can read the host's own memory
 * (after a GC with `--expose-gc`) and profile it with `--cpu-prof`. Protocol over IPC: announces
 * `{ type: 'ready', port }`; answers `{ id, type: 'memory' }` with `{ id, memory }` and `{ id, type: 'idle' }` once
 * the durable engine is idle; exits when the parent disconnects (on azurite, after stopping the .NET reference host and
 * Azurite, which run as its children).
 */
import { BACKENDS, createRealClock, startHost, type Backend, type RunningHost } from 'durable-local-host';
import { readMemory } from './memory';

interface Request {
  id: number;
  type: string;
}

function isRequest(value: unknown): value is Request {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'number' &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

function isBackend(value: string): value is Backend {
  return (BACKENDS as readonly string[]).includes(value);
}

async function main(): Promise<void> {
  const [appDir, backend = 'memory'] = process.argv.slice(2);
  if (!appDir || !isBackend(backend)) throw new Error('usage: host-worker <appDir> [memory|azurite]');
  let host: RunningHost | undefined;
  try {
    host = await startHost({ appDir, port: 0, clock: createRealClock(), backend });
  } catch (err) {
    process.send?.({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
    process.disconnect();
    return;
  }
  const running = host;
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await running.close();
    // Exit explicitly so a --cpu-prof profile is written even if a handle lingers.
    process.exit(0);
  };

  process.on('message', (message: unknown) => {
    if (!isRequest(message)) return;
    void (async () => {
      try {
        if (message.type === 'memory') process.send?.({ id: message.id, memory: readMemory() });
        else if (message.type === 'idle') {
          await running.durable.whenIdle();
          process.send?.({ id: message.id });
        } else process.send?.({ id: message.id, error: `unknown request type '${message.type}'` });
      } catch (err) {
        process.send?.({ id: message.id, error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  process.on('disconnect', () => void close());
  process.send?.({ type: 'ready', port: running.port });
}

void main();

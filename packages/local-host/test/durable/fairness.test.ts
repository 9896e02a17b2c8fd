/**
 * A busy eternal orchestration must not starve the host: the in-memory store answers at once, so without yielding
 * an instance's drain loop would run as one long chain of microtasks and the HTTP server (and every other instance)
 * would wait until the loop ended.
 */
import type { DurableTestHost, InstanceStatus } from '../support/durableHost';
import { isTerminalStatus, start, useDurableHost, instanceStatus } from '../support/durableHost';

/** Polls status without `whenIdle` (the busy loop keeps the engine from ever being idle). */
async function pollUntil(
  host: DurableTestHost,
  instanceId: string,
  predicate: (s: InstanceStatus) => boolean,
): Promise<InstanceStatus> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await instanceStatus(host, instanceId);
    if (predicate(status)) return status;
    if (Date.now() > deadline) throw new Error(`${instanceId} never matched; last status ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const count = (s: InstanceStatus): number => (s.customStatus as { count?: number } | null)?.count ?? 0;

describe('durable engine: fairness under a busy eternal loop', () => {
  const host = useDurableHost({ clock: 'real' });

  it('answers status reads and runs other instances while a zero-timer loop is running', async () => {
    const limit = 1_000_000;
    await start(host(), 'Spinner', 'spinner-1', { count: 0, limit });
    await pollUntil(host(), 'spinner-1', (s) => count(s) > 10);

    // Served while the loop is still going: neither the reads nor the other instance wait for it to end.
    await start(host(), 'Sequence', 'sequence-1', 'x');
    const other = await pollUntil(host(), 'sequence-1', isTerminalStatus);
    expect(other.runtimeStatus).toBe('Completed');
    const spinner = await instanceStatus(host(), 'spinner-1');
    expect(spinner.runtimeStatus).toBe('Running');
    expect(count(spinner)).toBeLessThan(limit);

    const terminated = await host().dispatch(
      '/runtime/webhooks/durabletask/instances/spinner-1/terminate?reason=done',
      {
        method: 'POST',
      },
    );
    expect(terminated.status).toBe(202);
    expect((await pollUntil(host(), 'spinner-1', isTerminalStatus)).runtimeStatus).toBe('Terminated');
  });
});

import { CONFORMANCE_APP, RPC, isTerminalStatus, raise, useDurableHost, instanceStatus } from '../support/durableHost';
import path from 'node:path';

const ALREADY_EXISTS = /^An Orchestration instance with the status (Pending|Running) already exists\.$/;

async function startMany(host: { dispatch(p: string, i?: RequestInit): Promise<Response> }, id: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await host.dispatch(`${RPC}/orchestrators/WaitEvent/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    }),
  );
}

describe('management API: concurrent starts of one instance id (NonRunningStates)', () => {
  const host = useDurableHost();

  // The Azure Storage provider's dedupe check is a read, and a lost record write is ignored (contract §4.1b): starts
  // that all read "no instance" are all accepted, those that read the winner's record are refused. One execution runs.
  it('accepts one or more of 100 concurrent starts, refuses the rest with 409, and runs one execution', async () => {
    for (const round of [1, 2, 3]) {
      const id = `race-${round}`;
      const results = await startMany(host(), id, 100);
      expect(results.filter((r) => r.status !== 202 && r.status !== 409)).toEqual([]);
      expect(results.filter((r) => r.status === 202).length).toBeGreaterThanOrEqual(1);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.Message).toMatch(ALREADY_EXISTS);
      }
      await raise(host(), id, 'Go', round);
      const done = await host().waitForStatus(id, isTerminalStatus);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: round });
      const events = (await instanceStatus(host(), id, '?showHistory=true')).historyEvents ?? [];
      expect(events.filter((e) => e.EventType === 'ExecutionStarted')).toHaveLength(1);
    }
  });
});

describe('management API: starts under AnyState', () => {
  const host = useDurableHost({ appDir: path.join(CONFORMANCE_APP, '..', 'durable-anystate') });

  it('replaces even an active instance with a new execution', async () => {
    const first = await host().dispatch(`${RPC}/orchestrators/WaitEvent/any-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"one"',
    });
    expect(first.status).toBe(202);
    await host().waitForStatus('any-1', (s) => s.runtimeStatus === 'Running');
    const second = await host().dispatch(`${RPC}/orchestrators/WaitEvent/any-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"two"',
    });
    expect(second.status).toBe(202);
    await raise(host(), 'any-1', 'Go', 'done');
    const status = await host().waitForStatus('any-1', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', input: 'two', output: 'done' });
    const body = (await (await host().dispatch(`${RPC}/orchestrators/WaitEvent/any-2`, { method: 'POST' })).json()) as {
      statusQueryGetUri: string;
    };
    expect(body.statusQueryGetUri).toContain('taskHub=TestHubName&');
  });
});

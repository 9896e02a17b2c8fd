import { RPC, WEBHOOK, isTerminalStatus, raise, useDurableHost, instanceStatus } from '../support/durableHost';

const post = (body?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body }),
});

describe('management API: start', () => {
  const host = useDurableHost();

  it('answers 202 with the check-status body, Location and Retry-After: 10', async () => {
    const res = await host().dispatch(`${WEBHOOK}/orchestrators/WaitEvent/start-1`, post('{"a":1}'));
    expect(res.status).toBe(202);
    expect(res.headers.get('retry-after')).toBe('10');
    const body = (await res.json()) as Record<string, string>;
    const base = `${host().url}${WEBHOOK}/instances/start-1`;
    const query = 'taskHub=ConformanceHub&connection=Storage&code=local-host-key';
    expect(body).toEqual({
      id: 'start-1',
      statusQueryGetUri: `${base}?${query}`,
      sendEventPostUri: `${base}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${base}/terminate?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${base}?${query}`,
      restartPostUri: `${base}/restart?${query}`,
      suspendPostUri: `${base}/suspend?reason={text}&${query}`,
      resumePostUri: `${base}/resume?reason={text}&${query}`,
    });
    expect(res.headers.get('location')).toBe(body.statusQueryGetUri);
    expect((await instanceStatus(host(), 'start-1')).input).toEqual({ a: 1 });
  });

  it('generates a 32-hex-digit instance id when none is given', async () => {
    const res = await host().dispatch(`${RPC}/orchestrators/WaitEvent`, post());
    expect(res.status).toBe(202);
    expect(((await res.json()) as { id: string }).id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('takes the two-character body "" as the empty-string input and no body as null', async () => {
    await (await host().dispatch(`${RPC}/orchestrators/WaitEvent/empty-string`, post('""'))).arrayBuffer();
    await (await host().dispatch(`${RPC}/orchestrators/WaitEvent/no-body`, post())).arrayBuffer();
    expect((await instanceStatus(host(), 'empty-string')).input).toBe('');
    expect((await instanceStatus(host(), 'no-body')).input).toBeNull();
  });

  it('answers 400 for an unknown orchestrator, an invalid instance id and invalid JSON', async () => {
    const unknown = await host().dispatch(`${RPC}/orchestrators/Nope/x1`, post());
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      Message: 'One or more of the arguments submitted is incorrect',
      ExceptionMessage: expect.stringMatching(
        /^The function 'Nope' doesn't exist, is disabled, or is not an orchestrator function\./,
      ),
      ExceptionType: 'System.ArgumentException',
    });

    const badId = await host().dispatch(`${RPC}/orchestrators/WaitEvent/@bad`, post());
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ ExceptionMessage: expect.stringContaining('must not start with @') });

    const longId = await host().dispatch(`${RPC}/orchestrators/WaitEvent/${'x'.repeat(101)}`, post());
    expect(longId.status).toBe(400);

    const badJson = await host().dispatch(`${RPC}/orchestrators/WaitEvent/bad-json`, post('{nope'));
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ Message: 'Invalid JSON content' });
    expect((await host().dispatch(`${RPC}/instances/bad-json`)).status).toBe(404);
  });

  it('refuses a start while the instance is active with the extension 3.19.0 answer (409)', async () => {
    await (await host().dispatch(`${RPC}/orchestrators/WaitEvent/dup-1`, post())).arrayBuffer();
    await host().waitForStatus('dup-1', (s) => s.runtimeStatus === 'Running');
    const res = await host().dispatch(`${RPC}/orchestrators/WaitEvent/dup-1`, post());
    expect(res.status).toBe(409);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ Message: 'An Orchestration instance with the status Running already exists.' });
  });

  it('replaces a terminal instance with a new execution under the same id', async () => {
    await (await host().dispatch(`${RPC}/orchestrators/WaitEvent/again-1`, post('"first"'))).arrayBuffer();
    await raise(host(), 'again-1', 'Go', 1);
    expect(await host().waitForStatus('again-1', isTerminalStatus)).toMatchObject({ output: 1 });

    const res = await host().dispatch(`${RPC}/orchestrators/WaitEvent/again-1`, post('"second"'));
    expect(res.status).toBe(202);
    const restarted = await host().waitForStatus('again-1', (s) => s.runtimeStatus === 'Running');
    expect(restarted).toMatchObject({ input: 'second', output: null });
  });
});

describe('management API: start and wait (?timeout=&pollingInterval=)', () => {
  const host = useDurableHost();

  it('answers 200 with the output when the instance completes within the timeout', async () => {
    const res = await host().dispatch(`${RPC}/orchestrators/Sequence/wait-1?timeout=5&pollingInterval=0.02`, post('3'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: 3, b: { type: 'number', value: 3 }, c: 42 });
  });

  it('answers 202 with the check-status body when it does not', async () => {
    const res = await host().dispatch(
      `${RPC}/orchestrators/WaitEvent/wait-2?timeout=0.05&pollingInterval=0.01`,
      post(),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: 'wait-2' });
  });

  it('answers 400 for a timeout that is not a number', async () => {
    expect((await host().dispatch(`${RPC}/orchestrators/WaitEvent/wait-3?timeout=soon`, post())).status).toBe(400);
  });
});

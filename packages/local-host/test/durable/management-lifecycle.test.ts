import { RPC, WEBHOOK, isTerminalStatus, raise, start, useDurableHost, instanceStatus } from '../support/durableHost';

const post = (body?: string, contentType = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': contentType },
  ...(body === undefined ? {} : { body }),
});

describe('management API: raise event, terminate, suspend, resume, rewind, restart', () => {
  const host = useDurableHost();

  it('answers raise event with 404, 400 (content type, JSON), 202 and 410', async () => {
    expect((await host().dispatch(`${RPC}/instances/ghost/raiseEvent/Go`, post('1'))).status).toBe(404);
    await start(host(), 'WaitEvent', 'raise-1');
    const text = await host().dispatch(`${RPC}/instances/raise-1/raiseEvent/Go`, post('1', 'text/plain'));
    expect(text.status).toBe(400);
    const invalid = await host().dispatch(`${RPC}/instances/raise-1/raiseEvent/Go`, post('{oops'));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ Message: 'Invalid JSON content' });
    expect((await host().dispatch(`${RPC}/instances/raise-1/raiseEvent/Go`, post())).status).toBe(400);

    expect((await host().dispatch(`${WEBHOOK}/instances/raise-1/raiseEvent/Go`, post('"hi"'))).status).toBe(202);
    await host().waitForStatus('raise-1', isTerminalStatus);
    expect((await host().dispatch(`${RPC}/instances/raise-1/raiseEvent/Go`, post('1'))).status).toBe(410);
  });

  it('terminates with the reason as output, then answers 410', async () => {
    expect((await host().dispatch(`${RPC}/instances/ghost/terminate?reason=x`, post())).status).toBe(404);
    await start(host(), 'WaitEvent', 'term-1');
    const res = await host().dispatch(`${RPC}/instances/term-1/terminate?reason=enough%20now`, post());
    expect(res.status).toBe(202);
    const status = await host().waitForStatus('term-1', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough now' });
    expect((await host().dispatch(`${RPC}/instances/term-1/terminate?reason=again`, post())).status).toBe(410);
  });

  it('suspends without running episodes, buffers events and delivers them after resume', async () => {
    await start(host(), 'WaitEvent', 'susp-1');
    await host().waitForStatus('susp-1', (s) => s.runtimeStatus === 'Running');
    expect((await host().dispatch(`${RPC}/instances/susp-1/suspend?reason=pause`, post())).status).toBe(202);
    await host().waitForStatus('susp-1', (s) => s.runtimeStatus === 'Suspended');
    const suspended = await host().dispatch(`${RPC}/instances/susp-1`);
    expect(suspended.status).toBe(202);

    expect(await raise(host(), 'susp-1', 'Go', 'while suspended')).toBe(202);
    await host().whenIdle();
    expect((await instanceStatus(host(), 'susp-1')).runtimeStatus).toBe('Suspended');

    expect((await host().dispatch(`${RPC}/instances/susp-1/resume?reason=go`, post())).status).toBe(202);
    const status = await host().waitForStatus('susp-1', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'while suspended' });
    expect((await host().dispatch(`${RPC}/instances/susp-1/suspend`, post())).status).toBe(410);
    expect((await host().dispatch(`${RPC}/instances/susp-1/resume`, post())).status).toBe(410);
    expect((await host().dispatch(`${RPC}/instances/ghost/suspend`, post())).status).toBe(404);
  });

  it('answers rewind with 404, 412 for instances that are not Failed (as extension 3.19.0) and 501 otherwise', async () => {
    expect((await host().dispatch(`${RPC}/instances/ghost/rewind`, post())).status).toBe(404);
    const notFailed = await host().dispatch(`${RPC}/instances/susp-1/rewind`, post());
    expect(notFailed.status).toBe(412);
    expect(await notFailed.json()).toMatch(
      /^This orchestration has status \w+, but only orchestrations in the "Failed" state can be rewound\.$/,
    );
    await start(host(), 'Failing', 'rewind-failed');
    await host().waitForStatus('rewind-failed', isTerminalStatus);
    expect((await host().dispatch(`${RPC}/instances/rewind-failed/rewind?reason=x`, post())).status).toBe(501);
  });

  it('restarts an instance with its input, under a new id by default or the same id on request', async () => {
    const unknown = await host().dispatch(`${RPC}/instances/ghost/restart`, post());
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      ExceptionMessage: 'InstanceId does not match a valid orchestration instance.',
    });

    await start(host(), 'WaitEvent', 'restart-1', 'in');
    const running = await host().dispatch(`${RPC}/instances/restart-1/restart?restartWithNewInstanceId=false`, post());
    expect(running.status).toBe(409);

    const res = await host().dispatch(`${RPC}/instances/restart-1/restart`, post());
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(id).not.toBe('restart-1');
    expect(await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running')).toMatchObject({ input: 'in' });

    await raise(host(), 'restart-1', 'Go', 1);
    await host().waitForStatus('restart-1', isTerminalStatus);
    const same = await host().dispatch(`${RPC}/instances/restart-1/restart?restartWithNewInstanceId=false`, post());
    expect(same.status).toBe(202);
    expect(await host().waitForStatus('restart-1', (s) => s.runtimeStatus === 'Running')).toMatchObject({
      input: 'in',
      output: null,
    });
  });

  it('answers 404 with a JSON message for an unknown management route', async () => {
    const res = await host().dispatch(`${RPC}/nothing/here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      Message: 'No durable management operation matches GET /durabletask/nothing/here.',
    });
  });
});

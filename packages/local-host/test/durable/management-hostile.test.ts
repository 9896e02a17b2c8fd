/**
 * The management API in process against abusive requests: a start-and-wait whose client left, wait parameters the
 * extension refuses or the platform would cut, paths in another letter case, with another method, badly encoded or
 * with encoded slashes and dots.
 */
import { createManualClock } from '../../src/clock';
import type { FunctionRuntime, HostHttpRequest, RegisteredFunction } from '../../src/contracts';
import { createDurableServiceWithStore } from '../../src/durable/index';
import { MAX_WAIT_SECONDS, parseWaitOptions } from '../../src/durable/http-api';
import { MemoryStore } from '../../src/store/memory';

/** One orchestrator, `Forever`, that never completes (each episode ends waiting, without actions). */
function foreverRuntime(): FunctionRuntime {
  const fn: RegisteredFunction = {
    name: 'Forever',
    bindings: {},
    trigger: { type: 'orchestrationTrigger', name: 'trigger', direction: 'in' },
  };
  return {
    list: () => [fn],
    get: (name) => (name === 'Forever' ? fn : undefined),
    invoke: () =>
      Promise.resolve({
        ok: true as const,
        returnValue: { json: JSON.stringify({ isDone: false, actions: [[]], schemaVersion: 2 }) },
        outputData: [],
        durationMs: 0,
      }),
  };
}

const request = (method: string, path: string, signal?: AbortSignal, body = ''): HostHttpRequest => ({
  method,
  url: new URL(`http://127.0.0.1:1${path}`),
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(body),
  ...(signal ? { signal } : {}),
});

describe('management API under abuse', () => {
  const store = new MemoryStore();
  const service = createDurableServiceWithStore(
    {
      functions: foreverRuntime(),
      hostJson: {},
      clock: createManualClock(0),
      log: () => undefined,
      rpcBaseUrl: () => 'http://127.0.0.1:1/durabletask/',
    },
    store,
  );
  afterAll(() => service.dispose());

  it('stops a start-and-wait as soon as its client goes away, however long it asked to wait', async () => {
    const gone = new AbortController();
    const getInstance = jest.spyOn(store, 'getInstance');
    const answer = service.handleHttp(
      request('POST', '/durabletask/orchestrators/Forever/poll-1?timeout=100000&pollingInterval=0.0001', gone.signal),
    );
    while (getInstance.mock.calls.length < 3) await new Promise((resolve) => setTimeout(resolve, 1));

    gone.abort();
    // The answer is the poll loop's only way out: once it settles, nothing polls any more.
    expect((await answer)?.status).toBe(202);
    getInstance.mockRestore();
  });

  it('refuses a polling interval longer than the timeout with the extension’s 400', async () => {
    const res = await service.handleHttp(
      request('POST', '/durabletask/orchestrators/Forever/poll-2?timeout=1&pollingInterval=5'),
    );
    expect(res?.status).toBe(400);
    expect(JSON.parse(String(res?.body))).toMatchObject({
      ExceptionMessage: 'Total timeout 1 should be bigger than retry timeout 5',
      ExceptionType: 'System.ArgumentException',
    });
  });

  it('waits at most the 230 s after which Azure’s front end ends any request', () => {
    const url = (q: string) => new URL(`http://127.0.0.1:1/durabletask/orchestrators/Forever/x?${q}`);
    expect(MAX_WAIT_SECONDS).toBe(230);
    expect(parseWaitOptions(url('timeout=100000&pollingInterval=1'))).toEqual({ timeoutMs: 230_000, intervalMs: 1000 });
    expect(parseWaitOptions(url('timeout=5&pollingInterval=0.5'))).toEqual({ timeoutMs: 5000, intervalMs: 500 });
    expect(parseWaitOptions(url(''))).toBeUndefined();
  });

  it('matches its paths in any letter case, as ASP.NET routing does', async () => {
    const started = await service.handleHttp(
      request('POST', '/RUNTIME/WEBHOOKS/DURABLETASK/ORCHESTRATORS/Forever/case-1'),
    );
    expect(started?.status).toBe(202);
    // Running once its first episode is done, however many turns the answer above took.
    await service.whenIdle();
    const status = await service.handleHttp(request('GET', '/Runtime/Webhooks/DurableTask/Instances/case-1'));
    expect(status?.status).toBe(202);
    expect(JSON.parse(String(status?.body))).toMatchObject({
      instanceId: 'case-1',
      runtimeStatus: expect.stringMatching(/^(Pending|Running)$/),
    });
    const raised = await service.handleHttp(
      request('POST', '/durabletask/INSTANCES/case-1/RaiseEvent/go', undefined, 'null'),
    );
    expect(raised?.status).toBe(202);
  });

  it.each([
    ['GET', '/durabletask/orchestrators/Forever/x'],
    ['PUT', '/durabletask/instances/x'],
    ['POST', '/runtime/webhooks/durabletask/instances'],
    ['GET', '/durabletask/instances/x/terminate'],
    ['POST', '/durabletask/instances/x/explode'],
    ['POST', '/durabletask/instances/x/raiseEvent'],
    ['POST', '/durabletask/entities/Counter'],
    ['GET', '/durabletask/'],
    ['GET', '/durabletask//instances'],
  ])('answers %s %s, which names no operation, with the JSON 404 (never 405)', async (method, path) => {
    const res = await service.handleHttp(request(method, path));
    expect(res?.status).toBe(404);
    expect(JSON.parse(String(res?.body))).toEqual({
      Message: `No durable management operation matches ${method} ${path}.`,
    });
  });

  it('refuses a path that is not validly percent-encoded with the extension’s 400', async () => {
    const res = await service.handleHttp(request('GET', '/durabletask/instances/%zz'));
    expect(res?.status).toBe(400);
    expect(JSON.parse(String(res?.body))).toMatchObject({
      ExceptionMessage: "The request path '/durabletask/instances/%zz' is not validly percent-encoded.",
      ExceptionType: 'System.ArgumentException',
    });
  });

  it('keeps encoded slashes and dots inside the one parameter they belong to', async () => {
    const status = await service.handleHttp(request('GET', '/durabletask/instances/..%2F..%2Forchestrators%2FForever'));
    expect(status).toMatchObject({ status: 404, body: '' });
    const start = await service.handleHttp(request('POST', '/durabletask/orchestrators/Forever/a%2Fb'));
    expect(start?.status).toBe(400);
    expect(JSON.parse(String(start?.body))).toMatchObject({ ExceptionMessage: expect.stringContaining("'a/b'") });
  });

  it('leaves paths outside the webhook and RPC bases to the front door', async () => {
    for (const path of ['/durabletask', '/runtime/webhooks/durabletask', '/api/instances/x', '/runtime/webhooks/x/']) {
      expect(await service.handleHttp(request('GET', path))).toBeUndefined();
    }
  });
});

/**
 * Backend faults over real HTTP. When the durable backend fails (connection dropped, or an error that is not the
 * duplicate-start refusal) the app answers 503 with Retry-After and a JSON error, starts nothing, and succeeds once
 * the backend is back; a duplicate-start refusal that arrives after the status read saw nothing is still a 409. The
 * faults are injected by a proxy between the app's durable client and the host (see `test/support/faultyBackend.ts`).
 */
import { createLocalHost } from 'durable-local-host';
import type { LocalHost } from 'durable-local-host';
import { freshId, getSingle, request, startSingle, stopSingle } from '../support/appHttpClient';
import { describeOnMemory } from '../support/appHttpClient';
import type { JsonResponse } from '../support/appHttpClient';
import { startFaultyBackend } from '../support/faultyBackend';
import type { FaultyBackend } from '../support/faultyBackend';

let backend: FaultyBackend;
let host: LocalHost;

beforeAll(async () => {
  backend = await startFaultyBackend();
  host = await createLocalHost({ port: 0, clock: 'manual', env: backend.env });
}, 60_000);

afterEach(() => backend.setFault(undefined));

afterAll(async () => {
  await host?.dispose();
  await backend?.close();
});

const STORAGE_DOWN = {
  status: 500,
  body: {
    Message: 'Something went wrong while processing your request',
    ExceptionMessage: 'The remote storage service is unavailable.',
    ExceptionType: 'System.Net.Http.HttpRequestException',
  },
};

/** The extension's answer to a start of an active ID under NonRunningStates (contract §4.1). */
const DUPLICATE_REFUSAL = {
  status: 500,
  body: {
    Message: 'Something went wrong while processing your request',
    ExceptionMessage: 'An Orchestration instance with the status Pending already exists.',
    ExceptionType: 'DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException',
  },
};

function expect503(res: JsonResponse, id: string, name: string): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(res.body).toEqual({
    error: 'The durable backend is unavailable or failed; retry later.',
    code: 'backendUnavailable',
    instanceId: id,
    name,
  });
}

/** The host's own view (webhook, not through the proxy): 404 means nothing was started. */
async function hostStatusCode(id: string): Promise<number> {
  return (await request(`${host.url}/runtime/webhooks/durabletask/instances/${id}`)).status;
}

describeOnMemory("faults are injected into the emulator's RPC path")('the app when the durable backend fails', () => {
  it('sends its backend calls through the proxy (so the faults below reach it)', async () => {
    const id = freshId('through');
    expect((await startSingle(host, 'Counter', id)).status).toBe(202);
    expect(backend.calls).toEqual(
      expect.arrayContaining([`GET /durabletask/instances/${id}`, `POST /durabletask/orchestrators/Counter/${id}`]),
    );
  });

  it('answers 503 to a start when the status read fails, and starts nothing', async () => {
    const id = freshId('read-fails');
    backend.setFault((method) => (method === 'GET' ? 'reset' : undefined));

    expect503(await startSingle(host, 'Counter', id), id, 'Counter');
    expect(await hostStatusCode(id)).toBe(404);
  });

  it('answers 503 to a start when startNew fails with an error other than "already exists", and starts nothing', async () => {
    const id = freshId('start-fails');
    backend.setFault((method, pathname) =>
      method === 'POST' && pathname.startsWith('/durabletask/orchestrators/') ? STORAGE_DOWN : undefined,
    );

    expect503(await startSingle(host, 'Counter', id), id, 'Counter');
    expect(await hostStatusCode(id)).toBe(404);
  });

  it('answers 409, not 503, when the backend refuses the start as a duplicate after the status read saw nothing', async () => {
    // The interleaving the pre-check cannot see: another start wins between getStatus (404) and startNew.
    const id = freshId('lost-race');
    backend.setFault((method, pathname) =>
      method === 'POST' && pathname === `/durabletask/orchestrators/Counter/${id}` ? DUPLICATE_REFUSAL : undefined,
    );

    const res = await startSingle(host, 'Counter', id);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: `An instance with ID '${id}' already exists.`,
      code: 'instanceExists',
      instanceId: id,
      name: 'Counter',
      runtimeStatus: 'Pending',
    });
  });

  it('answers 200 with the management payload for useExisting when the start is refused as a duplicate', async () => {
    const id = freshId('lost-race-existing');
    backend.setFault((method, pathname) =>
      method === 'POST' && pathname === `/durabletask/orchestrators/Counter/${id}` ? DUPLICATE_REFUSAL : undefined,
    );

    const res = await startSingle(host, 'Counter', id, undefined, '?onConflict=useExisting');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, name: 'Counter', runtimeStatus: 'Pending' });
    expect(new URL(res.body.statusQueryGetUri).pathname).toBe(`/runtime/webhooks/durabletask/instances/${id}`);
  });

  it('starts normally once the backend is back', async () => {
    const id = freshId('recovers');
    backend.setFault(() => 'reset');
    expect503(await startSingle(host, 'Counter', id), id, 'Counter');

    backend.setFault(undefined);
    const res = await startSingle(host, 'Counter', id);

    expect(res.status).toBe(202);
    expect(res.body.restarted).toBeUndefined();
  });

  it('answers 503 to GET and DELETE when the status read fails', async () => {
    const id = freshId('lifecycle');
    expect((await startSingle(host, 'Counter', id)).status).toBe(202);
    backend.setFault(() => 'reset');

    expect503(await getSingle(host, 'Counter', id), id, 'Counter');
    expect503(await stopSingle(host, 'Counter', id), id, 'Counter');
  });

  it('answers 503 to DELETE when raising the stop event fails, and the instance keeps running', async () => {
    const id = freshId('raise-fails');
    expect((await startSingle(host, 'Counter', id)).status).toBe(202);
    await host.waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    backend.setFault((method, pathname) =>
      method === 'POST' && pathname.includes('/raiseEvent/') ? STORAGE_DOWN : undefined,
    );

    expect503(await stopSingle(host, 'Counter', id), id, 'Counter');
    await host.whenIdle();
    expect((await host.waitForStatus(id, () => true)).runtimeStatus).toBe('Running');
  });
});

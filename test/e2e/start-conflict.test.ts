/** HttpStartSingle against an active instance: 409 by default, 200 with the management payload on `useExisting`. */
import { freshId, getSingle, postManagement, request, startSingle, useHost } from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

describe('HttpStartSingle on an active instance', () => {
  it('answers 409 with the existing instance and the exact message', async () => {
    const id = freshId('conflict');
    expect((await startSingle(host(), 'Counter', id)).status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });

    const res = await startSingle(host(), 'Counter', id);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: `An instance with ID '${id}' already exists.`,
      code: 'instanceExists',
      instanceId: id,
      name: 'Counter',
      runtimeStatus: 'Running',
    });
  });

  it('answers 409 even when the second start names another orchestrator', async () => {
    const id = freshId('conflict-other');
    expect((await startSingle(host(), 'Counter', id)).status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });

    const res = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: 60 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ instanceId: id, name: 'Counter', runtimeStatus: 'Running' });
  });

  it('answers 409 for a Suspended instance, naming its status', async () => {
    const id = freshId('conflict-suspended');
    const first = await startSingle(host(), 'Counter', id);
    expect(first.status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    expect((await postManagement((first.body as ManagementPayload).suspendPostUri, 'paused')).status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Suspended', { timeoutMs: 10_000 });

    const res = await startSingle(host(), 'Counter', id);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: `An instance with ID '${id}' already exists.`,
      code: 'instanceExists',
      instanceId: id,
      name: 'Counter',
      runtimeStatus: 'Suspended',
    });
  });

  it('leaves the running instance untouched by the refused start', async () => {
    const id = freshId('conflict-untouched');
    const first = await startSingle(host(), 'Counter', id, { value: 7 });
    expect(first.status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    const before = await getSingle(host(), 'Counter', id);

    expect((await startSingle(host(), 'Counter', id, { value: 99 })).status).toBe(409);

    const after = await getSingle(host(), 'Counter', id);
    expect(after.status).toBe(200);
    expect(after.body.createdTime).toBe(before.body.createdTime);
    expect(after.body.state).toEqual({ value: 7 });
  });

  it('answers 200 with the running instance management payload for onConflict=useExisting', async () => {
    const id = freshId('existing');
    const first = await startSingle(host(), 'Counter', id);
    expect(first.status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });

    const res = await startSingle(host(), 'Counter', id, undefined, '?onConflict=useExisting');

    expect(res.status).toBe(200);
    const payload = res.body as ManagementPayload;
    expect(payload.id).toBe(id);
    expect(payload.statusQueryGetUri).toBe((first.body as ManagementPayload).statusQueryGetUri);
    expect(payload.sendEventPostUri).toBe((first.body as ManagementPayload).sendEventPostUri);
    expect(res.body).toMatchObject({ name: 'Counter', runtimeStatus: 'Running' });
    // The payload's URLs work: the status URL shows the one running instance.
    const status = await request<InstanceStatus>(payload.statusQueryGetUri);
    expect(status.status).toBe(202);
    expect(status.body).toMatchObject({ instanceId: id, runtimeStatus: 'Running' });
  });

  it('still answers 409 for onConflict=useExisting when the instance runs another orchestrator', async () => {
    const id = freshId('existing-other');
    expect((await startSingle(host(), 'Counter', id)).status).toBe(202);
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });

    const res = await startSingle(host(), 'PeriodicJob', id, undefined, '?onConflict=useExisting');

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ instanceId: id, name: 'Counter', runtimeStatus: 'Running' });
  });

  it('answers 400 for an unknown onConflict value', async () => {
    const res = await startSingle(host(), 'Counter', freshId('badquery'), undefined, '?onConflict=replace');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidQuery');
    expect(res.body.field).toBe('onConflict');
  });

  it('starts normally with onConflict=useExisting when no instance exists', async () => {
    const id = freshId('existing-new');
    const res = await startSingle(host(), 'Counter', id, undefined, '?onConflict=useExisting');
    expect(res.status).toBe(202);
    expect((res.body as ManagementPayload).id).toBe(id);
  });
});

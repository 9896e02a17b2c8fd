/** HttpStartSingle over real HTTP: the 202 check-status response and the 404 for an unknown orchestrator. */
import { freshId, getSingle, request, singletonUrl, startSingle, useHost } from '../support/appHttpClient';
import { withoutStartToken } from '../../lib/startToken';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

const MANAGEMENT_KEYS = [
  'id',
  'statusQueryGetUri',
  'sendEventPostUri',
  'terminatePostUri',
  'purgeHistoryDeleteUri',
  'restartPostUri',
  'suspendPostUri',
  'resumePostUri',
];

describe('HttpStartSingle', () => {
  it('answers 202 with the check-status payload whose status URL works with fetch', async () => {
    const id = freshId('start');
    const res = await startSingle(host(), 'Counter', id);

    expect(res.status).toBe(202);
    const payload = res.body as ManagementPayload;
    expect(payload.id).toBe(id);
    for (const key of MANAGEMENT_KEYS) expect(typeof payload[key]).toBe('string');
    expect(res.headers.get('location')).toBe(payload.statusQueryGetUri);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // The URLs point back at the host that served the request.
    expect(new URL(payload.statusQueryGetUri).port).toBe(String(host().port));

    const status = await request<InstanceStatus>(payload.statusQueryGetUri);
    expect([200, 202]).toContain(status.status);
    expect(status.body).toMatchObject({ name: 'Counter', instanceId: id });
    expect(['Pending', 'Running']).toContain(status.body.runtimeStatus);
  });

  it('passes the JSON body to the orchestration as its input', async () => {
    const id = freshId('input');
    const res = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: 5 });
    expect(res.status).toBe(202);

    const status = await request<InstanceStatus>((res.body as ManagementPayload).statusQueryGetUri);
    expect(withoutStartToken(status.body.input)).toEqual({ intervalSeconds: 5 });
  });

  it('applies the input defaults when started without a body', async () => {
    const id = freshId('defaults');
    const res = await startSingle(host(), 'PeriodicJob', id);
    expect(res.status).toBe(202);

    const status = await request<InstanceStatus>((res.body as ManagementPayload).statusQueryGetUri);
    expect(withoutStartToken(status.body.input)).toEqual({ intervalSeconds: 60 });
  });

  it('accepts a body of exactly 64 KiB (the limit is inclusive)', async () => {
    const id = freshId('limit');
    const base = JSON.stringify({ intervalSeconds: 60, payload: '' });
    const body = JSON.stringify({ intervalSeconds: 60, payload: 'x'.repeat(64 * 1024 - base.length) });
    expect(Buffer.byteLength(body)).toBe(64 * 1024);

    const res = await request(singletonUrl(host(), 'PeriodicJob', id), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(res.status).toBe(202);
    const status = await host().waitForStatus(id, () => true, { timeoutMs: 10_000 });
    expect((status.input as { payload: string }).payload).toHaveLength(64 * 1024 - base.length);
  });

  it('accepts a +json media type as JSON', async () => {
    const id = freshId('plusjson');
    const res = await request(singletonUrl(host(), 'Counter', id), {
      method: 'POST',
      headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
      body: JSON.stringify({ value: 12 }),
    });

    expect(res.status).toBe(202);
    const status = await host().waitForStatus(id, () => true, { timeoutMs: 10_000 });
    expect(withoutStartToken(status.input)).toEqual({ value: 12 });
  });

  it('answers 404 for an unknown orchestrator, listing the known ones, and starts nothing', async () => {
    const id = freshId('unknown');
    const res = await startSingle(host(), 'NoSuchOrchestrator', id);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: "Unknown orchestrator 'NoSuchOrchestrator'. Known orchestrators: Counter, PeriodicJob, HistoryJanitor.",
      code: 'unknownOrchestrator',
      knownOrchestrators: ['Counter', 'PeriodicJob', 'HistoryJanitor'],
    });

    expect((await getSingle(host(), 'Counter', id)).status).toBe(404);
  });

  it('does not treat an activity as an orchestrator', async () => {
    const res = await startSingle(host(), 'RunJob', freshId('activity'));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('unknownOrchestrator');
  });
});

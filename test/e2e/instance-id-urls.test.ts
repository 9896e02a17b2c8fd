/**
 * An instance ID made of every character the ID rule allows, started through the app over real HTTP, and every URL
 * of its 202 payload — the durable extension's management URLs, or with `SINGLETON_MANAGEMENT_URLS=app` the app's
 * own — fetched with curl, as a user copies them, each with the method it is for and in an order that gives each a
 * target: each answers for that same instance, never 400 or 404.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { freshId, singletonUrl, startSingle, useHost } from '../support/appHttpClient';
import type { ManagementPayload } from '../support/appHttpClient';
import type { LocalHost } from 'durable-local-host';
import { startTokenOf } from '../../lib/startToken';

const run = promisify(execFile);
const STATUS_MARK = '\ncurl-status:';
const WAIT_MS = 30_000;

/** Every character the instance ID rule allows, beside letters and digits. */
const ID_PREFIX = 'aZ09-_.~:@x';

interface CurlAnswer {
  status: number;
  body: any;
}

function curlPath(): string {
  try {
    return execFileSync('which', ['curl'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'curl is not on PATH: this test fetches the payload URLs with curl, as a user would. Install curl.',
    );
  }
}

/** Fetches `url` with curl as given (no globbing off, no re-encoding) and reads the body as JSON when it is JSON. */
async function curl(method: string, url: string, json?: unknown): Promise<CurlAnswer> {
  const args = ['--silent', '--show-error', '--request', method, '--write-out', `${STATUS_MARK}%{http_code}`];
  if (json !== undefined) args.push('--header', 'Content-Type: application/json', '--data', JSON.stringify(json));
  const { stdout } = await run(curlPath(), [...args, url]);
  const cut = stdout.lastIndexOf(STATUS_MARK);
  const text = stdout.slice(0, cut);
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: Number(stdout.slice(cut + STATUS_MARK.length)), body };
}

/** Starts a Counter under a fresh ID with every allowed character and waits until it runs. */
async function startCounter(host: LocalHost): Promise<ManagementPayload> {
  const id = freshId(ID_PREFIX);
  const res = await startSingle(host, 'Counter', id, { value: 1 });
  expect(res.status).toBe(202);
  expect(res.body.id).toBe(id);
  expect(res.headers.get('location')).toBe(res.body.statusQueryGetUri);
  await host.waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: WAIT_MS });
  return res.body as ManagementPayload;
}

const urlKeys = (payload: Record<string, unknown>) =>
  Object.keys(payload)
    .filter((k) => k.endsWith('Uri'))
    .sort();

it('has curl to fetch with', () => {
  expect(curlPath()).not.toBe('');
});

describe("the extension's management URLs of an ID with every allowed character", () => {
  const host = useHost({ clock: 'real' });

  it('each answer for that instance, fetched with curl', async () => {
    const payload = await startCounter(host());
    const id = payload.id;
    const runtimeStatus = (status: string) =>
      host().waitForStatus(id, (s) => s.runtimeStatus === status, { timeoutMs: WAIT_MS });
    expect(urlKeys(payload)).toEqual(
      [
        'purgeHistoryDeleteUri',
        'restartPostUri',
        'resumePostUri',
        'rewindPostUri',
        'sendEventPostUri',
        'statusQueryGetUri',
        'suspendPostUri',
        'terminatePostUri',
      ].sort(),
    );

    const status = await curl('GET', payload.statusQueryGetUri);
    expect(status.status).toBe(202); // running
    expect(status.body).toMatchObject({ name: 'Counter', instanceId: id, runtimeStatus: 'Running' });

    const own = await curl('GET', singletonUrl(host(), 'Counter', id));
    expect([own.status, own.body]).toEqual([200, expect.objectContaining({ instanceId: id, name: 'Counter' })]);

    const event = await curl('POST', payload.sendEventPostUri.replace('{eventName}', 'incr'), 4);
    expect(event.status).toBe(202);
    await host().waitForStatus(id, (s) => (s.customStatus as { value?: number } | null)?.value === 5, {
      timeoutMs: WAIT_MS,
    });

    expect((await curl('POST', payload.suspendPostUri.replace('{text}', 'curl'))).status).toBe(202);
    await runtimeStatus('Suspended');
    expect((await curl('POST', payload.resumePostUri.replace('{text}', 'curl'))).status).toBe(202);
    await runtimeStatus('Running');

    // Rewind takes only a Failed instance: the refusal names this one's status (an unknown ID would be a 404).
    const rewind = await curl('POST', payload.rewindPostUri.replace('{text}', 'curl'));
    expect([rewind.status, rewind.body]).toEqual([412, expect.stringContaining('has status Running')]);

    expect((await curl('POST', payload.terminatePostUri.replace('{text}', 'curl'))).status).toBe(202);
    await runtimeStatus('Terminated');
    const stopped = await curl('DELETE', singletonUrl(host(), 'Counter', id));
    expect([stopped.status, stopped.body]).toEqual([
      200,
      expect.objectContaining({ instanceId: id, runtimeStatus: 'Terminated', stopped: true }),
    ]);

    // The extension's restart starts a copy under a new ID from this instance's input, its start token included.
    const copy = await curl('POST', payload.restartPostUri);
    expect(copy.status).toBe(202);
    expect(copy.body.id).not.toBe(id);
    const copyStatus = await host().waitForStatus(copy.body.id as string, (s) => s.runtimeStatus === 'Running', {
      timeoutMs: WAIT_MS,
    });
    expect(startTokenOf(copyStatus.input)).toEqual(expect.any(String));
    expect(startTokenOf(copyStatus.input)).toBe(startTokenOf(status.body.input));

    const purge = await curl('DELETE', payload.purgeHistoryDeleteUri);
    expect([purge.status, purge.body]).toEqual([200, { instancesDeleted: 1 }]);
    expect((await curl('GET', payload.statusQueryGetUri)).status).toBe(404);
  });
});

describe('the app URLs of an ID with every allowed character (SINGLETON_MANAGEMENT_URLS=app)', () => {
  const host = useHost({ clock: 'real', env: { SINGLETON_MANAGEMENT_URLS: 'app' } });

  it('each answer for that instance, fetched with curl', async () => {
    const payload = await startCounter(host());
    const id = payload.id;
    const route = singletonUrl(host(), 'Counter', id);
    expect(payload).toEqual({
      id,
      statusQueryGetUri: route,
      sendEventPostUri: `${route}/events/{eventName}`,
      stopDeleteUri: route,
    });

    const status = await curl('GET', payload.statusQueryGetUri);
    expect([status.status, status.body]).toEqual([200, expect.objectContaining({ instanceId: id, name: 'Counter' })]);

    const event = await curl('POST', payload.sendEventPostUri.replace('{eventName}', 'incr'), 4);
    expect([event.status, event.body]).toEqual([202, expect.objectContaining({ instanceId: id, raised: true })]);
    await host().waitForStatus(id, (s) => (s.customStatus as { value?: number } | null)?.value === 5, {
      timeoutMs: WAIT_MS,
    });

    const stop = await curl('DELETE', `${route}?timeoutSeconds=20`); // the stopDeleteUri, checked above
    expect([stop.status, stop.body]).toEqual([
      200,
      expect.objectContaining({ instanceId: id, runtimeStatus: 'Completed', stopped: true }),
    ]);
  });
});

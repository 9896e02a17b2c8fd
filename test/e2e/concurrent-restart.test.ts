/**
 * The singleton guarantee on the restart path and with `onConflict=useExisting`: in each of 5 rounds, 100 concurrent
 * POSTs of an ID whose instance has Completed restart it exactly once (one 202 saying `restarted`, 99 × 409), and 100 concurrent
 * `useExisting` POSTs of a new ID start it once and point the other 99 at it (200). Real clock, no 5xx.
 */
import { freshId, listInstances, startSingle, stopSingle, useHost, webhookStatus } from '../support/appHttpClient';
import { withoutStartToken } from '../../lib/startToken';
import type { JsonResponse, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

const CONCURRENCY = 100;

function countBy(responses: JsonResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function executionsStarted(payload: ManagementPayload): Promise<number> {
  const status = await webhookStatus(payload, true);
  return (status.body.historyEvents ?? []).filter((e) => e.EventType === 'ExecutionStarted').length;
}

describe('HttpStartSingle under concurrent restarts and useExisting', () => {
  for (let round = 1; round <= 5; round += 1) {
    it(`round ${round}: restarts a Completed instance exactly once under 100 concurrent starts`, async () => {
      const id = freshId(`restart-race${round}`);
      expect((await startSingle(host(), 'Counter', id, { value: 1 })).status).toBe(202);
      await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
      expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10')).status).toBe(200);
      await host().waitForStatus(id, (s) => s.runtimeStatus === 'Completed', { timeoutMs: 10_000 });

      const responses = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) => startSingle(host(), 'Counter', id, { value: 100 + i })),
      );

      expect(countBy(responses)).toEqual({ 202: 1, 409: CONCURRENCY - 1 });
      const winner = responses.find((r) => r.status === 202)!;
      expect(winner.body.restarted).toEqual({ previousStatus: 'Completed', previousName: 'Counter' });
      const after = await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
      // The running execution is the winner's: its input is the one the 202 request sent.
      const winnerIndex = responses.indexOf(winner);
      expect(withoutStartToken(after.input)).toEqual({ value: 100 + winnerIndex });
      await host().whenIdle();
      expect(await executionsStarted(winner.body as ManagementPayload)).toBe(1);
      expect((await listInstances(host(), id)).map((i) => i.instanceId)).toEqual([id]);
    });
  }

  it('starts a new ID once under 100 concurrent useExisting starts and answers the others 200', async () => {
    const id = freshId('existing-race');

    const responses = await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        startSingle(host(), 'Counter', id, undefined, '?onConflict=useExisting'),
      ),
    );

    expect(countBy(responses)).toEqual({ 202: 1, 200: CONCURRENCY - 1 });
    const winner = responses.find((r) => r.status === 202)!.body as ManagementPayload;
    for (const r of responses.filter((x) => x.status === 200)) {
      expect(r.body).toMatchObject({ id, name: 'Counter', statusQueryGetUri: winner.statusQueryGetUri });
    }
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    await host().whenIdle();
    expect(await executionsStarted(winner)).toBe(1);
  });
});

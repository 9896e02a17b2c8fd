/**
 * The race the singleton starter exists to close: 100 concurrent POSTs of one new instance ID produce exactly one
 * 202, 99 × 409 and one execution, round after round, never a 5xx. Real clock: nothing here waits on timers.
 */
import { freshId, listInstances, startSingle, useHost, webhookStatus } from './app-client';
import type { ManagementPayload } from './app-client';

const host = useHost({ clock: 'real' });

const CONCURRENCY = 100;
const ROUNDS = 5;

describe('HttpStartSingle under concurrent starts of one ID', () => {
  for (let round = 1; round <= ROUNDS; round += 1) {
    it(`round ${round}: exactly one 202, ${CONCURRENCY - 1} × 409, one execution`, async () => {
      const id = freshId(`race${round}`);

      const responses = await Promise.all(
        Array.from({ length: CONCURRENCY }, () => startSingle(host(), 'Counter', id)),
      );

      const codes = responses.map((r) => r.status);
      expect(codes.filter((c) => c >= 500)).toEqual([]);
      expect(codes.filter((c) => c === 202)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(CONCURRENCY - 1);
      for (const conflict of responses.filter((r) => r.status === 409)) {
        expect(conflict.body).toMatchObject({
          error: `An instance with ID '${id}' already exists.`,
          code: 'instanceExists',
          instanceId: id,
          name: 'Counter',
        });
        expect(['Pending', 'Running']).toContain(conflict.body.runtimeStatus);
      }

      const winner = responses.find((r) => r.status === 202)!.body as ManagementPayload;
      expect(winner.id).toBe(id);
      await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
      await host().whenIdle();

      const instances = await listInstances(host(), id);
      expect(instances.map((i) => i.instanceId)).toEqual([id]);
      expect(instances[0]!.runtimeStatus).toBe('Running');

      // Created once: the one execution has a single ExecutionStarted event.
      const status = await webhookStatus(winner, true);
      const started = (status.body.historyEvents ?? []).filter((e) => e.EventType === 'ExecutionStarted');
      expect(started).toHaveLength(1);
    });
  }
});

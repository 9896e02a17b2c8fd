/**
 * Restart after Failed over real HTTP. None of the app's orchestrators fails on demand (PeriodicJob and HistoryJanitor
 * record a failed run and carry on; Counter ignores bad events), so this file runs the app's real, compiled HTTP
 * functions in a fixture app whose stand-in `Counter` fails when started with `{ value: -1 }`.
 */
import path from 'node:path';
import { freshId, getSingle, isTerminal, startSingle, useHost } from '../support/appHttpClient';
import { withoutStartToken } from '../../lib/startToken';

const host = useHost({
  clock: 'real',
  appDir: path.resolve(__dirname, '..', 'fixtures', 'e2e', 'failing-counter-app'),
});

describe('HttpStartSingle restart after Failed', () => {
  it('restarts an instance that Failed, and says so', async () => {
    const id = freshId('restart-failed');
    expect((await startSingle(host(), 'Counter', id, { value: -1 })).status).toBe(202);
    const failed = await host().waitForStatus(id, isTerminal, { timeoutMs: 10_000 });
    expect(failed.runtimeStatus).toBe('Failed');
    expect(failed.output).toBe("Orchestrator function 'Counter' failed: Counter stand-in: failing as asked (value -1)");
    expect((await getSingle(host(), 'Counter', id)).body.runtimeStatus).toBe('Failed');

    const res = await startSingle(host(), 'Counter', id, { value: 4 });

    expect(res.status).toBe(202);
    expect(res.body.id).toBe(id);
    expect(res.body.restarted).toEqual({ previousStatus: 'Failed', previousName: 'Counter' });
    expect(res.headers.get('location')).toBe(res.body.statusQueryGetUri);
    const running = await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    expect(withoutStartToken(running.input)).toEqual({ value: 4 });
    expect(running.customStatus).toEqual({ value: 4 });
  });
});

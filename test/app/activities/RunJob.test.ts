jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});

import { InvocationContext } from '@azure/functions';
import { RunJob, createRunJob, defaultJob } from '../../../activities/RunJob';
import type { RunJobDeps } from '../../../activities/RunJob';
import { registered } from '../../support/fakeFunctionsCore';

const context = () => new InvocationContext({ functionName: RunJob, invocationId: 't', logHandler: () => undefined });

describe('RunJob', () => {
  it('is registered as an activity trigger', () => {
    expect(Object.values(registered(RunJob).metadata.bindings)).toEqual([
      expect.objectContaining({ type: 'activityTrigger', direction: 'in' }),
    ]);
  });

  it('hands the validated input to the injected job and returns its result', async () => {
    const job = jest.fn<ReturnType<RunJobDeps['job']>, Parameters<RunJobDeps['job']>>(() =>
      Promise.resolve({ rows: 2 }),
    );
    const handler = createRunJob({ job });
    const input = { iteration: 3, scheduledAt: '2026-01-01T00:00:00.000Z', payload: { a: 1 } };

    await expect(handler(input, context())).resolves.toEqual({ rows: 2 });
    expect(job).toHaveBeenCalledWith(input, expect.any(InvocationContext));
  });

  it('lets a failing job fail the activity, so the orchestrator retry policy applies', async () => {
    const handler = createRunJob({
      job: () => {
        throw new Error('downstream 503');
      },
    });
    await expect(handler({ iteration: 1, scheduledAt: 'x' }, context())).rejects.toThrow('downstream 503');
  });

  it('refuses malformed input', async () => {
    const handler = createRunJob({ job: () => 'never' });
    await expect(handler('nope', context())).rejects.toThrow(
      'RunJob expects { iteration: number, scheduledAt: string }, received string "nope".',
    );
  });

  it('has a harmless default job that reports its iteration', () => {
    expect(defaultJob({ iteration: 7, scheduledAt: 'x' })).toEqual({ iteration: 7, ranAt: expect.any(String) });
  });
});

import { isTerminalStatus, start, useDurableHost, instanceStatus } from '../support/durableHost';

describe('durable engine: sub-orchestrations', () => {
  const host = useDurableHost();

  it('runs children, returns their output to the parent and surfaces a failed child as an error', async () => {
    await start(host(), 'Parent', 'parent-1');
    const status = await host().waitForStatus('parent-1', isTerminalStatus);
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: {
        doubled: { value: 10, parent: 'parent-1' },
        failure: "Orchestrator function 'Failing' failed: boom",
      },
    });
    const failingChild = await instanceStatus(host(), 'parent-1-failing-child');
    expect(failingChild).toMatchObject({
      runtimeStatus: 'Failed',
      output: "Orchestrator function 'Failing' failed: boom",
    });
  });

  it('gives a child without an explicit id the id "<parent execution id>:<sequence id>"', async () => {
    await start(host(), 'Parent', 'parent-2');
    await host().waitForStatus('parent-2', isTerminalStatus);
    const res = await host().dispatch('/runtime/webhooks/durabletask/instances/?instanceIdPrefix=');
    const all = (await res.json()) as { instanceId: string; name: string }[];
    const children = all.filter((s) => s.name === 'Child').map((s) => s.instanceId);
    expect(children.length).toBeGreaterThanOrEqual(1);
    for (const id of children) expect(id).toMatch(/^[0-9a-f]{32}:0$/);
  });
});

describe('durable engine: sub-orchestrations with retry', () => {
  const host = useDurableHost();

  it('starts a new child attempt after the retry interval, with a fresh default id or the same explicit id', async () => {
    await start(host(), 'RetryParent', 'retry-parent');
    await host().whenIdle();
    expect((await instanceStatus(host(), 'retry-parent')).runtimeStatus).toBe('Running');
    await host().advanceTime(1_000);
    await host().advanceTime(1_000);
    const status = await host().waitForStatus('retry-parent', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Completed');
    const output = status.output as {
      defaultId: { calls: number; id: string };
      explicitId: { calls: number; id: string };
    };
    // Attempt 1 of the first child is sequence id 0, its retry timer 1, attempt 2 sequence id 2.
    expect(output.defaultId).toEqual({ calls: 2, id: expect.stringMatching(/^[0-9a-f]{32}:2$/) });
    expect(output.explicitId).toEqual({ calls: 2, id: 'retry-parent-child' });
  });
});

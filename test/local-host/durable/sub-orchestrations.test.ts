import { isTerminalStatus, start, useDurableHost } from './support/harness';

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
    const failingChild = await host().status('parent-1-failing-child');
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

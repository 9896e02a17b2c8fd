import { isTerminalStatus, start, useDurableHost } from '../support/durableHost';

describe('durable engine: failures', () => {
  const host = useDurableHost();

  it('fails the orchestration with the extension message when the orchestrator throws', async () => {
    await start(host(), 'Failing', 'fail-orch');
    const status = await host().waitForStatus('fail-orch', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Failed', output: "Orchestrator function 'Failing' failed: boom" });
  });

  it('fails the orchestration with the activity failure text when an activity throws uncaught', async () => {
    await start(host(), 'ActivityFails', 'fail-activity');
    const status = await host().waitForStatus('fail-activity', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(
      /^Orchestrator function 'ActivityFails' failed: Activity function 'Explode' failed: {2}kaboom \n \{.*"Message":"kaboom"/s,
    );
  });

  it('lets the orchestrator catch an activity failure as Error(Reason \\n Details)', async () => {
    await start(host(), 'CatchActivity', 'catch-activity');
    const status = await host().waitForStatus('catch-activity', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toMatch(/^Activity function 'Explode' failed: {2}kaboom \n \{/);
  });

  it('fails the orchestration when it calls an activity that does not exist', async () => {
    await start(host(), 'UnknownActivity', 'unknown-activity');
    const status = await host().waitForStatus('unknown-activity', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(
      /^Orchestrator function 'UnknownActivity' failed: The function 'NoSuchActivity' doesn't exist, is disabled, or is not an activity function\. Additional info: The following are the known activity functions: .*'Echo'/,
    );
  });

  it('fails the instance when a replay schedules something else than history recorded', async () => {
    await start(host(), 'NonDeterministic', 'non-det');
    const status = await host().waitForStatus('non-det', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe(
      "Orchestrator function 'NonDeterministic' failed: Non-deterministic workflow detected: A previous execution of " +
        "this orchestration scheduled activity 'Echo' with sequence ID 0, but the current replay execution scheduled " +
        "activity 'Double' in its place. Was a change made to the orchestrator code after this instance had already " +
        'started running?',
    );
  });

  it('fails an orchestration that uses callHttp, which the local host does not run', async () => {
    await start(host(), 'UsesCallHttp', 'call-http');
    const status = await host().waitForStatus('call-http', isTerminalStatus);
    expect(status).toMatchObject({
      runtimeStatus: 'Failed',
      output: "Orchestrator function 'UsesCallHttp' failed: callHttp is not supported by the local host.",
    });
  });
});

import type { RegisteredFunction } from '../../src/contracts';
import { useLocalHost } from '../../src/testing';
import { HTTP_BASIC_APP, HTTP_DURABLE_APP } from '../support/fixtureApps';

describe('FunctionRuntime.invoke', () => {
  describe('with non-HTTP triggers', () => {
    const host = useLocalHost({ appDir: HTTP_DURABLE_APP });
    let describeFn: RegisteredFunction;

    beforeAll(async () => {
      const functions = await host().listFunctions();
      describeFn = functions.find((f) => f.name === 'Describe')!;
    });

    it('hands an activity the JSON-parsed string input and returns a JSON result as {json}', async () => {
      const result = await host().invoke('Describe', [{ name: describeFn.trigger.name, data: { string: '123' } }]);
      expect(result).toMatchObject({ ok: true, outputData: [] });
      expect(result.ok && result.returnValue).toEqual({ json: '{"type":"number","value":123}' });
    });

    it('keeps a string input that is not JSON as the raw string', async () => {
      const result = await host().invoke('Describe', [{ name: describeFn.trigger.name, data: { string: 'plain' } }]);
      expect(result.ok && result.returnValue).toEqual({ json: '{"type":"string","value":"plain"}' });
    });

    it('returns a string result as {string}', async () => {
      const greet = (await host().listFunctions()).find((f) => f.name === 'Greet')!;
      const result = await host().invoke('Greet', [{ name: greet.trigger.name, data: { string: '"world"' } }]);
      expect(result.ok && result.returnValue).toEqual({ string: 'Hello world' });
    });

    it('reports a binding the function does not have as a failure, not a crash', async () => {
      const result = await host().invoke('Describe', [{ name: 'nope', data: { string: '1' } }]);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.message).toBe(
        'Failed to find binding "nope" in bindings "activityTrigger7996c743ef".',
      );
    });

    it('reports an unknown function as a failure', async () => {
      const result = await host().invoke('Missing', []);
      expect(!result.ok && result.error.message).toBe(
        "Function code for 'Missing' is not loaded and cannot be invoked.",
      );
    });
  });

  describe('failures and hooks', () => {
    const host = useLocalHost({ appDir: HTTP_BASIC_APP });

    it("turns a thrown error into the host's RpcException text", async () => {
      const result = await host().invoke('Fail', [
        { name: (await host().listFunctions()).find((f) => f.name === 'Fail')!.trigger.name, data: { http: {} } },
      ]);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      // `{http: {}}` has no url, so @azure/functions itself refuses it while building the request.
      expect(result.rpcExceptionMessage).toMatch(/^Result: Failure\nException: .+\nStack: /);
    });

    it('reports the handler error message and stack exactly as the worker would', async () => {
      const fail = (await host().listFunctions()).find((f) => f.name === 'Fail')!;
      const result = await host().invoke('Fail', [
        { name: fail.trigger.name, data: { http: { method: 'GET', url: 'http://localhost/fx/fail' } } },
      ]);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.message).toBe('kaboom');
      expect(result.error.stack).toMatch(/^Error: kaboom\n\s+at /);
      expect(result.rpcExceptionMessage).toBe(`Result: Failure\nException: kaboom\nStack: ${result.error.stack}`);
    });

    it('runs appStart once, and preInvocation and postInvocation around each invocation with shared hookData', async () => {
      await host().dispatch('/fx/fail');
      const res = await host().dispatch('/fx/hooks');
      const events = (await res.json()) as Array<Record<string, unknown>>;
      expect(events[0]).toEqual({ hook: 'appStart', hookData: { startedAt: 'appStart' } });
      expect(events.filter((e) => e.hook === 'appStart')).toHaveLength(1);
      const failPost = events.filter((e) => e.hook === 'postInvocation' && e.functionName === 'Fail').pop();
      expect(failPost).toEqual({
        hook: 'postInvocation',
        functionName: 'Fail',
        sharedHookData: 'Fail',
        error: 'kaboom',
      });
      // The plain-object response is converted in getResponse, after the postInvocation hooks ran.
      expect(events.slice(-2)).toEqual([
        { hook: 'preInvocation', functionName: 'HookLog', inputs: 1 },
        { hook: 'postInvocation', functionName: 'HookLog', sharedHookData: 'HookLog', error: null },
      ]);
    });

    it('lets a preInvocation hook replace the function handler', async () => {
      const res = await host().dispatch('/fx/wrapped');
      expect(res.headers.get('x-wrapped')).toBe('by-preInvocation');
      expect(await res.text()).toBe('inner');
    });
  });
});

describe('user logs', () => {
  const host = useLocalHost({ appDir: HTTP_BASIC_APP });

  const waitForLine = async (pattern: RegExp): Promise<string> => {
    // Output arrives on the host's stdout, apart from the HTTP response: poll (bounded by the test timeout).
    for (;;) {
      const line = host()
        .output()
        .find((l) => pattern.test(l));
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('prints user logs with the function name, after the log hooks rewrote them', async () => {
    expect(await (await host().dispatch('/fx/logs')).text()).toBe('logged');
    expect(await waitForLine(/\[Functions\.Logs\] plain info line$/)).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] /);
    expect(await waitForLine(/\[Functions\.Logs\] user log with secret=/)).toMatch(/secret=\*\*\*$/);
    expect(host().output().join('\n')).not.toContain('hunter2');
  });
});

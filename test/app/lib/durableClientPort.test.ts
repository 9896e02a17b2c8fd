import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvocationContext } from '@azure/functions';
import {
  MANAGEMENT_URLS_SETTING,
  ROUTE_PREFIX,
  bindingClientProvider,
  checkStatusResponse,
  managementUrlsFor,
  managementUrlsMode,
} from '../../../lib/durableClientPort';
import { SystemError } from '../../../lib/errors';
import { FakeDurableClient, managementPayload } from '../../support/fakeDurableClient';
import { bindingData, contextWith } from '../../support/durableClientBinding';
import { singletonRequest } from '../../support/httpInvocation';
import { withAppSetting } from '../../support/appSettings';

describe('bindingClientProvider', () => {
  it('reuses one client for invocations with the same binding data', () => {
    const first = bindingClientProvider(contextWith(bindingData('http://a.example')))();
    const second = bindingClientProvider(contextWith(bindingData('http://a.example')))();
    expect(second).toBe(first);
    expect(first).toHaveProperty('taskHubName', 'H');
  });

  it('builds a separate client for different binding data', () => {
    const a = bindingClientProvider(contextWith(bindingData('http://a.example')))();
    const b = bindingClientProvider(contextWith(bindingData('http://b.example')))();
    expect(b).not.toBe(a);
  });

  it('reports a missing binding as a system error', () => {
    const provide = bindingClientProvider(new InvocationContext());
    expect(provide).toThrow(SystemError);
    expect(provide).toThrow('The durable client binding is not available.');
  });
});

describe('the management URLs (SINGLETON_MANAGEMENT_URLS)', () => {
  const request = singletonRequest('POST', 'Counter', 'c-1');
  const urlsWith = (value: string | undefined) =>
    withAppSetting(MANAGEMENT_URLS_SETTING, value, () =>
      managementUrlsFor(new FakeDurableClient(), request, 'c-1', 'Counter'),
    );

  it.each([undefined, '', 'extension'])("are the extension's management payload for %p", async (value) => {
    expect(await urlsWith(value)).toEqual(managementPayload('c-1'));
  });

  it("are only the app's own routes, on the caller's origin and without a key, for 'app'", async () => {
    const route = 'http://localhost:7071/api/orchestrators/Counter/c-1';
    expect(await urlsWith('app')).toEqual({
      id: 'c-1',
      statusQueryGetUri: route,
      sendEventPostUri: `${route}/events/{eventName}`,
      stopDeleteUri: route,
    });
  });

  it.each(['App', 'none', ' app'])(
    'refuses %p as a misconfiguration naming the setting and its values',
    async (value) => {
      const message = `App setting SINGLETON_MANAGEMENT_URLS is ${JSON.stringify(value)}: expected 'extension' (the default) or 'app'.`;
      await expect(urlsWith(value)).rejects.toThrow(message);
      await withAppSetting(MANAGEMENT_URLS_SETTING, value, () => {
        expect(() => managementUrlsMode()).toThrow(SystemError);
        // Before any backend call: the binding's client is never handed out.
        expect(bindingClientProvider(contextWith(bindingData('http://a.example')))).toThrow(message);
      });
    },
  );

  it('builds the app routes under the route prefix host.json configures', () => {
    const hostJson = JSON.parse(readFileSync(path.resolve(__dirname, '../../../host.json'), 'utf8')) as {
      extensions: { http: { routePrefix: string } };
    };
    expect(hostJson.extensions.http.routePrefix).toBe(ROUTE_PREFIX);
  });

  it('answers an accepted start 202 with the URLs, Location on the status URL', () => {
    const response = checkStatusResponse(managementPayload('c-1'), { restarted: { previousStatus: 'Completed' } });
    expect(response).toEqual({
      status: 202,
      headers: {
        'Content-Type': 'application/json',
        Location: managementPayload('c-1').statusQueryGetUri,
        'Retry-After': '10',
      },
      jsonBody: { ...managementPayload('c-1'), restarted: { previousStatus: 'Completed' } },
    });
  });
});

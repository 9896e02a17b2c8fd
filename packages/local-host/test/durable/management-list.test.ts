import { RPC, START_TIME, WEBHOOK, isTerminalStatus, raise, start, useDurableHost } from '../support/durableHost';

interface Row {
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
}

describe('management API: listing instances', () => {
  const host = useDurableHost();

  beforeAll(async () => {
    for (const n of [1, 2, 3, 4, 5]) await start(host(), 'WaitEvent', `list-a-${n}`, n);
    await host().advanceTime(60 * 60_000);
    for (const n of [1, 2]) await start(host(), 'WaitEvent', `list-b-${n}`, n);
    await raise(host(), 'list-a-1', 'Go', 'x');
    await host().waitForStatus('list-a-1', isTerminalStatus);
  });

  const list = async (query: string, token?: string) => {
    const res = await host().dispatch(
      `${RPC}/instances/${query}`,
      token ? { headers: { 'x-ms-continuation-token': token } } : {},
    );
    expect(res.status).toBe(200);
    return { rows: (await res.json()) as Row[], token: res.headers.get('x-ms-continuation-token') };
  };

  it('filters by instance id prefix, status and creation time, and sends an empty continuation token at the end', async () => {
    const all = await list('?instanceIdPrefix=list-');
    expect(all.rows.map((r) => r.instanceId).sort()).toHaveLength(7);
    expect(all.token).toBe('');

    const completed = await list('?instanceIdPrefix=list-&runtimeStatus=Completed');
    expect(completed.rows.map((r) => r.instanceId)).toEqual(['list-a-1']);

    const running = await list('?instanceIdPrefix=list-&runtimeStatus=Running,Pending');
    expect(running.rows).toHaveLength(6);

    const later = new Date(START_TIME + 30 * 60_000).toISOString();
    const recent = await list(`?instanceIdPrefix=list-&createdTimeFrom=${later}`);
    expect(recent.rows.map((r) => r.instanceId).sort()).toEqual(['list-b-1', 'list-b-2']);
    const early = await list(`?instanceIdPrefix=list-&createdTimeTo=${later}`);
    expect(early.rows).toHaveLength(5);
  });

  it('pages with top and the x-ms-continuation-token header', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await list('?instanceIdPrefix=list-&top=3', token);
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows.map((r) => r.instanceId));
      token = page.token || undefined;
      pages++;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['list-a-1', 'list-a-2', 'list-a-3', 'list-a-4', 'list-a-5', 'list-b-1', 'list-b-2']);
  });

  it('includes inputs unless showInput=false', async () => {
    expect((await list('?instanceIdPrefix=list-b-1')).rows[0]?.input).toBe(1);
    expect((await list('?instanceIdPrefix=list-b-1&showInput=false')).rows[0]?.input).toBeNull();
  });

  it('answers 400 for an unknown runtime status or an invalid date', async () => {
    const badStatus = await host().dispatch(`${WEBHOOK}/instances/?runtimeStatus=Sleeping`);
    expect(badStatus.status).toBe(400);
    expect(await badStatus.json()).toMatchObject({ ExceptionMessage: expect.stringContaining("'Sleeping'") });
    expect((await host().dispatch(`${WEBHOOK}/instances/?createdTimeFrom=yesterday`)).status).toBe(400);
  });
});

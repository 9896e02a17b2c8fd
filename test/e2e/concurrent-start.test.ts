/**
 * The race the singleton starter exists to close: 100 concurrent POSTs of one new instance ID, each with its own
 * input, produce exactly one 202, 99 × 409 and one execution — the winner's input — round after round, never a 5xx.
 * On `azurite` also with the requests spread over two hosts on one task hub (the production shape). On both backends
 * a control run with the read-back switched off shows the race the read-back closes. Real clock.
 */
import { startAzurite } from 'durable-local-host';
import type { Storage } from 'durable-local-host';
import { LocalHost } from 'durable-local-host';
import { withoutStartToken } from '../../lib/startToken';
import {
  describeOnAzurite,
  freshId,
  listInstances,
  startSingle,
  useHost,
  webhookStatus,
} from '../support/appHttpClient';
import type { JsonResponse, ManagementPayload } from '../support/appHttpClient';

const CONCURRENCY = 100;
const ROUNDS = 20;

/** One round over `hosts` (request i goes to host i mod n) with input { value: i }; asserts one winner and returns it. */
async function raceRound(hosts: LocalHost[], id: string): Promise<JsonResponse[]> {
  return Promise.all(
    Array.from({ length: CONCURRENCY }, (_, i) => startSingle(hosts[i % hosts.length]!, 'Counter', id, { value: i })),
  );
}

async function expectOneWinner(host: LocalHost, id: string, responses: JsonResponse[]): Promise<void> {
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

  const winnerIndex = codes.indexOf(202);
  const winner = responses[winnerIndex]!.body as ManagementPayload;
  expect(winner.id).toBe(id);
  const running = await host.waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 30_000 });
  // The execution that runs is the winner's: its input is the one the 202 request sent.
  expect(withoutStartToken(running.input)).toEqual({ value: winnerIndex });
  await host.whenIdle();

  const instances = await listInstances(host, id);
  expect(instances.map((i) => i.instanceId)).toEqual([id]);
  // Created once: the one execution has a single ExecutionStarted event.
  const status = await webhookStatus(winner, true);
  const started = (status.body.historyEvents ?? []).filter((e) => e.EventType === 'ExecutionStarted');
  expect(started).toHaveLength(1);
}

describe('HttpStartSingle under concurrent starts of one ID', () => {
  const host = useHost({ clock: 'real' });
  for (let round = 1; round <= ROUNDS; round += 1) {
    it(`round ${round}: exactly one 202, ${CONCURRENCY - 1} × 409, one execution, the winner's input`, async () => {
      const id = freshId(`race${round}`);
      await expectOneWinner(host(), id, await raceRound([host()], id));
    });
  }
});

const onAzurite = describeOnAzurite('two hosts need the storage the reference backend shares');

onAzurite('HttpStartSingle on two hosts sharing one task hub (azurite)', () => {
  let storage: Storage | undefined;
  const hosts: LocalHost[] = [];
  beforeAll(async () => {
    storage = await startAzurite({ log: () => undefined });
    for (let i = 0; i < 2; i += 1) {
      const host = new LocalHost({ port: 0, clock: 'real', storageConnectionString: storage.connectionString });
      hosts.push(host);
      await host.ready;
    }
  }, 300_000);
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.dispose()));
    await storage?.stop();
  });

  for (let round = 1; round <= 5; round += 1) {
    it(`round ${round}: 100 POSTs spread over both hosts give one 202 and one execution`, async () => {
      const id = freshId(`shared${round}`);
      await expectOneWinner(hosts[0]!, id, await raceRound(hosts, id));
    });
  }
});

describe('control: the race without the read-back (test seam SINGLETON_START_READBACK=off)', () => {
  const host = useHost({ clock: 'real', env: { SINGLETON_START_READBACK: 'off' } });
  it('answers 202 to more than one of 100 concurrent starts in some round, while one execution runs', async () => {
    const accepted: number[] = [];
    for (let round = 1; round <= 5 && !accepted.some((n) => n > 1); round += 1) {
      const id = freshId(`unguarded${round}`);
      const responses = await raceRound([host()], id);
      accepted.push(responses.filter((r) => r.status === 202).length);
      await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 30_000 });
    }
    process.stdout.write(`202 answers per round without the read-back: ${accepted.join(', ')}\n`);
    expect(Math.max(...accepted)).toBeGreaterThan(1);
  });
});

/**
 * Telemetry end to end: the compiled app in the local host (its own process, so NODE_EXTRA_CA_CERTS applies), real
 * HTTP starts against HttpStartSingle, and the real SDK delivering the StartDecision events to a loopback collector.
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalHost } from 'durable-local-host';
import type { LocalHost } from 'durable-local-host';
import { COLLECTOR_CERT_PATH, startTelemetryCollector } from '../../support/telemetryCollector';
import type { Envelope, TelemetryCollector } from '../../support/telemetryCollector';

describe('telemetry through the local host', () => {
  let collector: TelemetryCollector;
  let host: LocalHost | undefined;
  let sdkTmpDir: string;

  beforeAll(async () => {
    collector = await startTelemetryCollector();
    // A private temp dir keeps the SDK's on-disk retry cache of other runs from being replayed to this collector.
    sdkTmpDir = mkdtempSync(join(tmpdir(), 'telemetry-e2e-'));
    host = await createLocalHost({
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: collector.connectionString,
        NODE_EXTRA_CA_CERTS: COLLECTOR_CERT_PATH,
        TMPDIR: sdkTmpDir,
        WEBSITE_SITE_NAME: 'durable-singletons-e2e',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await host?.dispose();
    await collector.close();
    rmSync(sdkTmpDir, { recursive: true, force: true });
  });

  it('reports a start and a conflicting start as StartDecision events started and conflict, each in its request’s operation', async () => {
    const instanceId = `telemetry-${randomUUID()}`;
    const url = `/api/orchestrators/Counter/${instanceId}`;

    const first = await host!.dispatch(url, { method: 'POST' });
    expect(first.status).toBe(202);
    await first.arrayBuffer();
    const second = await host!.dispatch(url, { method: 'POST' });
    expect(second.status).toBe(409);
    await second.arrayBuffer();

    const ofInstance = (all: readonly Envelope[]): Envelope[] =>
      all.filter((e) => e.data?.baseData?.properties?.instanceId === instanceId);
    const envelopes = ofInstance(
      await collector.waitFor((all) => ofInstance(all).length >= 2, `two StartDecision events for ${instanceId}`),
    );

    expect(envelopes.map((e) => [e.data?.baseType, e.data?.baseData?.name])).toEqual([
      ['EventData', 'StartDecision'],
      ['EventData', 'StartDecision'],
    ]);
    const byDecision = Object.fromEntries(
      envelopes.map((e) => [e.data?.baseData?.properties?.decision, e.data?.baseData?.properties]),
    );
    expect(byDecision).toEqual({
      started: { decision: 'started', instanceId, orchestratorName: 'Counter' },
      conflict: { decision: 'conflict', instanceId, orchestratorName: 'Counter', runtimeStatus: expect.any(String) },
    });
    // Each event is in the operation of the invocation that decided it (the host gives every invocation its own
    // trace context), under the app's cloud role name.
    const operations = envelopes.map((e) => [e.tags?.['ai.operation.id'], e.tags?.['ai.operation.parentId']]);
    for (const [operation, parent] of operations) {
      expect(operation).toMatch(/^[0-9a-f]{32}$/);
      expect(parent).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(new Set(operations.map(([operation]) => operation)).size).toBe(2);
    expect(envelopes.map((e) => e.tags?.['ai.cloud.role'])).toEqual([
      'durable-singletons-e2e',
      'durable-singletons-e2e',
    ]);
    // The first instance is still active when the second start is refused.
    expect(['Pending', 'Running']).toContain(byDecision.conflict?.runtimeStatus);
    // A start and a refused start are decisions, not failures: nothing was reported as an exception.
    expect(collector.envelopes.filter((e) => e.data?.baseType === 'ExceptionData')).toEqual([]);
  });
});

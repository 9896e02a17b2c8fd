/**
 * The compiled telemetry module against the real `applicationinsights` SDK, in a child process (NODE_EXTRA_CA_CERTS
 * and the connection string only take effect at process start), sending to a loopback HTTPS collector.
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTOR_CERT_PATH, startTelemetryCollector } from '../../support/telemetryCollector';
import type { Envelope, TelemetryCollector } from '../../support/telemetryCollector';

const ROOT = join(__dirname, '..', '..', '..');
const COMPILED_MODULE = join(ROOT, 'dist', 'lib', 'telemetry.js');
const CHILD_SCRIPT = join(ROOT, 'test', 'fixtures', 'telemetry', 'telemetry-child.js');
const SOURCE_DIR = join(ROOT, 'lib', 'telemetry');
const SOURCES = [
  join(ROOT, 'lib', 'telemetry.ts'),
  ...readdirSync(SOURCE_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(SOURCE_DIR, file)),
];

interface ChildReport {
  sdkLoaded: boolean;
  connects: string[];
  threw: string | null;
  /** Environment variables that differ after telemetry was set up and used. */
  envChanged: string[];
}

/** The invocation's trace context the child tracks in: the operation ID is the trace ID, the parent the span ID. */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACE_PARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;
const SITE_NAME = 'durable-singletons-test-app';

/** The child must load what `npm run build` produced; a missing or stale build would test the wrong code. */
function assertCompiledModuleIsCurrent(): void {
  if (!existsSync(COMPILED_MODULE)) {
    throw new Error(`${COMPILED_MODULE} is missing: run \`npm run build\` first (\`npm test\` does it via pretest).`);
  }
  const builtAt = statSync(COMPILED_MODULE).mtimeMs;
  const newerSource = SOURCES.filter((source) => statSync(source).mtimeMs > builtAt);
  if (newerSource.length > 0) {
    throw new Error(`${COMPILED_MODULE} is older than ${newerSource.join(', ')}: run \`npm run build\` first.`);
  }
}

async function runChild(env: Record<string, string>): Promise<ChildReport> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('APPLICATIONINSIGHTS_CONNECTION_STRING' in env)) delete childEnv.APPLICATIONINSIGHTS_CONNECTION_STRING;
  delete childEnv.APPINSIGHTS_INSTRUMENTATIONKEY;
  delete childEnv.APPLICATION_INSIGHTS_NO_STATSBEAT;
  const child = spawn(process.execPath, [CHILD_SCRIPT, COMPILED_MODULE], { env: childEnv, cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`telemetry child exited with ${String(code)}:\n${stderr}${stdout}`);
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as ChildReport;
}

const eventsOf = (envelopes: readonly Envelope[], runId: string): Envelope[] =>
  envelopes.filter(
    (e) => e.data?.baseType === 'EventData' && e.data.baseData?.properties?.instanceId?.startsWith(runId) === true,
  );
const exceptionsOf = (envelopes: readonly Envelope[], runId: string): Envelope[] =>
  envelopes.filter(
    (e) => e.data?.baseType === 'ExceptionData' && e.data.baseData?.properties?.instanceId === `${runId}-error`,
  );

describe('telemetry (compiled, real applicationinsights SDK)', () => {
  let collector: TelemetryCollector;
  let sdkTmpDir: string;
  let runId: string;

  beforeAll(() => assertCompiledModuleIsCurrent());

  beforeEach(async () => {
    collector = await startTelemetryCollector();
    // The SDK keeps unsent batches on disk under the temp dir and replays them at start-up; a private temp dir per
    // test keeps other runs' leftovers out of this collector.
    sdkTmpDir = mkdtempSync(join(tmpdir(), 'telemetry-sdk-'));
    runId = `t${randomUUID().slice(0, 8)}`;
  });

  afterEach(async () => {
    await collector.close();
    rmSync(sdkTmpDir, { recursive: true, force: true });
  });

  it('sends one StartDecision event per decision and an exception for the system error to the ingestion endpoint', async () => {
    const report = await runChild({
      APPLICATIONINSIGHTS_CONNECTION_STRING: collector.connectionString,
      NODE_EXTRA_CA_CERTS: COLLECTOR_CERT_PATH,
      TMPDIR: sdkTmpDir,
      TELEMETRY_TEST_RUN_ID: runId,
      TELEMETRY_TEST_TRACE_PARENT: TRACE_PARENT,
      WEBSITE_SITE_NAME: SITE_NAME,
    });
    expect(report.threw).toBeNull();
    expect(report.sdkLoaded).toBe(true);
    // Loading and setting up the SDK (statsbeat off included) left the worker's environment as it was.
    expect(report.envChanged).toEqual([]);

    const envelopes = await collector.waitFor(
      (all) => eventsOf(all, runId).length >= 5 && exceptionsOf(all, runId).length >= 1,
      'five StartDecision events and one exception',
    );

    const events = eventsOf(envelopes, runId);
    expect(events.map((e) => e.data?.baseData?.name)).toEqual(Array(5).fill('StartDecision'));
    expect(events.every((e) => e.iKey === '00000000-0000-0000-0000-000000000000')).toBe(true);
    const byDecision = Object.fromEntries(events.map((e) => [e.data?.baseData?.properties?.decision, e]));
    expect(byDecision.started?.data?.baseData?.properties).toEqual({
      decision: 'started',
      instanceId: `${runId}-started`,
      orchestratorName: 'Counter',
    });
    expect(byDecision.restarted?.data?.baseData?.properties).toEqual({
      decision: 'restarted',
      instanceId: `${runId}-restarted`,
      orchestratorName: 'Counter',
      previousStatus: 'Completed',
    });
    expect(byDecision.conflict?.data?.baseData?.properties).toEqual({
      decision: 'conflict',
      instanceId: `${runId}-conflict`,
      orchestratorName: 'Counter',
      runtimeStatus: 'Running',
    });
    expect(byDecision.existing?.data?.baseData?.properties).toEqual({
      decision: 'existing',
      instanceId: `${runId}-existing`,
      orchestratorName: 'Counter',
      runtimeStatus: 'Pending',
    });
    expect(byDecision.rejected?.data?.baseData?.properties).toEqual({
      decision: 'rejected',
      instanceId: `${runId}-rejected`,
      orchestratorName: 'Counter',
      reason: 'invalid instanceId',
    });

    const [exception] = exceptionsOf(envelopes, runId);
    expect(exception?.name).toBe('Microsoft.ApplicationInsights.Exception');
    expect(exception?.data?.baseData?.properties).toEqual({
      errorCode: 'BackendUnavailable',
      instanceId: `${runId}-error`,
    });
    expect(exception?.data?.baseData?.exceptions).toEqual([
      expect.objectContaining({ typeName: 'Error', message: `backend unavailable (${runId})` }),
    ]);

    // Each item joins the invocation's request (operation = trace ID, parent = span ID) under the app's role name;
    // the event tracked without a trace context has no operation of its own.
    const tagsOf = (e: Envelope | undefined) => {
      const tags = e?.tags ?? {};
      return {
        operation: tags['ai.operation.id'],
        parent: tags['ai.operation.parentId'],
        role: tags['ai.cloud.role'],
      };
    };
    const joined = { operation: TRACE_ID, parent: SPAN_ID, role: SITE_NAME };
    for (const decision of ['started', 'restarted', 'conflict', 'existing']) {
      expect(tagsOf(byDecision[decision])).toEqual(joined);
    }
    expect(tagsOf(exception)).toEqual(joined);
    expect(tagsOf(byDecision.rejected)).toEqual({
      operation: undefined,
      parent: undefined,
      role: SITE_NAME,
    });

    // Only the configured ingestion endpoint was contacted: no Live Metrics, no statsbeat, nothing else.
    expect(new Set(report.connects)).toEqual(new Set([`127.0.0.1:${collector.port}`]));
  });

  it.each([
    ['unset', {}],
    ['empty', { APPLICATIONINSIGHTS_CONNECTION_STRING: '' }],
  ])('makes no network connection and never loads the SDK when the connection string is %s', async (_, env) => {
    const report = await runChild({
      ...env,
      NODE_EXTRA_CA_CERTS: COLLECTOR_CERT_PATH,
      TMPDIR: sdkTmpDir,
      TELEMETRY_TEST_RUN_ID: runId,
    });

    expect(report.threw).toBeNull();
    expect(report.sdkLoaded).toBe(false);
    expect(report.envChanged).toEqual([]);
    expect(report.connects).toEqual([]);
    expect(collector.connectionCount).toBe(0);
  });
});

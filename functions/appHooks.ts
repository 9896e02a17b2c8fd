/**
 * App-wide hooks. Telemetry is batched for about a second before it is sent, so the worker flushes it when the app
 * shuts down; otherwise the last start decisions before a scale-in or restart would be lost.
 */
import { app } from '@azure/functions';
import { flushTelemetry } from '../lib/telemetry';

export async function flushTelemetryOnTerminate(): Promise<void> {
  await flushTelemetry();
}

app.hook.appTerminate(flushTelemetryOnTerminate);

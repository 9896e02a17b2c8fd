/**
 * Start path: every request starts a new Counter (autocannon's `setupRequest` gives each one a fresh instance ID),
 * then, one start at a time, the delay until the new instance's status webhook first shows Running.
 */
import { performance } from 'node:perf_hooks';
import type { AppHost } from './app-host';
import { describe, field, requestJson } from './http';
import { allAnswered, runLoad } from './load';
import type { BackendPlan, BenchOptions } from './options';
import type { StartSection } from './report';
import { cpuRatioTo, ratioTo, type References } from './ratio';
import { SampleList, round, summarize } from './stats';

const RUNNING_TIMEOUT_MS = 10_000;

export async function measureStart(
  host: AppHost,
  options: BenchOptions,
  plan: BackendPlan,
  references: References,
): Promise<StartSection> {
  const hostUrl = host.url;
  let next = 0;
  const pathForRequest = (prefix: string) => (): string => `/api/orchestrators/Counter/${prefix}-${next++}`;
  await runLoad({
    url: `${hostUrl}/api/orchestrators/Counter/start-warm`,
    connections: Math.max(...plan.startConnections),
    ...options.warmup,
    pathForRequest: pathForRequest('start-warm'),
  });

  const points = [];
  for (const connections of plan.startConnections) {
    const figures = await runLoad({
      url: `${hostUrl}/api/orchestrators/Counter/start-c${connections}`,
      connections,
      ...options.point,
      pathForRequest: pathForRequest(`start-c${connections}`),
      serverPid: host.pid,
    });
    const startsPerSecond = (figures.statusCodes['202'] ?? 0) / figures.elapsedSeconds;
    points.push({
      ...figures,
      startsPerSecond: round(startsPerSecond, 1),
      ratioToBaseline: ratioTo(references.baseline, connections, startsPerSecond),
      ratioToFloor: ratioTo(references.floor, connections, startsPerSecond),
      cpuToFloor: cpuRatioTo(references.floor, figures),
      allAccepted: allAnswered(figures, '202'),
    });
  }
  return { points, runningDelay: await measureRunningDelay(hostUrl, plan.runningDelaySamples) };
}

/** Starts instances one by one and polls each one's `statusQueryGetUri` back to back until it reads Running. */
async function measureRunningDelay(hostUrl: string, samples: number): Promise<StartSection['runningDelay']> {
  const delays = new SampleList();
  let timedOut = 0;
  for (let i = 0; i < samples; i++) {
    const sent = performance.now();
    const start = await requestJson('POST', `${hostUrl}/api/orchestrators/Counter/delay-${i}`);
    const statusUri = field(start.body, 'statusQueryGetUri');
    if (start.status !== 202 || typeof statusUri !== 'string')
      throw new Error(`start for the delay sample: ${describe(start)}`);
    for (;;) {
      const status = await requestJson('GET', statusUri);
      if (field(status.body, 'runtimeStatus') === 'Running') {
        delays.push(performance.now() - sent);
        break;
      }
      if (performance.now() - sent > RUNNING_TIMEOUT_MS) {
        timedOut++;
        break;
      }
    }
  }
  return { ...summarize(delays), timedOut };
}

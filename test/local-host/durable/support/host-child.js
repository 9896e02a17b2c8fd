// Host process for the durable conformance tests: the local host from dist/ with the durable service, driven over
// IPC by harness.ts (start, advanceTime, whenIdle, historySize, dispose).
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const { startHost } = require(path.join(root, 'dist', 'local-host', 'host.js'));
const { createDurableService } = require(path.join(root, 'dist', 'local-host', 'durable', 'index.js'));
const { createManualClock, createRealClock } = require(path.join(root, 'dist', 'local-host', 'clock.js'));

let host;
const errors = [];

async function handle(message) {
  switch (message.type) {
    case 'start': {
      const clock = message.clock === 'manual' ? createManualClock(message.startTime) : createRealClock();
      host = await startHost({
        appDir: message.appDir,
        port: 0,
        host: '127.0.0.1',
        clock,
        createDurableService,
        log: (level, text) => {
          if (level === 'error') errors.push(text);
          if (process.env.LOCAL_HOST_VERBOSE === '1') process.stderr.write(`[${level}] ${text}\n`);
        },
      });
      return { url: host.url };
    }
    case 'advanceTime':
      await host.durable.advanceTime(message.ms);
      return null;
    case 'whenIdle':
      await host.durable.whenIdle();
      return null;
    case 'historySize':
      return host.durable.store.historySize(message.instanceId);
    case 'errors':
      return errors.splice(0);
    case 'dispose':
      if (host) await host.close();
      host = undefined;
      return null;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

process.on('message', (message) => {
  handle(message).then(
    (value) => process.send({ id: message.id, ok: true, value }),
    (err) => process.send({ id: message.id, ok: false, error: err && err.stack ? err.stack : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));

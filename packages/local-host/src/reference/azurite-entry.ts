/**
 * Runs Azurite (the `azurite` npm package) with this process's arguments, and stops it when standard input closes, so
 * an Azurite the local host started never outlives it, even when the host is killed.
 */

// Azurite's own SIGTERM/SIGINT handler (registered once) closes its services and saves its data folder. These
// listeners keep a second signal — the parent's SIGTERM after the closed stdin, say — from killing it mid-save.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
  });
}
const stop = (): void => {
  if (stopping) return;
  // Before Azurite has started there is nothing to save (and no handler of its own to do it).
  if (process.listenerCount('SIGTERM') <= 1) process.exit(0);
  process.kill(process.pid, 'SIGTERM');
};
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Azurite's CLI entry starts on load
require('azurite/dist/src/azurite.js');

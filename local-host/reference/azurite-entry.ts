/**
 * Runs Azurite (the `azurite` npm package) with this process's arguments, and exits when standard input closes, so an
 * Azurite the local host started never outlives it, even when the host is killed.
 */

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Azurite's CLI entry starts on load
require('azurite/dist/src/azurite.js');

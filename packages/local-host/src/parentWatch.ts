/**
 * Notices that the process which started this one has gone. `npm start` runs the host under `sh -c`: a SIGTERM to
 * npm (what a process manager or a container's `CMD npm start` sends) ends npm and the shell but never reaches the
 * host, which would keep listening for good. An orphan is re-parented (to init or a subreaper), so a changed
 * `process.ppid` means the parent exited. Polled: Node has no event for it.
 */

export const PARENT_POLL_MS = 250;

/** Calls `onGone` once when the parent process exits; the returned function stops watching. Never keeps Node alive. */
export function watchParent(onGone: () => void, intervalMs = PARENT_POLL_MS): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

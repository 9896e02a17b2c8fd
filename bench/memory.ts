/** Memory readings of a host process, taken inside it after a full GC when `--expose-gc` allows one. */
import type { MemoryFigures } from './report';

export function readMemory(): MemoryFigures {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Two passes: the first may only queue finalizers whose memory the second frees.
    gc();
    gc();
  }
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
    afterGc: gc !== undefined,
  };
}

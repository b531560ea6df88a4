/**
 * Loaded into a bench's Warren process (`--import`): answers the bench over the IPC channel with
 * the process's memory (heap, external buffers, RSS), and writes a heap snapshot when asked, so a
 * bench can tell heap growth from buffers without a debugger attached.
 */
import { writeHeapSnapshot } from 'node:v8';

interface Ask {
  probe: 'memory' | 'snapshot';
  id: number;
  /** Collect garbage first (when the process runs with `--expose-gc`). */
  gc?: boolean;
  path?: string;
}

const collect = (globalThis as { gc?: () => void }).gc;

if (process.send) {
  // The channel must not keep the server alive once it has closed everything else.
  process.channel?.unref();
  process.on('message', (message: Ask) => {
    if (typeof message !== 'object' || !('probe' in message)) return;
    if (message.gc) collect?.();
    if (message.probe === 'memory') {
      process.send?.({ id: message.id, memory: process.memoryUsage() });
    } else {
      process.send?.({ id: message.id, path: writeHeapSnapshot(message.path) });
    }
  });
}

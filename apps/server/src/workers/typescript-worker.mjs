// A worker thread's entry: loads the TypeScript module named in workerData through tsx, the way
// the server itself runs (Node 20 does not pass a main thread's `--import tsx` on to workers).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.script, import.meta.url);

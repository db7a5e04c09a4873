/**
 * Worker thread running one PaddleOCR recognition session (onnxruntime-node's `run` blocks the thread
 * that calls it, so inference lives here, off the request thread). Messages: { id, data, width,
 * height } in (raw 8-bit gray, transferred), { id, result } or { id, error } out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PaddleEngine } from './paddle.js';

interface Job {
  id: number;
  data: Uint8Array;
  width: number;
  height: number;
  hint?: 'number' | 'text';
}

const port = parentPort!;
const engine = await PaddleEngine.create({ threads: (workerData as { threads?: number } | null)?.threads ?? 1 });
port.on('message', async (job: Job | 'close') => {
  if (job === 'close') {
    await engine.close();
    port.close();
    return;
  }
  try {
    const result = await engine.recognize({ data: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), width: job.width, height: job.height }, job.hint ?? 'text');
    port.postMessage({ id: job.id, result });
  } catch (err) {
    port.postMessage({ id: job.id, error: (err as Error).message ?? String(err) });
  }
});
port.postMessage({ ready: true });

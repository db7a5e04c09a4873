/**
 * Worker thread running one PaddleOCR recognition session (onnxruntime-node's `run` blocks the thread
 * that calls it, so inference lives here, off the request thread). Messages: PaddleRequest in,
 * PaddleReply out; 'close' releases the session once the crops in hand are read, and the thread exits
 * (it must never be terminated while `run` is in progress: see PaddleWorkerEngine).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PaddleEngine, type PaddleReply, type PaddleRequest } from './paddle.js';

const port = parentPort!;
const engine = await PaddleEngine.create({ threads: (workerData as { threads?: number } | null)?.threads ?? 1 });
let inHand: Promise<unknown> = Promise.resolve();
port.on('message', (job: PaddleRequest | 'close') => {
  if (job === 'close') {
    void inHand.then(async () => {
      await engine.close();
      port.close();
    });
    return;
  }
  inHand = inHand.then(async () => {
    try {
      const result = await engine.recognize({ data: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), width: job.width, height: job.height }, job.hint);
      port.postMessage({ id: job.id, result } satisfies PaddleReply);
    } catch (err) {
      port.postMessage({ id: job.id, error: (err as Error).message ?? String(err) } satisfies PaddleReply);
    }
  });
});
port.postMessage({ ready: true });

/** A conversion worker thread: runs the pipeline on the bytes it is sent and posts the model back. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { usePaddleHost } from '../extract/ocr/pool.js';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import { convert } from '../pipeline.js';

export interface WorkRequest {
  bytes: Uint8Array;
  filename: string;
  charset: string | null;
  limits: Limits;
  reviewThreshold: number;
  id: string;
}

export type WorkMessage =
  | { type: 'progress'; done: number; total: number | null }
  | { type: 'done'; report: unknown }
  | { type: 'error'; code: string; status: number; message: string };

/** The pool's recognition threads (see paddle-host.ts: this thread may be terminated, they may not). */
export interface WorkerSetup {
  paddle: MessagePort;
}

usePaddleHost((workerData as WorkerSetup).paddle);

parentPort!.on('message', async (req: WorkRequest) => {
  try {
    const report = await convert(req.bytes, {
      filename: req.filename, charset: req.charset, limits: req.limits, reviewThreshold: req.reviewThreshold, id: req.id,
      onProgress: (done, total) => parentPort!.postMessage({ type: 'progress', done, total } satisfies WorkMessage),
    });
    parentPort!.postMessage({ type: 'done', report } satisfies WorkMessage);
  } catch (err) {
    const e = err instanceof ConvertError
      ? { code: err.code, status: err.status, message: err.message }
      : { code: 'CONVERSION_FAILED', status: 500, message: `The conversion failed unexpectedly: ${(err as Error).message}` };
    parentPort!.postMessage({ type: 'error', ...e } satisfies WorkMessage);
  }
});

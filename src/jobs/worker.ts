/**
 * A conversion worker thread: runs the pipeline on the bytes it is sent and posts the model back; or
 * renders a page image (extract/page-image.ts), which would otherwise hold up the request thread.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { usePaddleHost } from '../extract/ocr/pool.js';
import { renderPageImage } from '../extract/page-image.js';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import { convert } from '../pipeline.js';

export interface ConvertRequest {
  bytes: Uint8Array;
  filename: string;
  charset: string | null;
  limits: Limits;
  reviewThreshold: number;
  id: string;
}

/** Page `page` (1-based) of a PDF or image as PNG; the outcome's `report` is then a PageImage. */
export interface PageRequest {
  bytes: Uint8Array;
  mediaType: string;
  page: number;
  limits: Limits;
}

export type WorkRequest = ConvertRequest | PageRequest;

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
    if ('page' in req) {
      parentPort!.postMessage({ type: 'done', report: await renderPageImage(req.bytes, req.mediaType, req.page, req.limits) } satisfies WorkMessage);
      return;
    }
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

/**
 * Recognition threads owned by the thread that runs conversion workers (the service's job pool, the
 * batch command), lent to each worker through a port. A conversion worker is terminated when its job
 * runs out of time or is cancelled; had the recognition thread been its own, it would have been
 * terminated with it, and terminating onnxruntime-node mid-`run` aborts the process. Here the worker
 * goes, the recognition thread finishes the crop in hand, and its answer to the closed port is dropped.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ConvertError } from '../../intake/errors.js';
import { EngineSet } from './engine-set.js';
import { PaddleWorkerEngine, type PaddleReply, type PaddleRequest } from './paddle.js';

export class PaddleHost {
  /** Started on the first crop, so a pool that never reads a scan costs no session. */
  private readonly engines: EngineSet;
  private readonly ports = new Set<MessagePort>();

  constructor(size: number) {
    this.engines = new EngineSet(() => PaddleWorkerEngine.create({ threads: 1 }), size);
  }

  /** A port for one conversion worker (transfer it): PaddleWorkerEngine.over(port) reads through it. */
  connect(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (job: PaddleRequest) => {
      const crop = { data: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), width: job.width, height: job.height };
      this.engines.run(crop, job.hint).then(
        (result) => port1.postMessage({ id: job.id, result } satisfies PaddleReply),
        (err: unknown) => port1.postMessage(err instanceof ConvertError
          ? { id: job.id, error: err.message, code: err.code, status: err.status }
          : { id: job.id, error: (err as Error)?.message ?? String(err) } satisfies PaddleReply),
      );
    });
    port1.once('close', () => this.ports.delete(port1));
    // The worker holding the other end keeps the process alive, not this end.
    port1.unref();
    this.ports.add(port1);
    return port2;
  }

  /** Lets every recognition thread finish its crop and exit. */
  async close(): Promise<void> {
    for (const p of this.ports) p.close();
    this.ports.clear();
    await this.engines.close();
  }
}

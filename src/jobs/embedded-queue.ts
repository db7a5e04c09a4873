/**
 * The embedded default's queue: one process owns every job of its store (SQLite), so a restart loses
 * nothing: the jobs it was running run again and the queued ones keep their order.
 */
import type { LocalJobStore, UploadStore } from '../store/store.js';
import { JobQueue, type QueueConfig } from './queue.js';

export class EmbeddedQueue extends JobQueue {
  constructor(protected override readonly jobs: LocalJobStore, files: UploadStore, config: QueueConfig) {
    super(jobs, files, config);
  }

  /** After a restart: jobs that were running run again, queued ones keep their order. */
  override async recover(): Promise<{ requeued: number; queued: number }> {
    const requeued = await this.jobs.requeueRunning();
    const queued = await this.jobs.queued();
    for (const j of queued) this.pending[j.lane].push(j.id);
    this.pump('main');
    this.pump('ocr');
    return { requeued, queued: queued.length };
  }

  /** The jobs stopped after the grace period are queued again, so the next start runs them. */
  override async stop(graceMs: number): Promise<void> {
    await this.stopJobs(graceMs);
    // A store that does not answer now leaves them running; the next start queues them again all the same.
    await this.jobs.requeueRunning().catch(() => undefined);
    await this.closePools();
  }
}

/**
 * The job queue the routes and the batch command use. This class keeps bounded lanes in memory in
 * front of this process's worker pools, with every state change written to the store first; what a
 * restart and a stop do with unfinished jobs is the store's kind's: the embedded default runs them
 * again itself (embedded-queue.ts), in PostgreSQL mode pg-boss hands the jobs out instead
 * (pg-boss-queue.ts), with this class's running of them.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { PageImage } from '../extract/page-image.js';
import type { Report } from '../model/report.js';
import type { Job, JobStore, Lane, NewJob, UploadStore } from '../store/store.js';
import { WorkerPool } from './pool.js';

export interface QueueConfig {
  workers: number;
  ocrWorkers: number;
  /** Most jobs waiting (not running) at once; past it submissions get 429. */
  queueLimit: number;
  timeoutMs: number;
  limits: Limits;
  reviewThreshold: number;
}

export interface Submission {
  owner: string;
  bytes: Uint8Array;
  filename: string;
  charset: string | null;
  optionsKey: string;
  lane: Lane;
  callbackUrl: string | null;
}

export interface QueueEvents {
  /** A job ended in this process; `report` is the model when it succeeded just now (not for cancelled or failed jobs). */
  finished: [job: Job, report?: Report];
  /** A job ended, here or (PostgreSQL mode) in another process: what waitFor listens to. */
  ended: [job: Job];
}

/** What a request the stopping queue cannot take gets. */
export const shuttingDown = () => new ConvertError('SHUTTING_DOWN', 503, 'The service is shutting down; try again shortly.');

export const ENDED: readonly string[] = ['succeeded', 'failed', 'cancelled'];

/**
 * How a run of a job ended, for the queue that handed it out: 'ended' (by this attempt, or nothing was
 * left to run), 'overtaken' (a later attempt or a cancel holds the job: this one must leave it alone), or
 * stopped by stop() while still running it, to be handed back.
 */
export type Ran = 'ended' | 'overtaken' | { handBack: number };

export abstract class JobQueue extends EventEmitter<QueueEvents> {
  protected readonly pools: Record<Lane, WorkerPool>;
  protected readonly pending: Record<Lane, string[]> = { main: [], ocr: [] };
  /** Jobs this process runs: id → stops it. */
  protected readonly running = new Map<string, () => void>();
  /** Submissions admitted but not yet in `pending` (the upload is being stored): they count toward the limit. */
  private admitting = 0;
  /** Jobs taken from the queue whose worker is not yet started: they hold a pool slot. */
  protected readonly claiming: Record<Lane, number> = { main: 0, ocr: 0 };
  private readonly durations: number[] = [];
  /** Requests waiting in waitFor, with the job each waits for: answered at once when the queue stops. */
  protected readonly waiters = new Map<() => void, string>();
  protected stopping = false;
  /** Page images render here, one at a time, off the request thread; started on first use. */
  private pagePool: WorkerPool | null = null;
  private rendering: Promise<unknown> = Promise.resolve();

  constructor(
    protected readonly jobs: JobStore,
    protected readonly files: UploadStore,
    protected readonly config: QueueConfig,
  ) {
    super();
    this.setMaxListeners(0);
    this.pools = { main: new WorkerPool(config.workers, 'convert'), ocr: new WorkerPool(config.ocrWorkers, 'ocr') };
  }

  /**
   * Starts the worker threads, which the pools do not start themselves: each imports the pipeline,
   * and on few cores that slows the service's own loading. Until then a job starts its lane's.
   */
  startWorkers(): void {
    if (this.stopping) return;
    this.pools.main.start();
    this.pools.ocr.start();
  }

  /** At start: takes up the jobs a previous run left (how many were running and are queued again, how many are queued). */
  abstract recover(): Promise<{ requeued: number; queued: number }>;

  /** Jobs waiting for a worker (in one lane, or all of them with those being admitted). */
  async depth(lane?: Lane): Promise<number> {
    return this.waiting(lane);
  }

  private waiting(lane?: Lane): number {
    return lane ? this.pending[lane].length : this.pending.main.length + this.pending.ocr.length + this.admitting;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Seconds a client should wait before trying again when the queue is full. */
  protected retryAfterSeconds(waiting: number): number {
    const avg = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length / 1000 : 2;
    return Math.max(1, Math.ceil((avg * waiting) / Math.max(1, this.config.workers)));
  }

  /** Refuses a submission while stopping (503) or when `waiting` jobs fill the queue (429). */
  protected admit(waiting: number): void {
    if (this.stopping) throw shuttingDown();
    if (waiting >= this.config.queueLimit) {
      const err = new ConvertError('QUEUE_FULL', 429, `The queue is full (${this.config.queueLimit} jobs waiting, XXGK_QUEUE_LIMIT); try again later.`);
      throw Object.assign(err, { retryAfter: this.retryAfterSeconds(waiting) });
    }
  }

  /** The job (queued) of a submission whose upload is stored as `sha256`. */
  protected newJob(s: Submission, sha256: string): NewJob {
    return { id: randomUUID(), owner: s.owner, sha256, filename: s.filename, charset: s.charset, optionsKey: s.optionsKey, lane: s.lane, callbackUrl: s.callbackUrl };
  }

  async submit(s: Submission): Promise<Job> {
    this.admit(this.waiting());
    this.admitting++;
    let job: Job;
    try {
      job = await this.jobs.create(this.newJob(s, await this.files.put(s.bytes)));
    } finally {
      this.admitting--;
    }
    this.pending[s.lane].push(job.id);
    this.pump(s.lane);
    return job;
  }

  async cancel(id: string): Promise<Job | null> {
    const job = await this.jobs.get(id);
    if (!job) return null;
    if (await this.jobs.cancel(id)) {
      for (const lane of ['main', 'ocr'] as const) this.pending[lane] = this.pending[lane].filter((p) => p !== id);
      this.running.get(id)?.();
      const done = (await this.jobs.get(id))!;
      await this.cancelled(done);
      this.announce(done);
      return done;
    }
    return job;
  }

  /** A job this process cancelled (PostgreSQL mode: tells pg-boss and the process running it). */
  protected async cancelled(_job: Job): Promise<void> {}

  /** A job ended in this process. */
  protected announce(job: Job, report?: Report): void {
    this.emit('finished', job, report);
    this.emit('ended', job);
  }

  /** Resolves with the job once it has finished, or as it stands after `ms` (or when the queue stops). */
  waitFor(id: string, ms: number): Promise<Job> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (job?: Job) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.off('ended', onEnded);
        this.waiters.delete(settle);
        if (job) resolve(job);
        else this.jobs.get(id).then((j) => resolve(j!), reject);
      };
      // Listening before reading the job: an end announced while the read is under way is not missed.
      const onEnded = (job: Job) => { if (job.id === id) settle(job); };
      const timer = setTimeout(() => settle(), ms);
      this.on('ended', onEnded);
      this.waiters.set(settle, id);
      this.jobs.get(id).then((current) => {
        if (ENDED.includes(current!.status) || ms <= 0 || this.stopping) settle(current!);
      }, (err: unknown) => { settle(); reject(err); });
    });
  }

  protected pump(lane: Lane): void {
    const pool = this.pools[lane];
    while (!this.stopping && pool.idle - this.claiming[lane] > 0 && this.pending[lane].length) {
      const id = this.pending[lane].shift()!;
      this.claiming[lane]++;
      void this.execute(id, lane, pool).finally(() => this.pump(lane));
    }
  }

  /** Runs job `id` on `pool` (whose slot the caller has claimed) and records how it ended. */
  protected async execute(id: string, lane: Lane, pool: WorkerPool): Promise<Ran> {
    let claimed = true;
    const release = () => { if (claimed) { claimed = false; this.claiming[lane]--; } };
    // Cancelled before its worker starts: nothing runs.
    let cancelled = false;
    this.running.set(id, () => { cancelled = true; });
    let attempt: number | null = null;
    let job: Job | null = null;
    let bytes: Buffer | null = null;
    try {
      attempt = await this.jobs.start(id);
      if (attempt === null) return 'ended'; // cancelled while waiting
      job = await this.jobs.get(id);
      bytes = job && await this.files.get(job.sha256);
    } finally {
      release();
      if (!bytes || cancelled || this.stopping) this.running.delete(id);
    }
    if (!job) return 'ended';
    // Stopped (stop() stops what is about to run too): handed back, whether or not a cancel came with it.
    if (this.stopping) return { handBack: attempt };
    if (cancelled) return 'ended';
    if (!bytes) {
      return this.ended(await this.jobs.fail(job.id, { code: 'UPLOAD_LOST', status: 500, message: 'The uploaded file is no longer in the store.' }, attempt), job.id);
    }
    const started = performance.now();
    const { outcome, cancel } = pool.run(
      { bytes, filename: job.filename, charset: job.charset, limits: this.config.limits, reviewThreshold: this.config.reviewThreshold, id: job.id },
      this.config.timeoutMs,
      // Progress is advisory and may be overtaken by the job's end; a lost update is harmless.
      (done, total) => void this.jobs.progress(job.id, attempt, done, total).catch(() => undefined),
    );
    this.running.set(job.id, cancel);
    const result = await outcome;
    this.running.delete(job.id);
    // Stopped by stop(): the job stays running in the database and is queued again (handed back).
    if (this.stopping && !result.ok && result.code === 'CANCELLED') return { handBack: attempt };
    this.durations.push(performance.now() - started);
    if (this.durations.length > 50) this.durations.shift();
    if (!result.ok && result.code === 'CANCELLED') return 'ended'; // cancel() has recorded and announced it
    // Only the attempt that still owns the job ends it: a cancel or a later attempt (this one's lease expired) wins.
    if (result.ok) {
      const report = result.report as Report;
      return this.ended(await this.jobs.succeed(job.id, attempt, { owner: job.owner, optionsKey: job.optionsKey, report }), job.id, report);
    }
    return this.ended(await this.jobs.fail(job.id, result, attempt), job.id);
  }

  /** Announces a job this attempt has just ended (`moved`); otherwise another attempt or a cancel had it. */
  private async ended(moved: boolean, id: string, report?: Report): Promise<Ran> {
    if (!moved) return 'overtaken';
    this.announce((await this.jobs.get(id))!, report);
    return 'ended';
  }

  private pages(): WorkerPool {
    return (this.pagePool ??= new WorkerPool(1, 'pages'));
  }

  /**
   * Starts the page-image thread ahead of the first request (an API process): loading it is most of the
   * wait for the first page a reviewer opens.
   */
  startPageRenderer(): void {
    if (!this.stopping) this.pages().start();
  }

  /** A page of a stored source as PNG, rendered in a worker thread under the job time limit. */
  renderPage(bytes: Uint8Array, mediaType: string, page: number): Promise<{ png: Buffer; scale: number }> {
    if (this.stopping) return Promise.reject(shuttingDown());
    const pool = this.pages();
    const work = async () => {
      const { outcome } = pool.run({ bytes, mediaType, page, limits: this.config.limits }, this.config.timeoutMs, () => {});
      const r = await outcome;
      if (!r.ok) throw new ConvertError(r.code, r.status, r.message);
      const image = r.report as PageImage;
      return { png: Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength), scale: image.scale };
    };
    const next = this.rendering.then(work, work);
    this.rendering = next.catch(() => undefined);
    return next;
  }

  /** Stops taking work, lets running jobs finish for up to `graceMs`, then stops the rest and hands them back. */
  abstract stop(graceMs: number): Promise<void>;

  /** Stops taking work and answers the waiting requests; running jobs get `graceMs` to finish, then are stopped. */
  protected async stopJobs(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const settle of [...this.waiters.keys()]) settle();
    const deadline = Date.now() + graceMs;
    while (this.running.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const cancel of this.running.values()) cancel();
  }

  protected async closePools(): Promise<void> {
    await Promise.all([this.pools.main.close(), this.pools.ocr.close(), this.pagePool?.close()]);
  }
}

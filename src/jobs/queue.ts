/**
 * The job queue: bounded lanes in front of the worker pools, with every state change written to
 * the store first, so a restart loses nothing (queued jobs run, running ones run again).
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { PageImage } from '../extract/page-image.js';
import type { Report } from '../model/report.js';
import type { Job, JobStore, Lane, ResultStore, UploadStore } from '../store/store.js';
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
  /** A job ended; `report` is the model when it succeeded just now (not for cancelled or failed jobs). */
  finished: [job: Job, report?: Report];
}

export class JobQueue extends EventEmitter<QueueEvents> {
  private readonly pools: Record<Lane, WorkerPool>;
  private readonly pending: Record<Lane, string[]> = { main: [], ocr: [] };
  private readonly running = new Map<string, () => void>();
  /** Submissions admitted but not yet in `pending` (the upload is being stored): they count toward the limit. */
  private admitting = 0;
  /** Jobs taken from `pending` whose worker is not yet started: they hold a pool slot. */
  private readonly claiming: Record<Lane, number> = { main: 0, ocr: 0 };
  private readonly durations: number[] = [];
  /** Requests waiting in waitFor: answered at once when the queue stops. */
  private readonly waiters = new Set<() => void>();
  private stopping = false;
  /** Page images render here, one at a time, off the request thread; started on first use. */
  private pagePool: WorkerPool | null = null;
  private rendering: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly jobs: JobStore,
    private readonly results: ResultStore,
    private readonly files: UploadStore,
    private readonly config: QueueConfig,
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

  /** After a restart: jobs that were running run again, queued ones keep their order. */
  async recover(): Promise<{ requeued: number; queued: number }> {
    const requeued = await this.jobs.requeueRunning();
    const queued = await this.jobs.queued();
    for (const j of queued) this.pending[j.lane].push(j.id);
    this.pump('main');
    this.pump('ocr');
    return { requeued, queued: queued.length };
  }

  depth(lane?: Lane): number {
    return lane ? this.pending[lane].length : this.pending.main.length + this.pending.ocr.length + this.admitting;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Seconds a client should wait before trying again when the queue is full. */
  retryAfterSeconds(): number {
    const avg = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length / 1000 : 2;
    return Math.max(1, Math.ceil((avg * this.depth()) / Math.max(1, this.config.workers)));
  }

  async submit(s: Submission): Promise<Job> {
    if (this.stopping) throw new ConvertError('SHUTTING_DOWN', 503, 'The service is shutting down; try again shortly.');
    if (this.depth() >= this.config.queueLimit) {
      const err = new ConvertError('QUEUE_FULL', 429, `The queue is full (${this.config.queueLimit} jobs waiting, XXGK_QUEUE_LIMIT); try again later.`);
      throw Object.assign(err, { retryAfter: this.retryAfterSeconds() });
    }
    this.admitting++;
    let job: Job;
    try {
      const sha256 = await this.files.put(s.bytes);
      job = await this.jobs.create({ id: randomUUID(), owner: s.owner, sha256, filename: s.filename, charset: s.charset, optionsKey: s.optionsKey, lane: s.lane, callbackUrl: s.callbackUrl });
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
      this.emit('finished', done);
      return done;
    }
    return job;
  }

  /** Resolves with the job once it has finished, or as it stands after `ms` (or when the queue stops). */
  waitFor(id: string, ms: number): Promise<Job> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (job?: Job) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.off('finished', onFinished);
        this.waiters.delete(settle);
        if (job) resolve(job);
        else this.jobs.get(id).then((j) => resolve(j!), reject);
      };
      // Listening before reading the job: an end announced while the read is under way is not missed.
      const onFinished = (job: Job) => { if (job.id === id) settle(job); };
      const timer = setTimeout(() => settle(), ms);
      this.on('finished', onFinished);
      this.waiters.add(settle);
      this.jobs.get(id).then((current) => {
        if (['succeeded', 'failed', 'cancelled'].includes(current!.status) || ms <= 0 || this.stopping) settle(current!);
      }, (err: unknown) => { settle(); reject(err); });
    });
  }

  private pump(lane: Lane): void {
    const pool = this.pools[lane];
    while (!this.stopping && pool.idle - this.claiming[lane] > 0 && this.pending[lane].length) {
      const id = this.pending[lane].shift()!;
      this.claiming[lane]++;
      void this.execute(id, lane, pool).finally(() => this.pump(lane));
    }
  }

  private async execute(id: string, lane: Lane, pool: WorkerPool): Promise<void> {
    let claimed = true;
    const release = () => { if (claimed) { claimed = false; this.claiming[lane]--; } };
    // Cancelled before its worker starts: nothing runs.
    let cancelled = false;
    this.running.set(id, () => { cancelled = true; });
    let job: Job | null = null;
    let bytes: Buffer | null = null;
    try {
      if (!(await this.jobs.start(id))) return; // cancelled while waiting
      job = await this.jobs.get(id);
      bytes = job && await this.files.get(job.sha256);
    } finally {
      release();
      if (!bytes || cancelled || this.stopping) this.running.delete(id);
    }
    if (!job || cancelled || this.stopping) return;
    if (!bytes) {
      await this.jobs.fail(job.id, { code: 'UPLOAD_LOST', status: 500, message: 'The uploaded file is no longer in the store.' });
      this.emit('finished', (await this.jobs.get(job.id))!);
      return;
    }
    const started = performance.now();
    const { outcome, cancel } = pool.run(
      { bytes, filename: job.filename, charset: job.charset, limits: this.config.limits, reviewThreshold: this.config.reviewThreshold, id: job.id },
      this.config.timeoutMs,
      // Progress is advisory and may be overtaken by the job's end; a lost update is harmless.
      (done, total) => void this.jobs.progress(job.id, done, total).catch(() => undefined),
    );
    this.running.set(job.id, cancel);
    const result = await outcome;
    this.running.delete(job.id);
    // Stopped by stop(): the job stays running in the database and is queued again at the next start.
    if (this.stopping && !result.ok && result.code === 'CANCELLED') return;
    this.durations.push(performance.now() - started);
    if (this.durations.length > 50) this.durations.shift();
    if (!result.ok && result.code === 'CANCELLED') return; // cancel() has recorded and announced it
    if (result.ok) {
      const report = result.report as Report;
      await this.results.save(job.owner, job.optionsKey, report);
      await this.jobs.succeed(job.id, report.id, report.source.pages);
      this.emit('finished', (await this.jobs.get(job.id))!, report);
      return;
    }
    await this.jobs.fail(job.id, result);
    this.emit('finished', (await this.jobs.get(job.id))!);
  }

  /** A page of a stored source as PNG, rendered in a worker thread under the job time limit. */
  renderPage(bytes: Uint8Array, mediaType: string, page: number): Promise<{ png: Buffer; scale: number }> {
    if (this.stopping) return Promise.reject(new ConvertError('SHUTTING_DOWN', 503, 'The service is shutting down; try again shortly.'));
    const pool = (this.pagePool ??= new WorkerPool(1, 'pages'));
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

  /**
   * Stops taking work, lets running jobs finish for up to `graceMs`, then stops the rest; those are
   * queued again, so the next start runs them.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const settle of [...this.waiters]) settle();
    const deadline = Date.now() + graceMs;
    while (this.running.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const cancel of this.running.values()) cancel();
    // A store that does not answer now leaves them running; the next start queues them again all the same.
    await this.jobs.requeueRunning().catch(() => undefined);
    await Promise.all([this.pools.main.close(), this.pools.ocr.close(), this.pagePool?.close()]);
  }
}

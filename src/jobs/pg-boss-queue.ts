/**
 * The job queue in PostgreSQL mode: pg-boss, on the same database (schema `pgboss`), hands the jobs
 * out to every process that pulls them (`serve` with workers, `worker`), one queue per lane. The
 * `jobs` table stays the API's view of a job; a pg-boss job carries its id (the same uuid).
 * - Leases: a pulled job is pg-boss's `active` for at most the job time limit plus a margin
 *   (expireInSeconds). A process that dies with it (SIGKILL, host lost) never completes it: pg-boss's
 *   maintenance expires it and it is handed out again (retryLimit), to any process. Its new attempt
 *   takes the row over; only the attempt that owns the row may end it (JobStore.start/succeed/fail).
 * - A job whose workers were lost every time ends in the dead-letter queue; the row is then failed.
 * - NOTIFY on one channel says at once that a job was queued (idle pullers fetch now), ended (waitFor
 *   in other processes answers) or cancelled (the process running it stops it). The rows stay the
 *   record: pullers also poll, and once a second one query reads the rows of every job waited for or
 *   running here.
 */
import { createRequire } from 'node:module';
import type PgBoss from 'pg-boss';
import type { Report } from '../model/report.js';
import { asServiceError, GIVE_UP } from '../store/postgres/db.js';
import { PgListener } from '../store/postgres/listener.js';
import type { Job, Lane, SharedJobStore, UploadStore } from '../store/store.js';
import { ENDED, JobQueue, shuttingDown, type QueueConfig, type Submission } from './queue.js';

const QUEUES: Record<Lane, string> = { main: 'convert', ocr: 'convert-ocr' };
const DEAD_LETTER = 'convert-lost';
const CHANNEL = 'xxgk_jobs';
/** How often an idle puller asks for work without being told, and how often the rows of jobs waited for or running here are re-read (a lost NOTIFY). */
const POLL_MS = 1000;
/** Times a job is handed out again after its worker was lost before it is given up (a hand-back by a stopping process does not count). */
const RETRY_LIMIT = 3;
/** How soon a process that could not reach the database at start tries again. */
const RESTART_MS = 2000;

type Message = { t: 'queued'; lane: Lane } | { t: 'ended'; id: string } | { t: 'cancel'; id: string };

export interface PgQueueConfig extends QueueConfig {
  databaseUrl: string;
  /** Lanes this process pulls jobs from (none: it only submits). */
  lanes: Lane[];
  /** pg-boss's complaints (a lost connection, a failed maintenance run), for the log. */
  onError: (err: Error) => void;
}

/** The lease: the job time limit, plus time to fetch the upload and save the result. */
export const leaseSeconds = (timeoutMs: number) => Math.ceil(timeoutMs / 1000) + Math.max(10, Math.ceil(timeoutMs / 10_000));

export class PgBossQueue extends JobQueue {
  private boss!: PgBoss;
  private readonly listener: PgListener;
  /** pg-boss started (its schema and queues made): tried again by the next user when it failed. */
  private ready: Promise<void> | null = null;
  private readonly pulling: Record<Lane, boolean> = { main: false, ocr: false };
  private rechecking: Promise<void> | null = null;
  private readonly again: Record<Lane, boolean> = { main: false, ocr: false };
  private readonly timers: NodeJS.Timeout[] = [];
  /** The next try to start, while the database is not there (one at a time). */
  private retry: NodeJS.Timeout | null = null;
  /** The last submission being admitted: the next waits for it. */
  private admitted: Promise<unknown> = Promise.resolve();
  /** Pulled jobs being run, until pg-boss has been told how they ended. */
  private readonly inflight = new Set<Promise<void>>();

  constructor(protected override readonly jobs: SharedJobStore, files: UploadStore, private readonly pg: PgQueueConfig) {
    super(jobs, files, pg);
    this.listener = new PgListener(pg.databaseUrl, CHANNEL, (payload) => this.heard(payload));
  }

  private started(): Promise<void> {
    // A pg-boss started after stop() (a /metrics scrape, the recover retry) would never be stopped: the process would not exit.
    if (this.stopping) return Promise.reject(shuttingDown());
    this.ready ??= this.startBoss().catch((err: unknown) => {
      this.ready = null;
      throw asServiceError(err);
    });
    return this.ready;
  }

  private async startBoss(): Promise<void> {
    const lease = leaseSeconds(this.pg.timeoutMs);
    const Boss = createRequire(import.meta.url)('pg-boss') as typeof PgBoss;
    // A fresh instance per try: one whose start failed half-way does not start again.
    this.boss = new Boss({
      connectionString: this.pg.databaseUrl, schema: 'pgboss', max: 4, application_name: 'xxgk-queue',
      // Expired leases are found by maintenance: often enough that a lost job waits little past its lease.
      maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.ceil(lease / 6))),
      schedule: false,
      // Options of node-postgres's pool, which pg-boss passes on but does not declare.
      ...GIVE_UP,
    } as PgBoss.ConstructorOptions);
    this.boss.on('error', this.pg.onError);
    try {
      await this.boss.start();
      await this.makeQueues(lease);
    } catch (err) {
      // Not used again (the next try makes a new one): stopped, so that its connections and timers do not keep the process alive.
      await this.boss.stop({ graceful: false, close: true }).catch(() => undefined);
      throw err;
    }
  }

  private async makeQueues(lease: number): Promise<void> {
    await this.boss.createQueue(DEAD_LETTER, { name: DEAD_LETTER });
    for (const name of Object.values(QUEUES)) {
      const options = { name, retryLimit: RETRY_LIMIT, retryDelay: 0, expireInSeconds: lease, deadLetter: DEAD_LETTER };
      await this.boss.createQueue(name, options);
      // A job's lease is fixed when it is sent, from its queue's: the longest time limit of the processes
      // that run jobs (an API process that only submits has no say), so a shorter one started later
      // cannot make long jobs expire mid-run.
      if (this.pg.lanes.length) await this.boss.getDb().executeSql('UPDATE pgboss.queue SET expire_seconds = GREATEST(expire_seconds, $2) WHERE name = $1', [name, lease]);
    }
  }

  private async send(message: Message): Promise<void> {
    await this.boss.getDb().executeSql('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(message)]);
  }

  private heard(payload: string): void {
    let m: Message;
    try {
      m = JSON.parse(payload) as Message;
    } catch {
      return;
    }
    if (m.t === 'queued') this.pump(m.lane);
    else if (m.t === 'cancel') this.running.get(m.id)?.();
    // Read only when a request here waits for that job: most ends concern no one here.
    else if (m.t === 'ended' && [...this.waiters.values()].includes(m.id)) {
      void this.jobs.get(m.id).then((j) => { if (j && ENDED.includes(j.status)) this.emit('ended', j); }, () => undefined);
    }
  }

  /** Starts pulling (nothing is recovered: lost jobs come back from pg-boss when their lease ends). */
  override async recover(): Promise<{ requeued: number; queued: number }> {
    try {
      await this.started();
    } catch (err) {
      // The database is not there yet: keep trying, so this process pulls once it is.
      if (!this.stopping) this.retry = setTimeout(() => void this.recover().catch(() => undefined), RESTART_MS);
      throw err;
    }
    await this.listener.open();
    if (this.stopping) return { requeued: 0, queued: 0 };
    this.timers.push(setInterval(() => {
      for (const lane of this.pg.lanes) this.pump(lane);
      this.buryLost().catch(this.pg.onError);
      if (!this.rechecking) {
        // One re-read at a time: on a slow database, overlapping ones would pile onto the pool.
        this.rechecking = this.recheck().catch(this.pg.onError).finally(() => (this.rechecking = null));
      }
    }, POLL_MS));
    for (const lane of this.pg.lanes) this.pump(lane);
    return { requeued: 0, queued: 0 };
  }

  override startWorkers(): void {
    if (this.pg.lanes.includes('main')) this.pools.main.start();
    if (this.pg.lanes.includes('ocr')) this.pools.ocr.start();
  }

  override async depth(lane?: Lane): Promise<number> {
    await this.started();
    // pg-boss's getQueueSize, over both queues in one query: a submission asks twice.
    const names = (lane ? [lane] : (['main', 'ocr'] as const)).map((l) => QUEUES[l]);
    const { rows } = await this.boss.getDb().executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ANY($1) AND state < 'active'`, [names]);
    return (rows[0] as { n: number }).n;
  }

  override async submit(s: Submission): Promise<Job> {
    // Refused early, before the upload is stored, when the queue is full already.
    this.admit(this.stopping ? 0 : await this.depth());
    const sha256 = await this.files.put(s.bytes);
    // Then counted and queued one at a time in this process, so a burst cannot overshoot the limit here.
    const admitted = this.admitted.then(async () => {
      this.admit(await this.depth());
      const j = this.newJob(s, sha256);
      // The row and pg-boss's job in one transaction: a job pg-boss did not take leaves no row waiting forever.
      return this.jobs.create(j, (db) => this.boss.send(QUEUES[s.lane], { jobId: j.id }, { id: j.id, db }));
    });
    this.admitted = admitted.catch(() => undefined);
    const job = await admitted;
    await this.send({ t: 'queued', lane: s.lane }).catch(() => undefined);
    return job;
  }

  protected override async cancelled(job: Job): Promise<void> {
    await this.boss.cancel(QUEUES[job.lane], job.id).catch(() => undefined);
    await this.send({ t: 'cancel', id: job.id }).catch(() => undefined);
  }

  protected override announce(job: Job, report?: Report): void {
    super.announce(job, report);
    void this.send({ t: 'ended', id: job.id }).catch(() => undefined);
  }

  /** Fetches jobs of `lane` while its pool has a free worker; one fetch loop per lane at a time. */
  protected override pump(lane: Lane): void {
    if (!this.pg.lanes.includes(lane) || this.stopping) return;
    if (this.pulling[lane]) {
      this.again[lane] = true;
      return;
    }
    this.pulling[lane] = true;
    // A fetch that fails (the database gone for a moment) is logged; the next poll pulls again.
    void this.pull(lane).catch(this.pg.onError).finally(() => {
      this.pulling[lane] = false;
      if (this.again[lane]) {
        this.again[lane] = false;
        this.pump(lane);
      }
    });
  }

  private async pull(lane: Lane): Promise<void> {
    const pool = this.pools[lane];
    while (!this.stopping && pool.idle - this.claiming[lane] > 0) {
      const [next] = await this.boss.fetch<{ jobId: string }>(QUEUES[lane], { batchSize: 1 });
      if (!next) return;
      if (this.stopping) {
        await this.handBack(lane, next.id).catch(() => undefined);
        return;
      }
      this.claiming[lane]++;
      const run = this.runPulled(lane, next.id).finally(() => {
        this.inflight.delete(run);
        this.pump(lane);
      });
      this.inflight.add(run);
    }
  }

  private async runPulled(lane: Lane, id: string): Promise<void> {
    try {
      // pg-boss's job is the same for every attempt: an attempt overtaken by a later one (its lease ran out) leaves it to that one.
      const ran = await this.execute(id, lane, this.pools[lane]);
      if (ran === 'ended') {
        await this.boss.complete(QUEUES[lane], id);
      } else if (ran !== 'overtaken' && await this.jobs.release(id, ran.handBack)) {
        await this.handBack(lane, id);
      }
    } catch (err) {
      // The database failed us mid-job: the lease runs out and the job is handed out again.
      this.pg.onError(err as Error);
    }
  }

  /**
   * Stopping: the job is queued again at once (pg-boss's retry), not left to its lease. Its retry limit
   * is raised by the retry this uses up, so that only lost workers count toward WORKER_LOST.
   */
  private async handBack(lane: Lane, id: string): Promise<void> {
    await this.boss.getDb().executeSql(`UPDATE pgboss.job SET retry_limit = retry_limit + 1 WHERE name = $1 AND id = $2 AND state = 'active'`, [QUEUES[lane], id]);
    await this.boss.fail(QUEUES[lane], id, { message: 'handed back: the process is stopping' });
  }

  /**
   * Ends and cancels another process announced, in case the notification was lost with a connection:
   * the rows of the jobs waited for or running here, read in one query for all of them.
   */
  private async recheck(): Promise<void> {
    const waited = new Set(this.waiters.values());
    const ids = [...new Set([...waited, ...this.running.keys()])];
    if (!ids.length) return;
    for (const job of await this.jobs.ended(ids)) {
      if (job.status === 'cancelled') this.running.get(job.id)?.();
      if (waited.has(job.id)) this.emit('ended', job);
    }
  }

  /** Jobs pg-boss gave up on (their workers were lost each time): their rows fail, said so. */
  private async buryLost(): Promise<void> {
    const lost = await this.boss.fetch<{ jobId: string }>(DEAD_LETTER, { batchSize: 10 });
    for (const dead of lost) {
      const message = `The job's worker process was lost (killed, out of memory?) ${RETRY_LIMIT + 1} times; it was not tried again.`;
      if (await this.jobs.fail(dead.data.jobId, { code: 'WORKER_LOST', status: 500, message })) this.announce((await this.jobs.get(dead.data.jobId))!);
      await this.boss.complete(DEAD_LETTER, dead.id);
    }
  }

  override async stop(graceMs: number): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.retry) clearTimeout(this.retry);
    await this.stopJobs(graceMs);
    // A start under way finishes first, so that the pg-boss it makes is the one stopped below.
    await this.ready?.catch(() => undefined);
    // The jobs stopped just now are handed back by runPulled: let it tell pg-boss (a database gone leaves them to their leases).
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 5000).unref())]);
    await this.listener.close();
    await this.boss?.stop({ graceful: false, close: true }).catch(() => undefined);
    await this.closePools();
  }
}

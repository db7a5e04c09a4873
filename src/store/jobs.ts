/** Job rows in SQLite. */
import type { JobStatus } from '../api/wire.js';
import type Database from 'better-sqlite3';
import type { DB } from './db.js';
import { RESULT_COLUMNS, resultValues } from './results.js';
import type { Report } from '../model/report.js';
import type { CachedJob, Job, JobError, Lane, LocalJobStore, NewJob } from './store.js';

/** A jobs row as both databases give it (timestamps as ISO strings). */
export interface JobRow {
  id: string; owner: string; sha256: string; filename: string; charset: string | null; options_key: string; lane: Lane;
  status: JobStatus; pages_done: number; pages_total: number | null; error_code: string | null; error_status: number | null;
  error_message: string | null; callback_url: string | null; result_id: string | null; attempts: number;
  created: string; started: string | null; finished: string | null;
}

export function jobFromRow(r: JobRow): Job {
  return {
    id: r.id, owner: r.owner, sha256: r.sha256, filename: r.filename, charset: r.charset, optionsKey: r.options_key, lane: r.lane,
    status: r.status, pagesDone: r.pages_done, pagesTotal: r.pages_total,
    error: r.error_code ? { code: r.error_code, status: r.error_status ?? 500, message: r.error_message ?? '' } : null,
    callbackUrl: r.callback_url, resultId: r.result_id, attempts: r.attempts, created: r.created, started: r.started, finished: r.finished,
  };
}

const now = () => new Date().toISOString();

/** The job's webhook, due now, made in the transaction that ends the job (nothing when it has no callback URL). */
const NEW_DELIVERY = `INSERT INTO deliveries (id, job_id, url, status, next_at, created)
  SELECT id, id, callback_url, 'pending', finished, finished FROM jobs WHERE id = ? AND callback_url IS NOT NULL`;

export class SqliteJobStore implements LocalJobStore {
  constructor(private readonly db: DB) {}

  async create(j: NewJob): Promise<Job> {
    this.db.prepare(`INSERT INTO jobs (id, owner, sha256, filename, charset, options_key, lane, status, callback_url, created)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`).run(j.id, j.owner, j.sha256, j.filename, j.charset, j.optionsKey, j.lane, j.callbackUrl, now());
    return (await this.get(j.id))!;
  }

  async createFinished(j: CachedJob): Promise<Job> {
    const at = now();
    this.db.prepare(`INSERT INTO jobs (id, owner, sha256, filename, options_key, lane, status, result_id, created, started, finished)
      VALUES (?, ?, ?, ?, ?, ?, 'succeeded', ?, ?, ?, ?)`).run(j.id, j.owner, j.sha256, j.filename, j.optionsKey, j.lane, j.resultId, at, at, at);
    return (await this.get(j.id))!;
  }

  async get(id: string): Promise<Job | null> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r ? jobFromRow(r) : null;
  }

  async queued(): Promise<Job[]> {
    return (this.db.prepare(`SELECT * FROM jobs WHERE status = 'queued' ORDER BY created, rowid`).all() as JobRow[]).map(jobFromRow);
  }

  async requeueRunning(): Promise<number> {
    return this.db.prepare(`UPDATE jobs SET status = 'queued', started = NULL, pages_done = 0 WHERE status = 'running'`).run().changes;
  }

  async start(id: string): Promise<number | null> {
    const r = this.db.prepare(`UPDATE jobs SET status = 'running', started = ?, pages_done = 0, attempts = attempts + 1 WHERE id = ? AND status IN ('queued', 'running') RETURNING attempts`)
      .get(now(), id) as { attempts: number } | undefined;
    return r?.attempts ?? null;
  }

  async progress(id: string, attempt: number, done: number, total: number | null): Promise<void> {
    this.db.prepare(`UPDATE jobs SET pages_done = ?, pages_total = ? WHERE id = ? AND status = 'running' AND attempts = ?`).run(done, total, id, attempt);
  }

  async succeed(id: string, attempt: number, { owner, optionsKey, report }: { owner: string; optionsKey: string; report: Report }): Promise<boolean> {
    return this.db.transaction(() => {
      const pages = report.source.pages;
      const moved = this.db.prepare(`UPDATE jobs SET status = 'succeeded', result_id = ?, pages_done = ?, pages_total = ?, finished = ? WHERE id = ? AND status = 'running' AND attempts = ?`)
        .run(report.id, pages, pages, now(), id, attempt).changes === 1;
      if (moved) {
        this.db.prepare(`INSERT INTO results (${RESULT_COLUMNS}) VALUES (${RESULT_COLUMNS.split(',').map(() => '?').join(', ')})`).run(...resultValues(owner, optionsKey, report));
        this.db.prepare(NEW_DELIVERY).run(id);
      }
      return moved;
    })();
  }

  /** Runs an UPDATE that ends job `id`; when it did, makes the job's delivery in the same transaction. */
  private end(id: string, update: () => Database.RunResult): boolean {
    return this.db.transaction(() => {
      const moved = update().changes === 1;
      if (moved) this.db.prepare(NEW_DELIVERY).run(id);
      return moved;
    })();
  }

  async fail(id: string, error: JobError, attempt?: number): Promise<boolean> {
    const set = `UPDATE jobs SET status = 'failed', error_code = ?, error_status = ?, error_message = ?, finished = ? WHERE id = ?`;
    const values = [error.code, error.status, error.message, now(), id];
    return this.end(id, () => (attempt === undefined
      ? this.db.prepare(`${set} AND status IN ('queued', 'running')`).run(...values)
      : this.db.prepare(`${set} AND status = 'running' AND attempts = ?`).run(...values, attempt)));
  }

  async cancel(id: string): Promise<boolean> {
    return this.end(id, () => this.db.prepare(`UPDATE jobs SET status = 'cancelled', finished = ? WHERE id = ? AND status IN ('queued', 'running')`).run(now(), id));
  }

  async countsByStatus(): Promise<Record<JobStatus, number>> {
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: JobStatus; n: number }[]) counts[r.status] = r.n;
    return counts;
  }
}

/** Job rows in PostgreSQL: each change is one conditional UPDATE, so two processes never both move a job. */
import type { JobStatus } from '../../api/wire.js';
import type { Report } from '../../model/report.js';
import { jobFromRow, type JobRow } from '../jobs.js';
import { RESULT_COLUMNS, resultValues } from '../results.js';
import type { CachedJob, Job, JobError, NewJob, SharedJobStore, SqlExecutor } from '../store.js';
import { iso } from './columns.js';
import type { PgDatabase } from './db.js';

const JOB_COLUMNS = `id, owner, sha256, filename, charset, options_key, lane, status, pages_done, pages_total, error_code, error_status,
  error_message, callback_url, result_id, attempts, ${iso('created')}, ${iso('started')}, ${iso('finished')}`;



/**
 * The job's webhook, due now, made in the transaction that ends the job (nothing when it has no callback URL).
 * Every time here is the database's clock (now()), the one the claims of every process compare with.
 */
const NEW_DELIVERY = `INSERT INTO deliveries (id, job_id, url, status, next_at, created)
  SELECT id, id, callback_url, 'pending', now(), now() FROM jobs WHERE id = $1 AND callback_url IS NOT NULL`;

export class PgJobStore implements SharedJobStore {
  constructor(private readonly db: PgDatabase) {}

  async create(j: NewJob, queue?: (db: SqlExecutor) => Promise<unknown>): Promise<Job> {
    return this.db.transaction(async (query) => {
      const rows = await query<JobRow>(`INSERT INTO jobs (id, owner, sha256, filename, charset, options_key, lane, status, callback_url, created)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, now()) RETURNING ${JOB_COLUMNS}`,
      [j.id, j.owner, j.sha256, j.filename, j.charset, j.optionsKey, j.lane, j.callbackUrl]);
      await queue?.({ executeSql: async (sql, values) => ({ rows: await query(sql, values) }) });
      return jobFromRow(rows[0]);
    });
  }

  async createFinished(j: CachedJob): Promise<Job> {
    const rows = await this.db.query<JobRow>(`INSERT INTO jobs (id, owner, sha256, filename, options_key, lane, status, result_id, created, started, finished)
      VALUES ($1, $2, $3, $4, $5, $6, 'succeeded', $7, now(), now(), now()) RETURNING ${JOB_COLUMNS}`,
    [j.id, j.owner, j.sha256, j.filename, j.optionsKey, j.lane, j.resultId]);
    return jobFromRow(rows[0]);
  }

  async get(id: string): Promise<Job | null> {
    const rows = await this.db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows.length ? jobFromRow(rows[0]) : null;
  }

  async ended(ids: string[]): Promise<Job[]> {
    const rows = await this.db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ANY($1) AND status IN ('succeeded', 'failed', 'cancelled')`, [ids]);
    return rows.map(jobFromRow);
  }

  async start(id: string): Promise<number | null> {
    const rows = await this.db.query<{ attempts: number }>(`UPDATE jobs SET status = 'running', started = now(), pages_done = 0, attempts = attempts + 1
      WHERE id = $1 AND status IN ('queued', 'running') RETURNING attempts`, [id]);
    return rows[0]?.attempts ?? null;
  }

  async progress(id: string, attempt: number, done: number, total: number | null): Promise<void> {
    await this.db.query(`UPDATE jobs SET pages_done = $1, pages_total = $2 WHERE id = $3 AND status = 'running' AND attempts = $4`, [done, total, id, attempt]);
  }

  async succeed(id: string, attempt: number, { owner, optionsKey, report }: { owner: string; optionsKey: string; report: Report }): Promise<boolean> {
    return this.db.transaction(async (query) => {
      // The row is locked by this UPDATE until the commit: a cancel or another attempt waits, then finds it ended.
      const moved = await query(`UPDATE jobs SET status = 'succeeded', result_id = $1, pages_done = $2, pages_total = $2, finished = now()
        WHERE id = $3 AND status = 'running' AND attempts = $4 RETURNING id`, [report.id, report.source.pages, id, attempt]);
      if (moved.length !== 1) return false;
      await query(`INSERT INTO results (${RESULT_COLUMNS}) VALUES (${RESULT_COLUMNS.split(',').map((_, i) => `$${i + 1}`).join(', ')})`, resultValues(owner, optionsKey, report));
      await query(NEW_DELIVERY, [id]);
      return true;
    });
  }

  /** Runs an UPDATE … RETURNING id that ends job `id`; when it did, makes the job's delivery in the same transaction. */
  private end(id: string, sql: string, values: unknown[]): Promise<boolean> {
    return this.db.transaction(async (query) => {
      if ((await query(sql, values)).length !== 1) return false;
      await query(NEW_DELIVERY, [id]);
      return true;
    });
  }

  async fail(id: string, error: JobError, attempt?: number): Promise<boolean> {
    const set = `UPDATE jobs SET status = 'failed', error_code = $1, error_status = $2, error_message = $3, finished = now() WHERE id = $4`;
    const values = [error.code, error.status, error.message, id];
    return attempt === undefined
      ? this.end(id, `${set} AND status IN ('queued', 'running') RETURNING id`, values)
      : this.end(id, `${set} AND status = 'running' AND attempts = $5 RETURNING id`, [...values, attempt]);
  }

  async release(id: string, attempt: number): Promise<boolean> {
    return (await this.db.query(`UPDATE jobs SET status = 'queued', started = NULL, pages_done = 0 WHERE id = $1 AND status = 'running' AND attempts = $2 RETURNING id`, [id, attempt])).length === 1;
  }

  async cancel(id: string): Promise<boolean> {
    return this.end(id, `UPDATE jobs SET status = 'cancelled', finished = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`, [id]);
  }

  async countsByStatus(): Promise<Record<JobStatus, number>> {
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const r of await this.db.query<{ status: JobStatus; n: number }>('SELECT status, COUNT(*)::int AS n FROM jobs GROUP BY status')) counts[r.status] = r.n;
    return counts;
  }
}

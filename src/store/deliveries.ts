/** The webhook outbox in SQLite (store.ts, DeliveryStore). */
import type { DB } from './db.js';
import type { Delivery, DeliveryStore, JobStore } from './store.js';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A claimed row as both databases return it. */
export interface ClaimedRow { id: string; job_id: string; url: string; attempts: number }

/** Claimed rows with their jobs (a job gone since is skipped). */
export async function withJobs(rows: ClaimedRow[], jobs: JobStore): Promise<Delivery[]> {
  const claimed: Delivery[] = [];
  for (const r of rows) {
    const job = await jobs.get(r.job_id);
    if (job) claimed.push({ id: r.id, job, url: r.url, attempt: r.attempts });
  }
  return claimed;
}

export class SqliteDeliveryStore implements DeliveryStore {
  constructor(private readonly db: DB, private readonly jobs: JobStore) {}

  async claim(limit: number, leaseMs: number): Promise<Delivery[]> {
    const rows = this.db.prepare(`UPDATE deliveries SET next_at = ?, attempts = attempts + 1
      WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?)
      RETURNING id, job_id, url, attempts`).all(at(leaseMs), at(0), limit) as ClaimedRow[];
    return withJobs(rows, this.jobs);
  }

  async delivered(id: string, attempt: number): Promise<void> {
    this.db.prepare(`UPDATE deliveries SET status = 'delivered', last_error = NULL WHERE id = ? AND attempts = ? AND status = 'pending'`).run(id, attempt);
  }

  async retry(id: string, attempt: number, delayMs: number | null, error: string): Promise<void> {
    this.db.prepare(`UPDATE deliveries SET status = ?, next_at = ?, last_error = ? WHERE id = ? AND attempts = ? AND status = 'pending'`)
      .run(delayMs === null ? 'failed' : 'pending', at(delayMs ?? 0), error, id, attempt);
  }
}

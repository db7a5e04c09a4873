/**
 * The webhook outbox in PostgreSQL (store.ts, DeliveryStore): due rows are claimed with FOR UPDATE
 * SKIP LOCKED, so each attempt goes to exactly one process; times are the database's clock.
 */
import { withJobs, type ClaimedRow } from '../deliveries.js';
import type { Delivery, DeliveryStore, JobStore } from '../store.js';
import type { PgDatabase } from './db.js';

export class PgDeliveryStore implements DeliveryStore {
  constructor(private readonly db: PgDatabase, private readonly jobs: JobStore) {}

  async claim(limit: number, leaseMs: number): Promise<Delivery[]> {
    const rows = await this.db.query<ClaimedRow>(`UPDATE deliveries d
      SET next_at = now() + $2 * interval '1 millisecond', attempts = d.attempts + 1
      FROM (SELECT id FROM deliveries WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
      WHERE d.id = due.id RETURNING d.id, d.job_id, d.url, d.attempts`, [limit, leaseMs]);
    return withJobs(rows, this.jobs);
  }

  async delivered(id: string, attempt: number): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = 'delivered', last_error = NULL WHERE id = $1 AND attempts = $2 AND status = 'pending'`, [id, attempt]);
  }

  async retry(id: string, attempt: number, delayMs: number | null, error: string): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = $1, next_at = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $4 AND attempts = $5 AND status = 'pending'`,
      [delayMs === null ? 'failed' : 'pending', delayMs ?? 0, error, id, attempt]);
  }
}

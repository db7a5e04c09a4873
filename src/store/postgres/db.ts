/**
 * The PostgreSQL connection (XXGK_DATABASE_URL): a pool, the schema brought up to date before the
 * first query (under an advisory lock, so processes starting together migrate once), and a database
 * that cannot be reached reported as 503, never as a hung request or a stack trace.
 */
import { createRequire } from 'node:module';
import type { Pool, PoolClient } from 'pg';
import { ConvertError } from '../../intake/errors.js';

/** node-postgres, loaded when a PostgreSQL store is opened: the embedded default never loads it. */
export const loadPg = () => createRequire(import.meta.url)('pg') as typeof import('pg');

const MIGRATIONS: string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     seq BIGSERIAL NOT NULL,
     owner TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     filename TEXT NOT NULL,
     charset TEXT,
     options_key TEXT NOT NULL,
     lane TEXT NOT NULL,
     status TEXT NOT NULL,
     pages_done INTEGER NOT NULL DEFAULT 0,
     pages_total INTEGER,
     error_code TEXT,
     error_status INTEGER,
     error_message TEXT,
     callback_url TEXT,
     result_id TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     created TIMESTAMPTZ NOT NULL,
     started TIMESTAMPTZ,
     finished TIMESTAMPTZ
   );
   CREATE INDEX jobs_status ON jobs(status, created, seq);
   CREATE TABLE results (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     options_key TEXT NOT NULL,
     filename TEXT NOT NULL,
     media_type TEXT NOT NULL,
     agency TEXT,
     year INTEGER,
     template TEXT NOT NULL,
     confidence DOUBLE PRECISION NOT NULL,
     checks_failed INTEGER NOT NULL,
     low_confidence INTEGER NOT NULL,
     version INTEGER NOT NULL DEFAULT 0,
     report JSON NOT NULL,
     created TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX results_cache ON results(owner, sha256, options_key);
   CREATE INDEX results_created ON results(created);
   CREATE TABLE corrections (
     id BIGSERIAL PRIMARY KEY,
     result_id TEXT NOT NULL REFERENCES results(id),
     version INTEGER NOT NULL,
     key TEXT NOT NULL,
     old_value DOUBLE PRECISION,
     new_value DOUBLE PRECISION,
     old_state TEXT NOT NULL,
     new_state TEXT NOT NULL,
     who TEXT NOT NULL,
     at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX corrections_result ON corrections(result_id, id);
   CREATE TABLE uploads (
     sha256 TEXT PRIMARY KEY,
     bytes BYTEA NOT NULL
   );
   CREATE TABLE derived_files (
     sha256 TEXT NOT NULL,
     name TEXT NOT NULL,
     bytes BYTEA NOT NULL,
     PRIMARY KEY (sha256, name)
   );`,
  // The review list: cells in the queue (rows from before: an estimate, exact after their next save); a
  // page in (created, id) order with the queued filter read from the index, per owner or over all
  // (XXGK_SHARED_RESULTS); the counts from (owner, queued); report fields corrected as text.
  `ALTER TABLE results ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
   UPDATE results SET queued = low_confidence + checks_failed;
   CREATE INDEX results_list ON results(owner, created, id, queued);
   CREATE INDEX results_review ON results(owner, queued);
   CREATE INDEX results_shared ON results(created, id, queued);
   ALTER TABLE corrections ADD COLUMN old_text TEXT;
   ALTER TABLE corrections ADD COLUMN new_text TEXT;`,
  // The webhook outbox: one row per job end with a callback URL (store.ts, DeliveryStore).
  `CREATE TABLE deliveries (
     id TEXT PRIMARY KEY,
     job_id TEXT NOT NULL UNIQUE REFERENCES jobs(id),
     url TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at TIMESTAMPTZ NOT NULL,
     last_error TEXT,
     created TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX deliveries_due ON deliveries(status, next_at);`,
];

/** Any number fits in one advisory lock id; this one says "xxgk migrations". */
const MIGRATION_LOCK = 0x78786b;

/** Errors that mean the database is out of reach (not that a query is wrong): SQLSTATE classes 08, 28, 53, 57P, 3D. */
function unavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e.code === 'string' && /^(08|28|53|57P|3D)/.test(e.code)) return true;
  if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH)$/.test(e.code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(e.message ?? '');
}

/** A database out of reach as the 503 users see; any other error as it is. */
export function asServiceError(err: unknown): unknown {
  return unavailable(err) ? new ConvertError('DATABASE_UNAVAILABLE', 503, `PostgreSQL does not answer: ${(err as Error).message}`) : err;
}

export type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * What every pool here (the store's, pg-boss's) waits for the database: connecting, then a query; TCP
 * keep-alive finds a peer gone without a word (a failover, a cut link) instead of waiting on it for minutes.
 */
export const GIVE_UP = { connectionTimeoutMillis: 5000, query_timeout: 30_000, keepAlive: true };

export class PgDatabase {
  private readonly pool: Pool;
  private ready: Promise<void> | null = null;

  constructor(url: string) {
    this.pool = new (loadPg().Pool)({ connectionString: url, max: 10, ...GIVE_UP, idleTimeoutMillis: 30_000 });
    // An idle connection dropped by the server: the pool replaces it; the next query reports if the database is gone.
    this.pool.on('error', () => undefined);
  }

  /** The schema is brought up to date once, before the first query; a failure is retried by the next one. */
  private migrated(): Promise<void> {
    this.ready ??= this.migrate().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS xxgk_schema (version INTEGER NOT NULL)');
      const rows = (await client.query<{ version: number }>('SELECT version FROM xxgk_schema')).rows;
      if (!rows.length) await client.query('INSERT INTO xxgk_schema (version) VALUES (0)');
      for (let v = rows[0]?.version ?? 0; v < MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        await client.query(MIGRATIONS[v]);
        await client.query('UPDATE xxgk_schema SET version = $1', [v + 1]);
        await client.query('COMMIT');
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  readonly query: Query = async <R extends object>(sql: string, params: unknown[] = []) => {
    try {
      await this.migrated();
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw asServiceError(err);
    }
  };

  /** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      await this.migrated();
      client = await this.pool.connect();
    } catch (err) {
      throw asServiceError(err);
    }
    const query: Query = async <R extends object>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows;
    try {
      await client.query('BEGIN');
      const result = await work(query);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asServiceError(err);
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

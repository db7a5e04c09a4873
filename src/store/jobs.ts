/** Job rows: what was asked, where it stands, and how it ended. */
import type { JobStatus } from '../api/wire.js';
import type { DB } from './db.js';

export type Lane = 'main' | 'ocr';

export interface Job {
  id: string;
  owner: string;
  sha256: string;
  filename: string;
  charset: string | null;
  optionsKey: string;
  lane: Lane;
  status: JobStatus;
  pagesDone: number;
  pagesTotal: number | null;
  error: { code: string; status: number; message: string } | null;
  callbackUrl: string | null;
  resultId: string | null;
  attempts: number;
  created: string;
  started: string | null;
  finished: string | null;
}

interface Row {
  id: string; owner: string; sha256: string; filename: string; charset: string | null; options_key: string; lane: Lane;
  status: JobStatus; pages_done: number; pages_total: number | null; error_code: string | null; error_status: number | null;
  error_message: string | null; callback_url: string | null; result_id: string | null; attempts: number;
  created: string; started: string | null; finished: string | null;
}

function fromRow(r: Row): Job {
  return {
    id: r.id, owner: r.owner, sha256: r.sha256, filename: r.filename, charset: r.charset, optionsKey: r.options_key, lane: r.lane,
    status: r.status, pagesDone: r.pages_done, pagesTotal: r.pages_total,
    error: r.error_code ? { code: r.error_code, status: r.error_status ?? 500, message: r.error_message ?? '' } : null,
    callbackUrl: r.callback_url, resultId: r.result_id, attempts: r.attempts, created: r.created, started: r.started, finished: r.finished,
  };
}

const now = () => new Date().toISOString();

export class JobStore {
  constructor(private readonly db: DB) {}

  create(j: Pick<Job, 'id' | 'owner' | 'sha256' | 'filename' | 'charset' | 'optionsKey' | 'lane' | 'callbackUrl'>): Job {
    this.db.prepare(`INSERT INTO jobs (id, owner, sha256, filename, charset, options_key, lane, status, callback_url, created)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`).run(j.id, j.owner, j.sha256, j.filename, j.charset, j.optionsKey, j.lane, j.callbackUrl, now());
    return this.get(j.id)!;
  }

  /** A job answered from the cache: finished as it is created. */
  createFinished(j: Pick<Job, 'id' | 'owner' | 'sha256' | 'filename' | 'optionsKey' | 'lane' | 'resultId'>): Job {
    const at = now();
    this.db.prepare(`INSERT INTO jobs (id, owner, sha256, filename, options_key, lane, status, result_id, created, started, finished)
      VALUES (?, ?, ?, ?, ?, ?, 'succeeded', ?, ?, ?, ?)`).run(j.id, j.owner, j.sha256, j.filename, j.optionsKey, j.lane, j.resultId, at, at, at);
    return this.get(j.id)!;
  }

  get(id: string): Job | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Queued jobs in the order they came, for a restart. */
  queued(): Job[] {
    return (this.db.prepare(`SELECT * FROM jobs WHERE status = 'queued' ORDER BY created, rowid`).all() as Row[]).map(fromRow);
  }

  /** Jobs left running by a process that died: queued again so they run once more. */
  requeueRunning(): number {
    return this.db.prepare(`UPDATE jobs SET status = 'queued', started = NULL, pages_done = 0 WHERE status = 'running'`).run().changes;
  }

  start(id: string): boolean {
    return this.db.prepare(`UPDATE jobs SET status = 'running', started = ?, attempts = attempts + 1 WHERE id = ? AND status = 'queued'`).run(now(), id).changes === 1;
  }

  progress(id: string, done: number, total: number | null): void {
    this.db.prepare('UPDATE jobs SET pages_done = ?, pages_total = ? WHERE id = ?').run(done, total, id);
  }

  succeed(id: string, resultId: string, pages: number): void {
    this.db.prepare(`UPDATE jobs SET status = 'succeeded', result_id = ?, pages_done = ?, pages_total = ?, finished = ? WHERE id = ? AND status = 'running'`)
      .run(resultId, pages, pages, now(), id);
  }

  fail(id: string, error: { code: string; status: number; message: string }): void {
    this.db.prepare(`UPDATE jobs SET status = 'failed', error_code = ?, error_status = ?, error_message = ?, finished = ? WHERE id = ? AND status IN ('queued', 'running')`)
      .run(error.code, error.status, error.message, now(), id);
  }

  cancel(id: string): boolean {
    return this.db.prepare(`UPDATE jobs SET status = 'cancelled', finished = ? WHERE id = ? AND status IN ('queued', 'running')`).run(now(), id).changes === 1;
  }

  countsByStatus(): Record<JobStatus, number> {
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: JobStatus; n: number }[]) counts[r.status] = r.n;
    return counts;
  }
}

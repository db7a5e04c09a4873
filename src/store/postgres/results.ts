/** Stored conversion results in PostgreSQL; the report kept as the JSON text it was written as. */
import type { Report } from '../../model/report.js';
import { ENTRY_COLUMNS, LIST_COLUMNS, listValues, page, type ResultRow } from '../results.js';
import type { ResultPage, ResultQuery, ResultStore, StoredResult } from '../store.js';
import { iso } from './columns.js';
import type { PgDatabase } from './db.js';

export class PgResultStore implements ResultStore {
  constructor(private readonly db: PgDatabase) {}

  async get(id: string): Promise<StoredResult | null> {
    const rows = await this.db.query<Pick<ResultRow, 'owner' | 'sha256' | 'version' | 'report'>>('SELECT owner, sha256, version, report::text AS report FROM results WHERE id = $1', [id]);
    const r = rows[0];
    return r ? { owner: r.owner, sha256: r.sha256, version: r.version, report: JSON.parse(r.report) as Report } : null;
  }

  async findCached(owner: string | null, sha256: string, optionsKey: string): Promise<string | null> {
    const rows = await (owner === null
      ? this.db.query<{ id: string }>('SELECT id FROM results WHERE sha256 = $1 AND options_key = $2 ORDER BY created DESC LIMIT 1', [sha256, optionsKey])
      : this.db.query<{ id: string }>('SELECT id FROM results WHERE owner = $1 AND sha256 = $2 AND options_key = $3 ORDER BY created DESC LIMIT 1', [owner, sha256, optionsKey]));
    return rows[0]?.id ?? null;
  }

  async list(owner: string | null, q: ResultQuery): Promise<ResultPage | null> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (owner !== null) where.push(`results.owner = ${param(owner)}`);
    if (q.cursor !== undefined) {
      const at = await this.db.query<{ id: string }>(`SELECT id FROM results WHERE id = $1${owner !== null ? ' AND owner = $2' : ''}`, owner !== null ? [q.cursor, owner] : [q.cursor]);
      if (!at.length) return null;
      where.push(`(results.created, results.id) < (SELECT created, id FROM results AS c WHERE c.id = ${param(q.cursor)})`);
    }
    if (q.needsReview) where.push('results.queued > 0');
    for (const w of q.words ?? []) where.push(`strpos(lower(coalesce(results.agency, '') || ' ' || results.filename || ' ' || coalesce(results.year::text, '')), ${param(w)}) > 0`);
    // `created` leaves as an ISO string under its own name, so the order names the table's column.
    const columns = ENTRY_COLUMNS.replace(/\bcreated\b/, iso('created'));
    const rows = await this.db.query<ResultRow>(`SELECT ${columns} FROM results ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY results.created DESC, results.id DESC LIMIT ${param(q.limit + 1)}`, params);
    return page(rows, q.limit);
  }

  async counts(owner: string | null): Promise<{ results: number; needsReview: number }> {
    const sql = `SELECT COUNT(*)::int AS results, (COUNT(*) FILTER (WHERE queued > 0))::int AS needs FROM results${owner !== null ? ' WHERE owner = $1' : ''}`;
    const [r] = await this.db.query<{ results: number; needs: number }>(sql, owner !== null ? [owner] : []);
    return { results: r.results, needsReview: r.needs };
  }
}

/** Stored conversion results in PostgreSQL; the report kept as the JSON text it was written as. */
import type { ResultEntry } from '../../api/wire.js';
import type { Report } from '../../model/report.js';
import { resultEntry, type ResultRow } from '../results.js';
import type { ResultStore, StoredResult } from '../store.js';
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

  async list(owner: string | null, limit = 500): Promise<ResultEntry[]> {
    const columns = `id, filename, media_type, agency, year, template, confidence, checks_failed, low_confidence, version, ${iso('created')}`;
    const rows = await (owner === null
      ? this.db.query<ResultRow>(`SELECT ${columns} FROM results ORDER BY results.created DESC LIMIT $1`, [limit])
      : this.db.query<ResultRow>(`SELECT ${columns} FROM results WHERE owner = $1 ORDER BY results.created DESC LIMIT $2`, [owner, limit]));
    return rows.map(resultEntry);
  }
}

/** Stored conversion results in SQLite. */
import type { ResultEntry } from '../api/wire.js';
import type { Report } from '../model/report.js';
import type { DB } from './db.js';
import type { ResultStore, StoredResult } from './store.js';

/** A results row as both databases give it (the report as JSON text, timestamps as ISO strings). */
export interface ResultRow {
  id: string; owner: string; sha256: string; options_key: string; filename: string; media_type: string; agency: string | null;
  year: number | null; template: string; confidence: number; checks_failed: number; low_confidence: number; version: number;
  report: string; created: string;
}

export const resultEntry = (r: ResultRow): ResultEntry => ({
  id: r.id, filename: r.filename, mediaType: r.media_type, agency: r.agency, year: r.year, template: r.template,
  confidence: r.confidence, checksFailed: r.checks_failed, lowConfidence: r.low_confidence, version: r.version, created: r.created,
});

/** The columns a new result fills, and their values in that order: one INSERT for both databases. */
export const RESULT_COLUMNS = 'id, owner, sha256, options_key, filename, media_type, agency, year, template, confidence, checks_failed, low_confidence, report, created';

export const resultValues = (owner: string, optionsKey: string, report: Report): unknown[] => [
  report.id, owner, report.source.sha256, optionsKey, report.source.filename, report.source.mediaType, report.report.agency, report.report.year,
  report.report.template, report.summary.confidence, report.summary.checksFailed, report.summary.lowConfidence, JSON.stringify(report), new Date().toISOString(),
];

export class SqliteResultStore implements ResultStore {
  constructor(private readonly db: DB) {}

  async get(id: string): Promise<StoredResult | null> {
    const r = this.db.prepare('SELECT * FROM results WHERE id = ?').get(id) as ResultRow | undefined;
    return r ? { owner: r.owner, sha256: r.sha256, version: r.version, report: JSON.parse(r.report) as Report } : null;
  }

  async findCached(owner: string | null, sha256: string, optionsKey: string): Promise<string | null> {
    const r = (owner === null
      ? this.db.prepare('SELECT id FROM results WHERE sha256 = ? AND options_key = ? ORDER BY created DESC LIMIT 1').get(sha256, optionsKey)
      : this.db.prepare('SELECT id FROM results WHERE owner = ? AND sha256 = ? AND options_key = ? ORDER BY created DESC LIMIT 1').get(owner, sha256, optionsKey)) as { id: string } | undefined;
    return r?.id ?? null;
  }

  async list(owner: string | null, limit = 500): Promise<ResultEntry[]> {
    const columns = 'id, filename, media_type, agency, year, template, confidence, checks_failed, low_confidence, version, created';
    const rows = (owner === null
      ? this.db.prepare(`SELECT ${columns} FROM results ORDER BY created DESC LIMIT ?`).all(limit)
      : this.db.prepare(`SELECT ${columns} FROM results WHERE owner = ? ORDER BY created DESC LIMIT ?`).all(owner, limit)) as ResultRow[];
    return rows.map(resultEntry);
  }
}

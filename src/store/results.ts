/** Stored conversion results in SQLite. */
import type { ResultEntry } from '../api/wire.js';
import { queuedBySummary } from '../check/queue.js';
import type { Report } from '../model/report.js';
import type { DB } from './db.js';
import type { ResultPage, ResultQuery, ResultStore, StoredResult } from './store.js';

/** A results row as both databases give it (the report as JSON text, timestamps as ISO strings). */
export interface ResultRow {
  id: string; owner: string; sha256: string; options_key: string; filename: string; media_type: string; agency: string | null;
  year: number | null; template: string; confidence: number; checks_failed: number; low_confidence: number; queued: number; version: number;
  report: string; created: string;
}

export const resultEntry = (r: ResultRow): ResultEntry => ({
  id: r.id, filename: r.filename, mediaType: r.media_type, agency: r.agency, year: r.year, template: r.template,
  confidence: r.confidence, checksFailed: r.checks_failed, lowConfidence: r.low_confidence, queued: r.queued, version: r.version, created: r.created,
});

/** The list's columns that a report as served decides, in this order: set at conversion and again by every correction. */
export const LIST_COLUMNS = ['agency', 'year', 'template', 'confidence', 'checks_failed', 'low_confidence', 'queued'] as const;

export const listValues = (report: Report): unknown[] => [
  report.report.agency, report.report.year, report.report.template, report.summary.confidence, report.summary.checksFailed,
  report.summary.lowConfidence, queuedBySummary(report),
];

/** The list's columns, without the report. */
export const ENTRY_COLUMNS = 'id, filename, media_type, agency, year, template, confidence, checks_failed, low_confidence, queued, version, created';

/** One page of entries (one more than asked, to know whether another page follows) → the page. */
export function page(rows: ResultRow[], limit: number): ResultPage {
  const more = rows.length > limit;
  const results = rows.slice(0, limit).map(resultEntry);
  return { results, nextCursor: more ? results.at(-1)!.id : null };
}

/** The columns a new result fills, and their values in that order: one INSERT for both databases (JobStore.succeed). */
export const RESULT_COLUMNS = `id, owner, sha256, options_key, filename, media_type, ${LIST_COLUMNS.join(', ')}, report, created`;

export const resultValues = (owner: string, optionsKey: string, report: Report): unknown[] => [
  report.id, owner, report.source.sha256, optionsKey, report.source.filename, report.source.mediaType, ...listValues(report),
  JSON.stringify(report), new Date().toISOString(),
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

  async list(owner: string | null, q: ResultQuery): Promise<ResultPage | null> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (owner !== null) {
      where.push('owner = ?');
      params.push(owner);
    }
    if (q.cursor !== undefined) {
      const at = this.db.prepare(`SELECT created, id FROM results WHERE id = ?${owner !== null ? ' AND owner = ?' : ''}`)
        .get(...(owner !== null ? [q.cursor, owner] : [q.cursor])) as { created: string; id: string } | undefined;
      if (!at) return null;
      where.push('(created < ? OR (created = ? AND id < ?))');
      params.push(at.created, at.created, at.id);
    }
    // `+`: not by results_review (the counts' index), which would sort every match; the list's index
    // walks in order and holds queued, so a page reads only its own rows.
    if (q.needsReview) where.push('+queued > 0');
    for (const w of q.words ?? []) {
      where.push(`instr(lower(coalesce(agency, '') || ' ' || filename || ' ' || coalesce(year, '')), ?) > 0`);
      params.push(w);
    }
    const rows = this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM results ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created DESC, id DESC LIMIT ?`).all(...params, q.limit + 1) as ResultRow[];
    return page(rows, q.limit);
  }

  async counts(owner: string | null): Promise<{ results: number; needsReview: number }> {
    const r = (owner === null
      ? this.db.prepare('SELECT COUNT(*) AS results, COUNT(*) FILTER (WHERE queued > 0) AS needs FROM results').get()
      : this.db.prepare('SELECT COUNT(*) AS results, COUNT(*) FILTER (WHERE queued > 0) AS needs FROM results WHERE owner = ?').get(owner)) as { results: number; needs: number };
    return { results: r.results, needsReview: r.needs };
  }
}

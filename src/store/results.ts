/** Stored conversion results: the model as converted, listed for the correction UI, found again by content hash. */
import type { ResultEntry } from '../api/wire.js';
import type { Report } from '../model/report.js';
import type { DB } from './db.js';

interface Row {
  id: string; owner: string; sha256: string; options_key: string; filename: string; media_type: string; agency: string | null;
  year: number | null; template: string; confidence: number; checks_failed: number; low_confidence: number; version: number;
  report: string; created: string;
}

const entry = (r: Row): ResultEntry => ({
  id: r.id, filename: r.filename, mediaType: r.media_type, agency: r.agency, year: r.year, template: r.template,
  confidence: r.confidence, checksFailed: r.checks_failed, lowConfidence: r.low_confidence, version: r.version, created: r.created,
});

export interface StoredResult {
  owner: string;
  sha256: string;
  version: number;
  report: Report;
}

export class ResultStore {
  constructor(private readonly db: DB) {}

  save(owner: string, optionsKey: string, report: Report): void {
    this.db.prepare(`INSERT INTO results (id, owner, sha256, options_key, filename, media_type, agency, year, template, confidence, checks_failed, low_confidence, report, created)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      report.id, owner, report.source.sha256, optionsKey, report.source.filename, report.source.mediaType, report.report.agency, report.report.year,
      report.report.template, report.summary.confidence, report.summary.checksFailed, report.summary.lowConfidence, JSON.stringify(report), new Date().toISOString(),
    );
  }

  get(id: string): StoredResult | null {
    const r = this.db.prepare('SELECT * FROM results WHERE id = ?').get(id) as Row | undefined;
    return r ? { owner: r.owner, sha256: r.sha256, version: r.version, report: JSON.parse(r.report) as Report } : null;
  }

  /** The newest result of the same bytes and options for this owner (null owner: anyone's). */
  findCached(owner: string | null, sha256: string, optionsKey: string): string | null {
    const r = (owner === null
      ? this.db.prepare('SELECT id FROM results WHERE sha256 = ? AND options_key = ? ORDER BY created DESC LIMIT 1').get(sha256, optionsKey)
      : this.db.prepare('SELECT id FROM results WHERE owner = ? AND sha256 = ? AND options_key = ? ORDER BY created DESC LIMIT 1').get(owner, sha256, optionsKey)) as { id: string } | undefined;
    return r?.id ?? null;
  }

  list(owner: string | null, limit = 500): ResultEntry[] {
    const columns = 'id, filename, media_type, agency, year, template, confidence, checks_failed, low_confidence, version, created';
    const rows = (owner === null
      ? this.db.prepare(`SELECT ${columns} FROM results ORDER BY created DESC LIMIT ?`).all(limit)
      : this.db.prepare(`SELECT ${columns} FROM results WHERE owner = ? ORDER BY created DESC LIMIT ?`).all(owner, limit)) as Row[];
    return rows.map(entry);
  }
}

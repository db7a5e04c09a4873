/** Manual corrections in SQLite; the version check, the rows and the list's columns written in one transaction. */
import type { CorrectionEntry, CorrectionState } from '../api/wire.js';
import type { Report } from '../model/report.js';
import type { DB } from './db.js';
import { LIST_COLUMNS, listValues } from './results.js';
import type { CorrectionStore, NewCorrection } from './store.js';

/** A corrections row as both databases give it. */
export interface CorrectionRow {
  key: string; old_value: number | null; new_value: number | null; old_text: string | null; new_text: string | null;
  old_state: CorrectionState; new_state: CorrectionState; who: string; at: string; version: number;
}

export const CORRECTION_COLUMNS = 'key, old_value, new_value, old_text, new_text, old_state, new_state, who';

export const correctionEntry = (r: CorrectionRow): CorrectionEntry => ({
  key: r.key, oldValue: r.old_value, newValue: r.new_value, oldText: r.old_text, newText: r.new_text,
  oldState: r.old_state, newState: r.new_state, who: r.who, at: r.at, version: r.version,
});

export const correctionValues = (c: NewCorrection): unknown[] => [c.key, c.oldValue, c.newValue, c.oldText, c.newText, c.oldState, c.newState, c.who];

export class SqliteCorrectionStore implements CorrectionStore {
  constructor(private readonly db: DB) {}

  async list(resultId: string): Promise<CorrectionEntry[]> {
    return (this.db.prepare(`SELECT ${CORRECTION_COLUMNS}, at, version FROM corrections WHERE result_id = ? ORDER BY id`).all(resultId) as CorrectionRow[]).map(correctionEntry);
  }

  async save(resultId: string, baseVersion: number, changes: NewCorrection[], after: Report): Promise<number | null> {
    return this.db.transaction(() => {
      const bumped = this.db.prepare(`UPDATE results SET version = version + 1, ${LIST_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND version = ?`)
        .run(...listValues(after), resultId, baseVersion);
      if (bumped.changes !== 1) return null;
      const version = baseVersion + 1;
      const at = new Date().toISOString();
      const insert = this.db.prepare(`INSERT INTO corrections (result_id, version, ${CORRECTION_COLUMNS}, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const c of changes) insert.run(resultId, version, ...correctionValues(c), at);
      return version;
    })();
  }
}

/** Manual corrections in SQLite; the version check and the rows written in one transaction. */
import type { CorrectionEntry } from '../api/wire.js';
import type { CellState } from '../model/report.js';
import type { DB } from './db.js';
import type { CorrectionStore, NewCorrection } from './store.js';

/** A corrections row as both databases give it. */
export interface CorrectionRow { key: string; old_value: number | null; new_value: number | null; old_state: CellState; new_state: CellState; who: string; at: string; version: number }

export const correctionEntry = (r: CorrectionRow): CorrectionEntry => ({
  key: r.key, oldValue: r.old_value, newValue: r.new_value, oldState: r.old_state, newState: r.new_state, who: r.who, at: r.at, version: r.version,
});

export class SqliteCorrectionStore implements CorrectionStore {
  constructor(private readonly db: DB) {}

  async list(resultId: string): Promise<CorrectionEntry[]> {
    return (this.db.prepare('SELECT key, old_value, new_value, old_state, new_state, who, at, version FROM corrections WHERE result_id = ? ORDER BY id').all(resultId) as CorrectionRow[]).map(correctionEntry);
  }

  async save(resultId: string, baseVersion: number, changes: NewCorrection[]): Promise<number | null> {
    return this.db.transaction(() => {
      const bumped = this.db.prepare('UPDATE results SET version = version + 1 WHERE id = ? AND version = ?').run(resultId, baseVersion);
      if (bumped.changes !== 1) return null;
      const version = baseVersion + 1;
      const at = new Date().toISOString();
      const insert = this.db.prepare('INSERT INTO corrections (result_id, version, key, old_value, new_value, old_state, new_state, who, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const c of changes) insert.run(resultId, version, c.key, c.oldValue, c.newValue, c.oldState, c.newState, c.who, at);
      return version;
    })();
  }
}

/**
 * Manual corrections in PostgreSQL. The save is optimistic: the result's version moves only from the
 * version the client loaded, in the same transaction as the rows and the list's columns; a stale save
 * from any process updates nothing and writes nothing (the route answers 409).
 */
import type { CorrectionEntry } from '../../api/wire.js';
import type { Report } from '../../model/report.js';
import { CORRECTION_COLUMNS, correctionEntry, correctionValues, type CorrectionRow } from '../corrections.js';
import { LIST_COLUMNS, listValues } from '../results.js';
import type { CorrectionStore, NewCorrection } from '../store.js';
import { iso } from './columns.js';
import type { PgDatabase } from './db.js';

export class PgCorrectionStore implements CorrectionStore {
  constructor(private readonly db: PgDatabase) {}

  async list(resultId: string): Promise<CorrectionEntry[]> {
    return (await this.db.query<CorrectionRow>(`SELECT ${CORRECTION_COLUMNS}, ${iso('at')}, version
      FROM corrections WHERE result_id = $1 ORDER BY id`, [resultId])).map(correctionEntry);
  }

  async save(resultId: string, baseVersion: number, changes: NewCorrection[], after: Report): Promise<number | null> {
    return this.db.transaction(async (query) => {
      // Under READ COMMITTED a concurrent save waits for this row, then sees the new version and matches nothing.
      const set = LIST_COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ');
      const bumped = await query<{ version: number }>(`UPDATE results SET version = version + 1, ${set} WHERE id = $1 AND version = $2 RETURNING version`,
        [resultId, baseVersion, ...listValues(after)]);
      if (bumped.length !== 1) return null;
      const version = bumped[0].version;
      const at = new Date().toISOString();
      for (const c of changes) {
        await query(`INSERT INTO corrections (result_id, version, ${CORRECTION_COLUMNS}, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [resultId, version, ...correctionValues(c), at]);
      }
      return version;
    });
  }
}

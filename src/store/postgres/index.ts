/** The PostgreSQL store (XXGK_DATABASE_URL): jobs, results, corrections, uploads and page images in one database. */
import type { Store } from '../store.js';
import { PgCorrectionStore } from './corrections.js';
import { PgDatabase } from './db.js';
import { PgDeliveryStore } from './deliveries.js';
import { PgJobStore } from './jobs.js';
import { PgResultStore } from './results.js';
import { PgUploadStore } from './uploads.js';

export function openPostgresStore(url: string): Store {
  const db = new PgDatabase(url);
  const jobs = new PgJobStore(db);
  return {
    kind: 'postgres',
    jobs,
    deliveries: new PgDeliveryStore(db, jobs),
    results: new PgResultStore(db),
    corrections: new PgCorrectionStore(db),
    files: new PgUploadStore(db),
    async ping() {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}

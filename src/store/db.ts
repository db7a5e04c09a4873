/**
 * The embedded database (SQLite, one file in the data directory): jobs, results and corrections
 * survive restarts. Uploads live beside it in a content-addressed file store.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type DB = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     filename TEXT NOT NULL,
     charset TEXT,
     options_key TEXT NOT NULL,
     lane TEXT NOT NULL,
     status TEXT NOT NULL,
     pages_done INTEGER NOT NULL DEFAULT 0,
     pages_total INTEGER,
     error_code TEXT,
     error_status INTEGER,
     error_message TEXT,
     callback_url TEXT,
     result_id TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     created TEXT NOT NULL,
     started TEXT,
     finished TEXT
   );
   CREATE INDEX jobs_status ON jobs(status, created);
   CREATE TABLE results (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     options_key TEXT NOT NULL,
     filename TEXT NOT NULL,
     media_type TEXT NOT NULL,
     agency TEXT,
     year INTEGER,
     template TEXT NOT NULL,
     confidence REAL NOT NULL,
     checks_failed INTEGER NOT NULL,
     low_confidence INTEGER NOT NULL,
     version INTEGER NOT NULL DEFAULT 0,
     report TEXT NOT NULL,
     created TEXT NOT NULL
   );
   CREATE INDEX results_cache ON results(owner, sha256, options_key);
   CREATE TABLE corrections (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     result_id TEXT NOT NULL REFERENCES results(id),
     version INTEGER NOT NULL,
     key TEXT NOT NULL,
     old_value REAL,
     new_value REAL,
     old_state TEXT NOT NULL,
     new_state TEXT NOT NULL,
     who TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX corrections_result ON corrections(result_id, id);`,
  // The review list: cells in the queue (rows from before: an estimate, exact after their next save); a
  // page in (created, id) order with the queued filter read from the index, per owner or over all
  // (XXGK_SHARED_RESULTS); the counts from (owner, queued); report fields corrected as text.
  `ALTER TABLE results ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
   UPDATE results SET queued = low_confidence + checks_failed;
   CREATE INDEX results_list ON results(owner, created, id, queued);
   CREATE INDEX results_review ON results(owner, queued);
   CREATE INDEX results_shared ON results(created, id, queued);
   ALTER TABLE corrections ADD COLUMN old_text TEXT;
   ALTER TABLE corrections ADD COLUMN new_text TEXT;`,
  // The webhook outbox: one row per job end with a callback URL (store.ts, DeliveryStore).
  `CREATE TABLE deliveries (
     id TEXT PRIMARY KEY,
     job_id TEXT NOT NULL UNIQUE REFERENCES jobs(id),
     url TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at TEXT NOT NULL,
     last_error TEXT,
     created TEXT NOT NULL
   );
   CREATE INDEX deliveries_due ON deliveries(status, next_at);`,
];

export function openDatabase(dataDir: string): DB {
  let db: DB;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, 'xxgk.db'));
    db.pragma('journal_mode = WAL');
  } catch (err) {
    // A read-only or missing data folder: say which folder, not just SQLite's words.
    throw new Error(`Cannot open the database in the data folder ${dataDir} (XXGK_DATA_DIR): ${(err as Error).message}. Make the folder writable.`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

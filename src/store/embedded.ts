/** The embedded store, the default: SQLite and the content-addressed file store, both in the data directory. */
import { join } from 'node:path';
import { SqliteCorrectionStore } from './corrections.js';
import { openDatabase } from './db.js';
import { FileStore } from './files.js';
import { SqliteDeliveryStore } from './deliveries.js';
import { SqliteJobStore } from './jobs.js';
import { SqliteResultStore } from './results.js';
import type { Store } from './store.js';

export function openEmbeddedStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  const files = new FileStore(join(dataDir, 'files'));
  const jobs = new SqliteJobStore(db);
  return {
    kind: 'sqlite',
    jobs,
    deliveries: new SqliteDeliveryStore(db, jobs),
    results: new SqliteResultStore(db),
    corrections: new SqliteCorrectionStore(db),
    files: {
      put: async (bytes) => files.put(bytes),
      get: async (sha256) => files.get(sha256),
      getDerived: async (sha256, name) => files.getDerived(sha256, name),
      putDerived: async (sha256, name, bytes) => files.putDerived(sha256, name, bytes),
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}

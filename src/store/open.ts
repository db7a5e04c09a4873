/** The store the configuration asks for: PostgreSQL when XXGK_DATABASE_URL is set, the embedded one otherwise. */
import { openEmbeddedStore } from './embedded.js';
import { openPostgresStore } from './postgres/index.js';
import type { Store } from './store.js';

export function openStore(config: { dataDir: string; databaseUrl: string | null }): Store {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : openEmbeddedStore(config.dataDir);
}

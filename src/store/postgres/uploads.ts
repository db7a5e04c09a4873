/** Uploads and page images in PostgreSQL as bytea, named by the upload's sha256 (computed here, never taken from a request). */
import { createHash } from 'node:crypto';
import type { UploadStore } from '../store.js';
import type { PgDatabase } from './db.js';

const HEX = /^[0-9a-f]{64}$/;
const NAME = /^[a-z0-9.-]+$/;

function checked(sha256: string): string {
  if (!HEX.test(sha256)) throw new Error('not a sha256');
  return sha256;
}

export class PgUploadStore implements UploadStore {
  constructor(private readonly db: PgDatabase) {}

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.db.query('INSERT INTO uploads (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [sha256, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | null> {
    return (await this.db.query<{ bytes: Buffer }>('SELECT bytes FROM uploads WHERE sha256 = $1', [checked(sha256)]))[0]?.bytes ?? null;
  }

  async getDerived(sha256: string, name: string): Promise<Buffer | null> {
    return (await this.db.query<{ bytes: Buffer }>('SELECT bytes FROM derived_files WHERE sha256 = $1 AND name = $2', [checked(sha256), name]))[0]?.bytes ?? null;
  }

  async putDerived(sha256: string, name: string, bytes: Uint8Array): Promise<void> {
    if (!NAME.test(name)) throw new Error('bad derived name');
    await this.db.query('INSERT INTO derived_files (sha256, name, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256, name) DO UPDATE SET bytes = EXCLUDED.bytes',
      [checked(sha256), name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  }
}

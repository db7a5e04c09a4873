/**
 * Content-addressed file store: a file's name is its sha256, so no request ever names a path.
 * Writes go to a temporary name first and are renamed into place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConvertError } from '../intake/errors.js';

const HEX = /^[0-9a-f]{64}$/;

export class FileStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private path(sha256: string, suffix = ''): string {
    if (!HEX.test(sha256)) throw new Error('not a sha256');
    return join(this.root, sha256.slice(0, 2), sha256 + suffix);
  }

  put(bytes: Uint8Array): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.path(sha256);
    if (!existsSync(target)) this.write(sha256, target, bytes);
    return sha256;
  }

  /** Writes by a temporary name and a rename; a folder that cannot be written is the service's fault, not the upload's. */
  private write(sha256: string, target: string, bytes: Uint8Array): void {
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
      writeFileSync(tmp, bytes);
      renameSync(tmp, target);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw storageError(err);
    }
  }

  get(sha256: string): Buffer | null {
    const p = this.path(sha256);
    return existsSync(p) ? readFileSync(p) : null;
  }

  /** Derived files cached beside an upload (page images), keyed by the upload's hash and a name. */
  getDerived(sha256: string, name: string): Buffer | null {
    const p = this.path(sha256, `.${name}`);
    return existsSync(p) ? readFileSync(p) : null;
  }

  putDerived(sha256: string, name: string, bytes: Uint8Array): void {
    if (!/^[a-z0-9.-]+$/.test(name)) throw new Error('bad derived name');
    this.write(sha256, this.path(sha256, `.${name}`), bytes);
  }

  remove(sha256: string): void {
    rmSync(this.path(sha256), { force: true });
  }
}

/** Errors of a data folder that cannot take writes (read-only, full, no permission): 503, naming the storage. */
const STORAGE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO']);

export function storageError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code || !STORAGE_CODES.has(code)) return err;
  return new ConvertError(
    'STORAGE_UNAVAILABLE', 503,
    `The service cannot write to its file store in the data folder (XXGK_DATA_DIR): ${code}${code === 'EROFS' ? ' (read-only file system)' : code === 'ENOSPC' ? ' (disk full)' : ''}. The upload was not stored; an operator must make the folder writable.`,
  );
}

/**
 * Content-addressed file store: a file's name is its sha256, so no request ever names a path.
 * Writes go to a temporary name first and are renamed into place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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
    if (!existsSync(target)) {
      mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, target);
    }
    return sha256;
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
    const target = this.path(sha256, `.${name}`);
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  }

  remove(sha256: string): void {
    rmSync(this.path(sha256), { force: true });
  }
}

/**
 * The resume index of a batch output folder: `<out>/.xxgk-batch-index.jsonl`, one JSON line per
 * finished file (sha256 of the input → the report JSON it produced, or the failure), appended as the
 * batch goes so a killed run keeps what it finished. The last line about a file wins; a torn last
 * line (the process died mid-write) is ignored.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const INDEX_FILE = '.xxgk-batch-index.jsonl';

export interface IndexEntry {
  /** Input path relative to the batch folder. */
  file: string;
  sha256: string;
  /** Size and modification time of the input when it was hashed: unchanged, the hash is not computed again. */
  size?: number;
  mtimeMs?: number;
  status: 'ok' | 'failed';
  /** Report JSON relative to the output folder (status ok). */
  output?: string;
  code?: string;
  message?: string;
  /** A failure that the same bytes will meet again (the document's fault, not the service's or the network's). */
  permanent?: boolean;
  /** Corrections a reviewer saved on the service, merged into the report JSON by --refresh-corrected. */
  corrected?: CorrectedCells;
  at: string;
}

export interface CorrectedCells {
  /** The result's version on the service the JSON now holds. */
  version: number;
  /** The latest change of each corrected cell. */
  cells: { key: string; who: string; at: string }[];
}

export class ResumeIndex {
  private readonly byFile = new Map<string, IndexEntry>();
  private readonly okByHash = new Map<string, IndexEntry>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async open(outDir: string): Promise<ResumeIndex> {
    const index = new ResumeIndex(join(outDir, INDEX_FILE));
    const text = await readFile(index.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as IndexEntry;
        if (typeof e.file === 'string' && typeof e.sha256 === 'string') index.remember(e);
      } catch {
        // a torn line from a killed run
      }
    }
    return index;
  }

  private remember(e: IndexEntry): void {
    this.byFile.set(e.file, e);
    if (e.status === 'ok' && e.output) this.okByHash.set(e.sha256, e);
  }

  get(file: string): IndexEntry | undefined {
    return this.byFile.get(file);
  }

  /** The latest successful conversion of these bytes, whichever file they came from. */
  okFor(sha256: string): IndexEntry | undefined {
    return this.okByHash.get(sha256);
  }

  /** Records an entry in memory and appends it to the file (appends are serialised). */
  record(entry: Omit<IndexEntry, 'at'>): Promise<void> {
    const e: IndexEntry = { ...entry, at: new Date().toISOString() };
    this.remember(e);
    const line = JSON.stringify(e) + '\n';
    const done = this.writing.then(() => appendFile(this.path, line, 'utf8'));
    this.writing = done.catch(() => undefined);
    return done;
  }

  flush(): Promise<void> {
    return this.writing;
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of a file, streamed (files of any size). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(h.digest('hex')));
  });
}

/**
 * ZIP packages (XLSX) written by yazl: deflated entries, UTF-8 names, and a fixed DOS timestamp
 * (1980-01-01 unless given), so that equal input gives equal bytes.
 */
import { ZipFile } from 'yazl';

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** Modification time (default: 1980-01-01). */
  date?: Date;
}

const EPOCH = new Date(1980, 0, 1);

export function zip(entries: ZipInput[]): Promise<Buffer> {
  const file = new ZipFile();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    file.outputStream.on('data', (c: Buffer) => chunks.push(c));
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    file.outputStream.on('error', reject);
  });
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
    file.addBuffer(data, e.name, { mtime: e.date ?? EPOCH, mode: 0o100644, forceDosTimestamp: true });
  }
  file.end();
  return done;
}

/**
 * Just enough ZIP to make LibreOffice's DOCX output reproducible: read the entries (yauzl) and write
 * them again with src/output/zip.ts, in the same order, with its fixed 1980-01-01 timestamp.
 */
import yauzl from 'yauzl';
import { zip } from '../../src/output/zip.js';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function readZip(buf: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export function writeZip(entries: ZipEntry[]): Promise<Buffer> {
  return zip(entries.map((e) => ({ name: e.name, data: e.data })));
}

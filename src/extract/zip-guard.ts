/**
 * Zip-bomb defence for Office files: the declared sizes are summed and every entry is inflated
 * with a running byte count, so a lying header cannot make us hold more than the limit. The
 * entries the caller needs are kept from that same pass.
 */
import yauzl from 'yauzl';
import { ConvertError } from '../intake/errors.js';

const MAX_ENTRIES = 10_000;

export interface ZipContents {
  names: Set<string>;
  /** The inflated bytes of the entries asked for by name. */
  kept: Map<string, Buffer>;
}

/**
 * `maxKeptBytes` bounds each kept entry on its own: the caller parses those in memory, which costs far
 * more than counting bytes (a 190 MB document.xml within the 200 MB budget would exhaust a worker).
 */
export async function inspectZip(bytes: Uint8Array, maxBytes: number, keep: string[], maxKeptBytes: number): Promise<ZipContents> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  ).catch((err: Error) => {
    throw new ConvertError('DOCX_CORRUPT', 422, `The Word document is damaged (its ZIP structure cannot be read: ${err.message}).`);
  });
  const names = new Set<string>();
  const kept = new Map<string, Buffer>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        names.add(entry.fileName);
        if (names.size > MAX_ENTRIES) return reject(new ConvertError('DOCX_TOO_LARGE', 413, `The Word document has more than ${MAX_ENTRIES} parts.`));
        total += entry.uncompressedSize;
        if (total > maxBytes) return reject(tooLarge(maxBytes));
        const keeping = keep.includes(entry.fileName);
        // The declared size is the one to check: validateEntrySizes fails an entry that inflates past it.
        if (keeping && entry.uncompressedSize > maxKeptBytes) return reject(partTooLarge(entry.fileName, maxKeptBytes));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('unreadable entry'));
          const chunks: Buffer[] | null = keeping ? [] : null;
          stream.on('data', (c: Buffer) => chunks?.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            if (chunks) kept.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } catch (err) {
    if (err instanceof ConvertError) throw err;
    throw new ConvertError('DOCX_CORRUPT', 422, `The Word document is damaged: ${(err as Error).message}.`);
  } finally {
    zip.close();
  }
  return { names, kept };
}

function partTooLarge(name: string, maxBytes: number): ConvertError {
  return new ConvertError('DOCX_TOO_LARGE', 413, `The Word document's ${name} decompresses to more than ${maxBytes} bytes, the most text this service reads from one document (XXGK_MAX_BYTES, as for an HTML page).`);
}

function tooLarge(maxBytes: number): ConvertError {
  return new ConvertError('DOCX_TOO_LARGE', 413, `The Word document decompresses to more than ${maxBytes} bytes (XXGK_MAX_DECOMPRESSED_BYTES); refused as a possible zip bomb.`);
}

/**
 * pdf.js decodes a stream whole, into one buffer that doubles as it grows, before it parses a byte of it:
 * a content stream that inflates to gigabytes costs gigabytes, off the worker's bounded heap. So every
 * Flate or LZW stream that is not an image (pdf.js decodes images only up to their declared size, and
 * refuses large ones) is decoded here first, counting and discarding, and a PDF with one past the limit is
 * refused before pdf.js sees it. Streams are found by their `stream` keyword, so a damaged cross-reference
 * table hides none.
 */
import { inflateSync } from 'node:zlib';
import { ConvertError } from '../../intake/errors.js';

/** How far back from `stream` its dictionary may start (dictionaries of real files are far shorter). */
const DICT_WINDOW = 8192;

export function checkStreamSizes(bytes: Uint8Array, maxStreamBytes: number): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buf.indexOf('stream'); at >= 0; at = buf.indexOf('stream', at + 6)) {
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue;
    const eol = buf[at + 6] === 0x0d ? (buf[at + 7] === 0x0a ? 2 : 1) : buf[at + 6] === 0x0a ? 1 : 0;
    if (!eol) continue;
    const from = Math.max(0, at - DICT_WINDOW);
    const obj = buf.lastIndexOf(' obj', at, 'latin1');
    const dict = buf.toString('latin1', obj >= from ? obj : from, at);
    if (/\/Subtype\s*\/Image\b/.test(dict)) continue;
    // The first decoder only: the one that expands (ASCII layers come off, never on, before it).
    const filter = /\/Filter\s*\[?\s*\/(\w+)/.exec(dict)?.[1];
    if (filter !== 'FlateDecode' && filter !== 'Fl' && filter !== 'LZWDecode' && filter !== 'LZW') continue;
    const start = at + 6 + eol;
    let end = buf.indexOf('endstream', start);
    if (end < 0) end = buf.length;
    const data = buf.subarray(start, end);
    const early = /\/EarlyChange\s+0\b/.test(dict) ? 0 : 1;
    const size = filter.startsWith('L') ? lzwSize(data, maxStreamBytes, early) : inflatedSize(data, maxStreamBytes);
    if (size > maxStreamBytes) {
      throw new ConvertError(
        'PDF_STREAM_TOO_LARGE', 413,
        `A stream of the PDF (at byte ${at}) decompresses to more than ${Math.round(maxStreamBytes / 2 ** 20)} MB (XXGK_MAX_PDF_STREAM_BYTES); no report needs that much. Print the document to a new PDF.`,
      );
    }
  }
}

/**
 * Bytes `data` inflates to, or more than `limit` when it inflates past it (zlib stops there). Damage (a
 * truncated stream, a wrong checksum) ends the count below the limit: pdf.js gets no further either.
 */
function inflatedSize(data: Uint8Array, limit: number): number {
  try {
    return inflateSync(data, { maxOutputLength: limit + 1 }).length;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? limit + 1 : 0;
  }
}

/** Bytes an LZW stream (PDF flavour: 9–12 bit codes, 256 clear, 257 end) decodes to, by string lengths only. */
function lzwSize(data: Uint8Array, limit: number, earlyChange: number): number {
  const lengths = new Uint16Array(4096).fill(1, 0, 256);
  let next = 258;
  let width = 9;
  let prev = -1;
  let total = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << 8) | data[i]) & 0xffffff;
    bits += 8;
    while (bits >= width) {
      const code = (acc >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      if (code === 256) {
        next = 258;
        width = 9;
        prev = -1;
        continue;
      }
      if (code === 257) return total;
      let len: number;
      if (code < next) len = lengths[code];
      else if (code === next && prev >= 0) len = lengths[prev] + 1;
      else return total; // damaged: pdf.js stops here too
      total += len;
      if (total > limit) return total;
      if (prev >= 0 && next < 4096) lengths[next++] = lengths[prev] + 1;
      prev = code;
      if (next + earlyChange >= 1 << width && width < 12) width++;
    }
  }
  return total;
}

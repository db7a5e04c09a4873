/**
 * pdf.js decodes a stream whole, into one buffer that doubles as it grows, before it parses a byte of it:
 * a content stream that inflates to gigabytes costs gigabytes, off the worker's bounded heap. So every
 * stream, images' included (a Flate layer under an image's DCT or JPX codec is read whole too), is decoded
 * here first through its filter chain, as pdf.js will see it (decrypted with the empty user password when
 * the file is encrypted), and a PDF with one whose Flate, LZW or RunLength layer expands past the limit is
 * refused before pdf.js sees it. Streams are found by their `stream` keyword, so a damaged
 * cross-reference table hides none. A stream too short to reach the limit through its chain's filters at
 * their most expanding is not decoded (most of a file's streams).
 */
import { constants, inflateSync } from 'node:zlib';
import { ConvertError } from '../../intake/errors.js';
import { ascii85, asciiHex, lzw, runLength } from './stream-filters.js';
import { objectText, topLevelOnly } from './raw-objects.js';
import { streamDecrypter } from './stream-decrypt.js';

/** How far back from `stream` its dictionary may start (dictionaries of real files are far shorter). */
const DICT_WINDOW = 8192;

export function checkStreamSizes(bytes: Uint8Array, maxStreamBytes: number): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decrypt = streamDecrypter(buf);
  for (let at = buf.indexOf('stream'); at >= 0; at = buf.indexOf('stream', at + 6)) {
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue;
    const eol = buf[at + 6] === 0x0d ? (buf[at + 7] === 0x0a ? 2 : 1) : buf[at + 6] === 0x0a ? 1 : 0;
    if (!eol) continue;
    const from = Math.max(0, at - DICT_WINDOW);
    const obj = buf.lastIndexOf(' obj', at, 'latin1');
    const dict = buf.toString('latin1', obj >= from ? obj : from, at);
    const filters = filterChain(buf, dict);
    if (!filters.some((f) => EXPANDING.has(f))) continue;
    const start = at + 6 + eol;
    let end = buf.indexOf('endstream', start);
    if (end < 0) end = buf.length;
    if (mostBytes(end - start, filters) <= maxStreamBytes) continue;
    let data: Uint8Array = buf.subarray(start, end);
    const id = obj >= from ? /(\d+)\s+(\d+)$/.exec(buf.toString('latin1', Math.max(0, obj - 24), obj)) : null;
    if (decrypt && id) data = decrypt(data, Number(id[1]), Number(id[2]), dict);
    if (decodedSize(data, filters, dict, maxStreamBytes) > maxStreamBytes) {
      throw new ConvertError(
        'PDF_STREAM_TOO_LARGE', 413,
        `A stream of the PDF (at byte ${at}) decompresses to more than ${Math.round(maxStreamBytes / 2 ** 20)} MB (XXGK_MAX_PDF_STREAM_BYTES); no report needs that much. Print the document to a new PDF.`,
      );
    }
  }
}

/** Filters that can multiply their input (the others, ASCII layers and image codecs, do not or are bounded). */
const EXPANDING = new Set(['FlateDecode', 'LZWDecode', 'RunLengthDecode']);
/**
 * The most bytes a filter makes of one: deflate 258 from 2 bits; LZW at most a 4096-byte sequence from a
 * 9-bit code; RunLength 128 from 2; ASCII85 4 from its `z`; ASCIIHex halves. Decryption never grows data.
 */
const MOST_GROWTH: Record<string, number> = { FlateDecode: 1032, LZWDecode: 3641, RunLengthDecode: 64, ASCII85Decode: 4, ASCIIHexDecode: 0.5 };
const IMAGE_CODECS = new Set(['DCTDecode', 'JPXDecode', 'CCITTFaxDecode', 'JBIG2Decode']);
const ABBREVIATIONS: Record<string, string> = { Fl: 'FlateDecode', LZW: 'LZWDecode', RL: 'RunLengthDecode', AHx: 'ASCIIHexDecode', A85: 'ASCII85Decode', DCT: 'DCTDecode', JPX: 'JPXDecode', CCF: 'CCITTFaxDecode' };

const NAME = String.raw`\/[^\s/<>\[\]()%]+`;
const REF = String.raw`\d+\s+\d+\s+R`;
const VALUE = new RegExp(String.raw`^\s*(\[[^\]]*\]|${NAME}|${REF})`);

/**
 * The stream's filters in decoding order, abbreviations spelled out, as pdf.js reads them: from /F when
 * present (its abbreviation, which pdf.js takes first), else /Filter; indirect values followed; `#xx`
 * escapes in names decoded.
 */
function filterChain(buf: Buffer, dict: string): string[] {
  // The stream dictionary's own keys: a nested one (a font named /F in its /Resources) is not its filter.
  const own = topLevelOnly(dict);
  const key = /\/F(?![^\s/<>\[\]()%])/.exec(own) ?? /\/Filter(?![^\s/<>\[\]()%])/.exec(own);
  const value = key && resolve(buf, VALUE.exec(dict.slice(key.index + key[0].length))?.[1]);
  if (!value) return [];
  const items = value.startsWith('[') ? value.slice(1, -1).match(new RegExp(`${NAME}|${REF}`, 'g')) ?? [] : [value];
  return items.map((item) => {
    const name = (resolve(buf, item) ?? '').slice(1).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return ABBREVIATIONS[name] ?? name;
  });
}

/** `value` itself, or the name or array an indirect reference points at. */
function resolve(buf: Buffer, value: string | undefined): string | null {
  const ref = value && /^(\d+)\s+(\d+)\s+R$/.exec(value);
  if (!ref) return value ?? null;
  return VALUE.exec(objectText(buf, ref[1], ref[2]) ?? '')?.[1] ?? null;
}

/** The most bytes `length` bytes can decode to through `filters`, up to an image codec (pdf.js bounds those). */
function mostBytes(length: number, filters: string[]): number {
  let most = length;
  for (const f of filters) {
    if (IMAGE_CODECS.has(f)) break;
    most = Math.ceil(most * (MOST_GROWTH[f] ?? 1));
  }
  return most;
}

/**
 * Bytes the chain decodes to, or more than `limit` as soon as any layer does (pdf.js holds each layer's
 * output whole). Decoding stops at an image codec (pdf.js bounds those by the image's declared size).
 */
function decodedSize(data: Uint8Array, filters: string[], dict: string, limit: number): number {
  for (let i = 0; i < filters.length; i++) {
    switch (filters[i]) {
      case 'ASCIIHexDecode': data = asciiHex(data); break;
      case 'ASCII85Decode': data = ascii85(data); break;
      case 'RunLengthDecode': {
        const out = runLength(data, limit);
        if (!out) return limit + 1;
        data = out;
        break;
      }
      case 'FlateDecode': {
        const out = inflated(data, limit);
        if (!out) return limit + 1;
        data = out;
        break;
      }
      case 'LZWDecode': {
        const out = lzw(data, limit, /\/EarlyChange\s+0\b/.test(dict) ? 0 : 1);
        if (!out) return limit + 1;
        data = out;
        break;
      }
      default:
        if (IMAGE_CODECS.has(filters[i])) return data.length;
        // pdf.js passes a filter it does not know (/Crypt among them) through unchanged.
    }
    if (data.length > limit) return data.length;
  }
  return data.length;
}

/**
 * What `data` inflates to, or null past `limit` bytes (zlib stops there). A truncated stream gives what
 * it holds, as pdf.js does; other damage (a bad block, a wrong checksum) ends it empty.
 */
function inflated(data: Uint8Array, limit: number): Uint8Array | null {
  try {
    return inflateSync(data, { maxOutputLength: limit + 1, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? null : new Uint8Array(0);
  }
}

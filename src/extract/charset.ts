/** Turns the bytes of a text or HTML file into a string: BOM, declared charset, or detection; never assumed. */
// node:buffer's isUtf8 checks without decoding: 5 ms where a fatal TextDecoder took 800 on 16 MB.
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { ConvertError } from '../intake/errors.js';

// Required on first use: most files are UTF-8 and need neither (together about 0.05 s of a process's start).
const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');
const chardet = () => require('chardet') as typeof import('chardet');

export interface Decoded {
  text: string;
  encoding: string;
  /** Replacement characters produced for bytes that are not valid in the encoding. */
  invalid: number;
}

const ALIASES: Record<string, string> = {
  gb2312: 'gb18030', gbk: 'gb18030', 'x-gbk': 'gb18030', gb18030: 'gb18030', cp936: 'gb18030',
  big5: 'big5', 'big5-hkscs': 'big5', 'utf-8': 'utf-8', utf8: 'utf-8',
  'utf-16': 'utf-16le', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be',
};

export function normaliseCharset(name: string): string | null {
  const n = name.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (ALIASES[n]) return ALIASES[n];
  return iconv().encodingExists(n) ? n : null;
}

function decodeWith(bytes: Uint8Array, encoding: string): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = encoding === 'utf-8' ? buf.toString('utf8') : iconv().decode(buf, encoding);
  let invalid = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) invalid++;
  return { text: text.replace(/^\ufeff/, ''), encoding, invalid };
}


/** A few bad bytes happen in real pages; more than this means the encoding is wrong or the file is damaged. */
function tolerable(d: Decoded): boolean {
  return d.invalid <= Math.max(3, d.text.length * 0.001);
}

/**
 * Decodes `bytes`. `declared` is the charset named by the HTTP header or an HTML <meta>; when the
 * bytes are not valid in it, detection gets one chance, and failing that the file is refused.
 */
export function decodeText(bytes: Uint8Array, declared?: string | null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeWith(bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith(bytes.subarray(2), 'utf-16be');
  const wanted = declared ? normaliseCharset(declared) : null;
  if (wanted) {
    const d = wanted === 'utf-8' ? (isUtf8(bytes) ? decodeWith(bytes, 'utf-8') : null) : decodeWith(bytes, wanted);
    if (d && tolerable(d)) return d;
  }
  if (isUtf8(bytes)) return decodeWith(bytes, 'utf-8');
  const candidates = chardet().analyse(bytes).map((c) => normaliseCharset(c.name)).filter((c): c is string => !!c);
  for (const enc of [...new Set([...candidates.filter((c) => c === 'gb18030' || c === 'big5'), 'gb18030', 'big5'])]) {
    const d = decodeWith(bytes, enc);
    if (tolerable(d)) return d;
  }
  throw new ConvertError(
    'INVALID_ENCODING', 422,
    `The text is not valid ${declared ? `${declared} (as declared)` : 'UTF-8'} and is not GB18030 or Big5 either: the file is damaged or in an unsupported encoding.`,
  );
}

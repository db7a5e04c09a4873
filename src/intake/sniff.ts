/** Decides what a file is from its bytes; a name or a declared type is only checked against that. */
import { ConvertError } from './errors.js';

export type Format = 'text' | 'html' | 'docx' | 'doc' | 'pdf' | 'image';

export interface Sniffed {
  format: Format;
  mediaType: string;
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/bmp']);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What a file name's extension claims, for the mismatch check. */
const EXTENSION_FORMAT: Record<string, Format> = {
  txt: 'text', md: 'text', text: 'text', csv: 'text',
  html: 'html', htm: 'html', shtml: 'html', xhtml: 'html',
  docx: 'docx', doc: 'doc', pdf: 'pdf',
  png: 'image', jpg: 'image', jpeg: 'image', tif: 'image', tiff: 'image', webp: 'image', bmp: 'image',
};

function looksLikeHtml(head: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|table|div|p|h[1-6])\b/i.test(head)
    || /<(html|body|table)\b[^>]*>/i.test(head.slice(0, 4096));
}

function isUtf16Bom(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}

/** A UTF-16 charset named by the client (utf-16, utf-16le, utf-16be), for text sent without a BOM. */
function declaredUtf16(charset: string | null | undefined): 'utf-16le' | 'utf-16be' | null {
  const m = /^\s*["']?utf-?16(le|be)?["']?\s*$/i.exec(charset ?? '');
  return m ? (m[1]?.toLowerCase() === 'be' ? 'utf-16be' : 'utf-16le') : null;
}

/** A UTF-8 BOM as latin1 reads it. */
const UTF8_BOM = /^\u00ef\u00bb\u00bf/;

/** Text or HTML by content, or null when the head has the NULs and control bytes of a binary file. */
function classifyText(head: string): Sniffed | null {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return null;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) control++;
  }
  if (control > head.length * 0.01 + 2) return null;
  head = head.replace(UTF8_BOM, '');
  if (looksLikeHtml(head)) return { format: 'html', mediaType: 'text/html' };
  // An SVG drawing is XML text too, but a picture, not a report: refused rather than read as prose.
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!doctype[^>]*>\s*)*<svg\b/i.test(head)) {
    throw new ConvertError('UNSUPPORTED_TYPE', 415, 'The file is an SVG drawing, not a report. Send the report itself: PDF, DOCX, DOC, HTML, plain text or a scan (PNG, JPEG, TIFF, WebP, BMP).');
  }
  return { format: 'text', mediaType: 'text/plain' };
}

/**
 * Whether the head needs file-type's magic numbers: it does unless it is plainly text that no
 * magic matches, i.e. it starts with a non-ASCII byte (Chinese in UTF-8, GB18030 or Big5) or with
 * markup other than <?xml. file-type costs ~0.1–0.2 s to load, so a text report's or a PDF's CLI run skips it.
 */
function needsMagic(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1').replace(UTF8_BOM, '').trimStart();
  return !(text.charCodeAt(0) >= 0x80 || (text[0] === '<' && !text.startsWith('<?xml')));
}

async function sniffBytes(bytes: Uint8Array, charset: string | null | undefined): Promise<Sniffed | null> {
  const head = bytes.subarray(0, 8192);
  // What file-type answers for every file starting with %PDF (its checks before that one need other first bytes).
  if (Buffer.from(head.subarray(0, 4)).toString('latin1') === '%PDF') return { format: 'pdf', mediaType: 'application/pdf' };
  if (needsMagic(head)) {
    const { fileTypeFromBuffer } = await import('file-type');
    const ft = await fileTypeFromBuffer(bytes);
    if (ft) {
      if (ft.mime === DOCX) return { format: 'docx', mediaType: DOCX };
      if (ft.ext === 'cfb') return { format: 'doc', mediaType: 'application/msword' };
      if (IMAGE_TYPES.has(ft.mime)) return { format: 'image', mediaType: ft.mime };
      if (ft.ext === 'zip') return { format: 'docx', mediaType: 'application/zip' };
      if (ft.mime === 'application/xml' || ft.ext === 'xml') {
        // XHTML pages come back as XML.
        const xmlHead = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
        if (looksLikeHtml(xmlHead)) return { format: 'html', mediaType: 'text/html' };
      }
      return null;
    }
  }
  if (isUtf16Bom(head)) return classifyText(new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(head));
  // Text in any of the encodings we read (UTF-8, GB18030, Big5) has no NUL and few control bytes;
  // UTF-16 without a BOM has NULs, and is text only when the client declared it.
  const utf16 = declaredUtf16(charset);
  return classifyText(Buffer.from(head).toString('latin1')) ?? (utf16 ? classifyText(new TextDecoder(utf16).decode(head)) : null);
}

/** `charset` is the one the client declared (Content-Type): UTF-16 text without a BOM is only known by it. */
export async function sniff(bytes: Uint8Array, filename?: string, charset?: string | null): Promise<Sniffed> {
  if (bytes.length === 0) throw new ConvertError('EMPTY_BODY', 400, 'The request carries no file: the body is empty.');
  const found = await sniffBytes(bytes, charset);
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const claimed = ext ? EXTENSION_FORMAT[ext] : undefined;
  if (!found) {
    throw new ConvertError(
      'UNSUPPORTED_TYPE', 415,
      `Cannot tell what this file is from its bytes${ext ? ` (named .${ext})` : ''}. Supported: PDF, DOCX, DOC, HTML, plain text, PNG, JPEG, TIFF, WebP, BMP.`,
    );
  }
  if (found.mediaType === 'application/zip' && claimed !== 'docx') {
    throw new ConvertError('UNSUPPORTED_TYPE', 415, 'The file is a ZIP archive that is not a Word document (DOCX).');
  }
  // Text and HTML are told apart by content; a .txt holding HTML (or the reverse) is still readable.
  const textual = (f: Format) => f === 'text' || f === 'html';
  if (claimed && claimed !== found.format && !(textual(claimed) && textual(found.format))
      && !(claimed === 'doc' && found.format === 'docx')) {
    throw new ConvertError(
      'TYPE_MISMATCH', 415,
      `The file is named .${ext} but its bytes are ${describe(found)}. Rename it or send the right file.`,
    );
  }
  return found;
}

function describe(s: Sniffed): string {
  switch (s.format) {
    case 'image': return `an image (${s.mediaType})`;
    case 'pdf': return 'a PDF';
    case 'docx': return 'a Word document (DOCX)';
    case 'doc': return 'a legacy Word document (DOC)';
    case 'html': return 'an HTML page';
    case 'text': return 'plain text';
  }
}

/** Decides what a file is from its bytes; a name or a declared type is only checked against that. */
import { fileTypeFromBuffer } from 'file-type';
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

async function sniffBytes(bytes: Uint8Array): Promise<Sniffed | null> {
  const ft = await fileTypeFromBuffer(bytes);
  if (ft) {
    if (ft.mime === 'application/pdf') return { format: 'pdf', mediaType: ft.mime };
    if (ft.mime === DOCX) return { format: 'docx', mediaType: DOCX };
    if (ft.ext === 'cfb') return { format: 'doc', mediaType: 'application/msword' };
    if (IMAGE_TYPES.has(ft.mime)) return { format: 'image', mediaType: ft.mime };
    if (ft.ext === 'zip') return { format: 'docx', mediaType: 'application/zip' };
    if (ft.mime === 'application/xml' || ft.ext === 'xml') {
      // XHTML pages come back as XML.
      const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
      if (looksLikeHtml(head)) return { format: 'html', mediaType: 'text/html' };
    }
    return null;
  }
  const head = bytes.subarray(0, 8192);
  if (isUtf16Bom(head)) {
    const text = new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(head);
    return looksLikeHtml(text) ? { format: 'html', mediaType: 'text/html' } : { format: 'text', mediaType: 'text/plain' };
  }
  // Text in any of the encodings we read (UTF-8, GB18030, Big5) has no NUL and few control bytes.
  let control = 0;
  for (const b of head) {
    if (b === 0) return null;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  if (control > head.length * 0.01 + 2) return null;
  const latin = Buffer.from(head).toString('latin1');
  return looksLikeHtml(latin) ? { format: 'html', mediaType: 'text/html' } : { format: 'text', mediaType: 'text/plain' };
}

export async function sniff(bytes: Uint8Array, filename?: string): Promise<Sniffed> {
  if (bytes.length === 0) throw new ConvertError('EMPTY_BODY', 400, 'The request carries no file: the body is empty.');
  const found = await sniffBytes(bytes);
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

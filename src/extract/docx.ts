/**
 * Word (DOCX): the archive is checked against zip bombs first, then mammoth turns it into HTML
 * that keeps merged cells (gridSpan, vMerge), and the HTML extractor reads that.
 */
import mammoth from 'mammoth';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { LayoutDocument } from '../layout/types.js';
import { extractHtml } from './html.js';
import { inspectZip } from './zip-guard.js';

export async function extractDocx(bytes: Uint8Array, limits: Limits): Promise<LayoutDocument> {
  const entries = await inspectZip(bytes, limits.maxDecompressedBytes);
  if (!entries.has('word/document.xml')) {
    throw new ConvertError('DOCX_CORRUPT', 422, 'The file is a ZIP archive without word/document.xml: not a Word document, or a damaged one.');
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { ignoreEmptyParagraphs: false });
    html = result.value;
  } catch (err) {
    throw new ConvertError('DOCX_CORRUPT', 422, `The Word document cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  return extractHtml(Buffer.from(`<!doctype html><meta charset="utf-8"><body>${html}</body>`, 'utf8'), 'utf-8', limits);
}

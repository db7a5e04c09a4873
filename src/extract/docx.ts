/**
 * Word (DOCX): the archive is inflated once under the zip-bomb guard, and word/document.xml is read
 * straight into the layout (merged cells kept: gridSpan, vMerge).
 */
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { LayoutDocument } from '../layout/types.js';
import { layoutFromDocumentXml } from './ooxml.js';
import { inspectZip } from './zip-guard.js';

const DOCUMENT = 'word/document.xml';

export async function extractDocx(bytes: Uint8Array, limits: Limits): Promise<LayoutDocument> {
  // The document's XML is read into memory like an HTML page, so it is held to the same size limit.
  const { kept } = await inspectZip(bytes, limits.maxDecompressedBytes, [DOCUMENT], limits.maxBytes);
  const xml = kept.get(DOCUMENT);
  if (!xml) {
    throw new ConvertError('DOCX_CORRUPT', 422, 'The file is a ZIP archive without word/document.xml: not a Word document, or a damaged one.');
  }
  const text = xml.toString('utf8');
  if (!/<w:document[\s>]/.test(text.slice(0, 4096))) {
    throw new ConvertError('DOCX_CORRUPT', 422, 'word/document.xml is not a WordprocessingML document.');
  }
  return {
    pages: [{ page: 1, width: null, height: null, source: 'markup' }],
    blocks: layoutFromDocumentXml(text, limits.maxHtmlDepth),
    warnings: [],
  };
}

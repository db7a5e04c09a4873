/** Scanned images: read by OCR (issue 4). Until the OCR route lands, images are refused clearly. */
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { LayoutDocument } from '../layout/types.js';

export async function extractImage(_bytes: Uint8Array, _limits: Limits): Promise<LayoutDocument> {
  throw new ConvertError('OCR_UNAVAILABLE', 415, 'This is an image: reading scans needs OCR, which this version does not include yet. Send a PDF with a text layer, a Word file, HTML or text.');
}

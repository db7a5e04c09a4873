/** Crops for the OCR engine tests, drawn here. */
import sharp from 'sharp';
import type { Crop } from '../../src/extract/ocr/engine.js';

/** A line of digits drawn black on white, as a PNG crop. */
export async function digits(text: string): Promise<Crop> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="220" height="48"><rect width="100%" height="100%" fill="#fff"/>`
    + `<text x="12" y="35" font-family="DejaVu Sans" font-size="30" fill="#000">${text}</text></svg>`;
  return { data: await sharp(Buffer.from(svg)).png().toBuffer(), width: 220, height: 48 };
}

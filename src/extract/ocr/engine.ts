/**
 * The one interface every OCR engine sits behind. Engines read a single crop (a table cell, one text
 * line) and say how sure they are; layout (grids, lines) is found elsewhere (grid.ts, lines.ts).
 */
import { sharpLib } from './sharp.js';

/** An 8-bit grayscale image: raw pixels (width × height bytes, row-major) or an encoded PNG. */
export interface Crop {
  data: Buffer;
  width: number;
  height: number;
}

export type ReadHint = 'number' | 'text';

/** One recognised character or word with its box in the crop's pixels ([x0, y0, x1, y1]). */
export interface RecognizedPiece {
  text: string;
  /** 0..1 */
  confidence: number;
  bbox: [number, number, number, number];
}

export interface Recognition {
  text: string;
  /** Engine confidence mapped to 0..1 (the lowest piece for Paddle, word-weighted for tesseract). */
  confidence: number;
  chars?: RecognizedPiece[];
  words?: RecognizedPiece[];
}

export interface OcrEngine {
  readonly name: string;
  readonly languages: string[];
  recognize(crop: Crop, hint: ReadHint): Promise<Recognition>;
  close(): Promise<void>;
}

/** True when the buffer is an encoded PNG rather than raw pixels. */
export function isPng(data: Buffer): boolean {
  return data.length > 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47;
}

/** Raw grayscale pixels of a crop (decodes a PNG with sharp). */
export async function rawGray(crop: Crop): Promise<Crop> {
  if (!isPng(crop.data)) return crop;
  const sharp = await sharpLib();
  const { data, info } = await sharp(crop.data).grayscale().raw().toBuffer({ resolveWithObject: true });
  const gray = info.channels === 1 ? data : takeFirstChannel(data, info.channels);
  return { data: gray, width: info.width, height: info.height };
}

function takeFirstChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.alloc(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels];
  return out;
}

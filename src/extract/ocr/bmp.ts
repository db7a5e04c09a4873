/**
 * Windows BMP, which sharp's libvips build does not read: the header (for the pixel limit) and the
 * uncompressed 1/4/8/16/24/32-bit forms (BI_RGB, BI_BITFIELDS) decoded to 8-bit gray. RLE-compressed
 * BMPs are refused with a clear message.
 */
import { ConvertError } from '../../intake/errors.js';

export interface BmpHeader {
  width: number;
  height: number;
  bottomUp: boolean;
  bpp: number;
  compression: number;
  dataOffset: number;
  paletteOffset: number;
  paletteSize: number;
}

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function bmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.length < 26) throw new ConvertError('IMAGE_CORRUPT', 422, 'The BMP image is truncated: its header is incomplete.');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = dv.getUint32(10, true);
  const dibSize = dv.getUint32(14, true);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = 0;
  let colors = 0;
  if (dibSize === 12) {
    width = dv.getUint16(18, true);
    height = dv.getInt16(20, true);
    bpp = dv.getUint16(24, true);
  } else {
    if (bytes.length < 54) throw new ConvertError('IMAGE_CORRUPT', 422, 'The BMP image is truncated: its header is incomplete.');
    width = dv.getInt32(18, true);
    height = dv.getInt32(22, true);
    bpp = dv.getUint16(28, true);
    compression = dv.getUint32(30, true);
    colors = dv.getUint32(46, true);
  }
  const bottomUp = height > 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0) throw new ConvertError('IMAGE_CORRUPT', 422, 'The BMP image declares no pixels.');
  const paletteEntry = dibSize === 12 ? 3 : 4;
  const paletteSize = bpp <= 8 ? colors || 1 << bpp : 0;
  return { width, height, bottomUp, bpp, compression, dataOffset, paletteOffset: 14 + dibSize, paletteSize: paletteSize * (paletteEntry === 3 ? -1 : 1) };
}

/** Decodes to 8-bit gray (luma). */
export function decodeBmp(bytes: Uint8Array, h: BmpHeader): { data: Uint8Array; width: number; height: number } {
  if (h.compression !== 0 && h.compression !== 3) {
    throw new ConvertError('IMAGE_UNSUPPORTED', 415, 'This BMP is RLE-compressed, which is not supported: save it as PNG or TIFF.');
  }
  if (![1, 4, 8, 16, 24, 32].includes(h.bpp)) throw new ConvertError('IMAGE_CORRUPT', 422, `The BMP image has an invalid bit depth (${h.bpp}).`);
  const stride = Math.floor((h.bpp * h.width + 31) / 32) * 4;
  if (h.dataOffset + stride * h.height > bytes.length) {
    throw new ConvertError('IMAGE_CORRUPT', 422, 'The BMP image is truncated: its pixel data ends early. Send the complete file.');
  }
  const entry = h.paletteSize < 0 ? 3 : 4;
  const nPal = Math.abs(h.paletteSize);
  const pal = new Uint8Array(Math.max(1, nPal));
  for (let i = 0; i < nPal; i++) {
    const o = h.paletteOffset + i * entry;
    pal[i] = luma(bytes[o + 2], bytes[o + 1], bytes[o]);
  }
  const out = new Uint8Array(h.width * h.height);
  for (let y = 0; y < h.height; y++) {
    const row = h.dataOffset + (h.bottomUp ? h.height - 1 - y : y) * stride;
    for (let x = 0; x < h.width; x++) {
      let v: number;
      switch (h.bpp) {
        case 1: v = pal[(bytes[row + (x >> 3)] >> (7 - (x & 7))) & 1]; break;
        case 4: v = pal[(bytes[row + (x >> 1)] >> ((x & 1) ? 0 : 4)) & 15]; break;
        case 8: v = pal[bytes[row + x]]; break;
        case 16: {
          const p = bytes[row + 2 * x] | (bytes[row + 2 * x + 1] << 8);
          v = luma(((p >> 10) & 31) * 8.2, ((p >> 5) & 31) * 8.2, (p & 31) * 8.2);
          break;
        }
        case 24: v = luma(bytes[row + 3 * x + 2], bytes[row + 3 * x + 1], bytes[row + 3 * x]); break;
        default: v = luma(bytes[row + 4 * x + 2], bytes[row + 4 * x + 1], bytes[row + 4 * x]);
      }
      out[y * h.width + x] = v;
    }
  }
  return { data: out, width: h.width, height: h.height };
}

function luma(r: number, g: number, b: number): number {
  return Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b));
}

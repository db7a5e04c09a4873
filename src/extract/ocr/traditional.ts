/**
 * Pages printed in traditional characters. The PP-OCRv4 dictionary lacks many traditional characters
 * (議 訴 訟 …) and the recogniser silently drops them, so on such pages every label cell is read a
 * second time by tesseract (chi_tra + chi_sim + eng) and the fuller reading is kept.
 */
import type { LayoutCell } from '../../layout/types.js';
import { toSimplified } from '../../normalize/text.js';
import type { OcrPool } from './pool.js';
import { lineCrop, type PageRaster } from './read-cells.js';
import { padGray, toCrop, type Box } from './raster.js';

const CJK = /[\u3400-\u9fff]/;

/** True when a noticeable share of the CJK characters read are traditional forms. */
export function isTraditional(texts: string[]): boolean {
  let cjk = 0;
  let trad = 0;
  for (const t of texts) {
    for (const ch of t) {
      if (!CJK.test(ch)) continue;
      cjk++;
      if (toSimplified(ch) !== ch) trad++;
    }
  }
  return cjk >= 20 && trad / cjk > 0.06;
}

/** Tesseract puts spaces between CJK characters: drop those, keep the ones between Latin words. */
export function joinCjk(s: string): string {
  return s.replace(/(?<=[\u3400-\u9fff\uff00-\uffef（）()、，。：；“”])\s+(?=[\u3400-\u9fff\uff00-\uffef（）()、，。：；“”\d])|(?<=\d)\s+(?=[\u3400-\u9fff])/g, '').trim();
}

/** Re-reads the label cells (those with CJK text and line boxes) and keeps the fuller reading. */
export async function rereadTraditional(raster: PageRaster, cells: LayoutCell[], lines: Box[][], pool: OcrPool): Promise<void> {
  await Promise.all(
    cells.map(async (c, i) => {
      const boxes = lines[i] ?? [];
      if (!boxes.length || !CJK.test(c.text)) return;
      const reads = await Promise.all(
        boxes.map((b) => pool.read(toCrop(padGray(lineCrop(raster.image, b, raster.dpi, 4), 10, 10, 10, 10)), 'text', 'tesseract')),
      );
      const text = joinCjk(reads.map((r) => r.text).join('')).normalize('NFKC');
      const conf = reads.length ? Math.min(...reads.map((r) => r.confidence)) : 0;
      const cjkLen = (s: string) => [...s].filter((ch) => CJK.test(ch)).length;
      if (conf >= 0.55 && cjkLen(text) >= cjkLen(c.text)) {
        c.text = text;
        c.confidence = Math.round(Math.min(c.confidence, conf) * 1000) / 1000;
      }
    }),
  );
}

/** Upside-down detection: a few text lines read as they are and turned 180°; the surer reading wins. */
import { findLines } from './lines.js';
import type { OcrPool } from './pool.js';
import { binarize, cropGray, otsu, rotate180, toCrop, type Gray } from './raster.js';
import { padForRecognition } from './paddle.js';
import { hconcat } from './read-cells.js';

export function upsideDownCheck(pool: OcrPool): (g: Gray, dpi: number) => Promise<boolean> {
  return async (g, dpi) => {
    const mask = binarize(g, Math.max(70, Math.min(190, otsu(g))));
    const lines = findLines(mask, g.width, [0, 0, g.width, g.height], { dpi, splitGap: dpi * 0.15 })
      .filter((b) => b[2] - b[0] >= 4 * (b[3] - b[1]) && b[3] - b[1] >= dpi * 0.05 && b[3] - b[1] <= dpi * 0.4);
    if (lines.length === 0) return false;
    // Three lines spread over the page, side by side in one strip, read both ways.
    const pick = [0.1, 0.5, 0.9].map((f) => lines[Math.floor(f * (lines.length - 1))]).filter((b, i, a) => a.indexOf(b) === i);
    const m = Math.round(dpi * 0.006);
    const crops = pick.map((b) => {
      const h = b[3] - b[1];
      const w = Math.min(b[2] - b[0], h * 8);
      return cropGray(g, [b[0] - m, b[1] - m, b[0] + w + m, b[3] + m]);
    });
    const gap = Math.round(Math.max(...crops.map((c) => c.height)) * 0.8);
    const upright = hconcat(crops, gap).strip;
    const turned = rotate180(upright);
    const [a, r] = await Promise.all([pool.read(toCrop(padForRecognition(upright)), 'text'), pool.read(toCrop(padForRecognition(turned)), 'text')]);
    return score(r) > score(a) * 1.15 + 0.05;
  };
}

function score(r: { text: string; chars?: { confidence: number }[]; confidence: number }): number {
  const ch = r.chars ?? [];
  if (!ch.length) return 0;
  return ch.reduce((s, c) => s + c.confidence, 0) / ch.length * Math.min(1, ch.length / 4);
}

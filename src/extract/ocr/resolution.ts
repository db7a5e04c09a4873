/**
 * The resolution a page image reads as: the file's stated density, else the page's size taken as
 * A4, else the height of its text lines. The readers' thresholds assume about 300 dpi.
 */
import { binarize, eraseLongRuns, otsu, shrinkGray, type Gray } from './raster.js';
import { sharpLib } from './sharp.js';

/** The resolution the cell and line readers are tuned for. */
export const TARGET_DPI = 300;

/** Resolution estimate for a file that states no density: the short side taken as A4 width. */
function estimateDpi(width: number, height: number): number {
  const short = Math.min(width, height);
  const guess = short / 8.27;
  return Math.min(600, Math.max(72, guess));
}

/** A4 / Letter proportions, either way round (a long strip or a cut-out region is not). */
function isPageShaped(width: number, height: number): boolean {
  const r = Math.max(width, height) / Math.min(width, height);
  return r >= 1.2 && r <= 1.6;
}

/**
 * Resolution from the height of the text lines, taking body text as ≈ 11 pt: for images that are not
 * whole pages (a cut-out table, a long web capture). Null when no text lines are found.
 */
function dpiFromText(g: Gray): number | null {
  const f = Math.max(1, Math.floor(Math.max(g.width, g.height) / 2000));
  const s = shrinkGray(g, f);
  const mask = binarize(s, Math.min(200, otsu(s)));
  eraseLongRuns(mask, s.width, s.height, Math.max(20, Math.round(Math.min(s.width, s.height) * 0.05)));
  const heights: number[] = [];
  let run = 0;
  for (let y = 0; y <= s.height; y++) {
    let ink = 0;
    if (y < s.height) for (let x = 0; x < s.width; x++) ink += mask[y * s.width + x];
    if (y < s.height && ink > Math.max(1, s.width * 0.003)) run++;
    else {
      if (run >= 3) heights.push(run);
      run = 0;
    }
  }
  if (!heights.length) return null;
  heights.sort((a, b) => a - b);
  const h = heights[heights.length >> 1] * f;
  return Math.min(600, Math.max(100, (h * 72) / 11));
}

/** Resolution of a page image whose file states none: a whole page by its size, anything else by its text. */
export function pageResolution(g: Gray): number {
  return isPageShaped(g.width, g.height) ? estimateDpi(g.width, g.height) : dpiFromText(g) ?? estimateDpi(g.width, g.height);
}

/** Rescales to TARGET_DPI unless within 20 % of it (resampling a near-target scan only blurs it). */
export async function toTargetResolution(g: Gray, dpiIn: number): Promise<{ image: Gray; scale: number; dpi: number }> {
  const scale = Math.abs(dpiIn - TARGET_DPI) / TARGET_DPI > 0.2 ? TARGET_DPI / dpiIn : 1;
  if (scale === 1) return { image: g, scale, dpi: dpiIn };
  const sharp = await sharpLib();
  const out = await sharp(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.length), { raw: { width: g.width, height: g.height, channels: 1 } })
    .resize(Math.max(1, Math.round(g.width * scale)), Math.max(1, Math.round(g.height * scale)), { kernel: scale > 1 ? 'cubic' : 'lanczos3' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length), width: out.info.width, height: out.info.height }, scale, dpi: TARGET_DPI };
}

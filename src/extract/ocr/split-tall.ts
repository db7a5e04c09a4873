import { otsu, type Gray } from './raster.js';

/**
 * A long image (a web page captured whole, pages stacked into one strip) is cut into page-sized
 * pieces at rows without ink, so each piece is straightened on its own (stacked pages are rarely
 * skewed alike). A ruled table has ink on every row (its vertical rules), so it is never cut.
 */
export function splitTall(g: Gray, dpi: number): Gray[] {
  const pageH = Math.round(Math.min(g.width, dpi * 8.27) * 1.414);
  if (g.height <= pageH * 1.3) return [g];
  const t = Math.max(70, Math.min(190, otsu(g)));
  const blank = new Uint8Array(g.height);
  for (let y = 0; y < g.height; y++) {
    let ink = 0;
    const row = y * g.width;
    for (let x = 0; x < g.width; x += 2) if (g.data[row + x] < t) ink++;
    blank[y] = ink <= 1 ? 1 : 0;
  }
  const cuts: number[] = [];
  let start = 0;
  while (g.height - start > pageH * 1.3) {
    // The middle of the longest blank run within [start + 0.6 page, start + 1.2 page].
    const lo = start + Math.round(pageH * 0.6);
    const hi = Math.min(g.height - 1, start + Math.round(pageH * 1.2));
    let best = -1;
    let bestLen = 0;
    let runStart = -1;
    for (let y = lo; y <= hi + 1; y++) {
      if (y <= hi && blank[y]) {
        if (runStart < 0) runStart = y;
      } else if (runStart >= 0) {
        const len = y - runStart;
        if (len > bestLen) {
          bestLen = len;
          best = runStart + (len >> 1);
        }
        runStart = -1;
      }
    }
    if (best < 0 || bestLen < 3) break;
    cuts.push(best);
    start = best;
  }
  if (!cuts.length) return [g];
  const bounds = [0, ...cuts, g.height];
  const out: Gray[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const y0 = bounds[i];
    const y1 = bounds[i + 1];
    out.push({ data: g.data.slice(y0 * g.width, y1 * g.width), width: g.width, height: y1 - y0 });
  }
  return out;
}


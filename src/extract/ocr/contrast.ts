import { histQuantile, type Gray } from './raster.js';

/**
 * Contrast stretch in place: the darkest 0.5 % of pixels become black and the paper (the 99th
 * percentile) white, so faint or grey scans binarise like clean ones. (sharp's normalise() is ~20×
 * slower on a page.)
 */
export function stretchContrast(g: Gray): void {
  const hist = new Float64Array(256);
  const d = g.data;
  for (let i = 0; i < d.length; i += 2) hist[d[i]]++;
  const n = Math.ceil(d.length / 2);
  const lo = histQuantile(hist, n, 0.005);
  const hi = histQuantile(hist, n, 0.99);
  if (hi - lo < 32) return;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  for (let i = 0; i < d.length; i++) d[i] = lut[d[i]];
}


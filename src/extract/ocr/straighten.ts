/**
 * Turning a page upright and straight: quarter-turn detection (projection profiles), deskew of up to
 * ±5° estimated from a projection profile, and upside-down detection (a callback that reads a few
 * lines both ways).
 */
import { binarize, cropGray, eraseLongRuns, otsu, rotate180, shrinkGray, type Gray } from './raster.js';
import { sharpLib } from './sharp.js';

interface PrepareOptions {
  /** Reads a few lines of the page and says whether it is upside down. */
  isUpsideDown?: (g: Gray, dpi: number) => Promise<boolean>;
}

export interface Straightened {
  image: Gray;
  rotation: number;
  skew: number;
  /** Turned 90° clockwise first (only when asked to look). */
  quarter: boolean;
  /** Turned 180° last (upside down). */
  halfTurn: boolean;
}

/** Quarter turn (unless told not to look), deskew (keeping the frame), upside-down check. */
export async function straighten(g: Gray, dpi: number, options: PrepareOptions & { quarter?: boolean } = {}): Promise<Straightened> {
  let rotation = 0;
  let quarter = false;
  let halfTurn = false;
  if (options.quarter !== false && isQuarterTurned(g)) {
    g = await rotateGray(g, 90);
    rotation = 90;
    quarter = true;
  }
  let skew = Math.round(estimateSkew(g) * 100) / 100;
  if (Math.abs(skew) >= 0.08) g = await rotateGray(g, -skew, true);
  else skew = 0;
  if (options.isUpsideDown && (await options.isUpsideDown(g, dpi))) {
    g = rotate180(g);
    rotation = (rotation + 180) % 360;
    halfTurn = true;
  }
  return { image: g, rotation, skew, quarter, halfTurn };
}


/** Rotates clockwise by `deg` degrees on a white background (canvas grows to hold the result). */
export async function rotateGray(g: Gray, deg: number, keepSize = false): Promise<Gray> {
  const sharp = await sharpLib();
  const out = await sharp(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.length), { raw: { width: g.width, height: g.height, channels: 1 } })
    .rotate(deg, { background: { r: 255, g: 255, b: 255, alpha: 1 } })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const r: Gray = { data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length), width: out.info.width, height: out.info.height };
  if (!keepSize || (r.width === g.width && r.height === g.height)) return r;
  // Small corrections keep the page frame (and so the coordinates) of the original.
  const left = Math.max(0, Math.floor((r.width - g.width) / 2));
  const top = Math.max(0, Math.floor((r.height - g.height) / 2));
  return cropGray(r, [left, top, left + Math.min(g.width, r.width), top + Math.min(g.height, r.height)]);
}

/** A small binary copy of the page for analysis. */
function analysisMask(g: Gray, targetWidth: number): { mask: Uint8Array; width: number; height: number; f: number } {
  const f = Math.max(1, Math.round(Math.max(g.width, g.height) / targetWidth));
  const s = shrinkGray(g, f);
  const t = Math.min(200, otsu(s));
  return { mask: binarize(s, t), width: s.width, height: s.height, f };
}

/**
 * Text lines are long and thin: the bands of inked rows of an upright page are much wider than they
 * are high, while its bands of inked columns are not much taller than wide (characters, or the whole
 * text block). A page whose column bands are the long thin ones is turned by a quarter.
 */
export function isQuarterTurned(g: Gray): boolean {
  const { mask, width, height } = analysisMask(g, 700);
  eraseLongRuns(mask, width, height, Math.max(12, Math.round(Math.min(width, height) * 0.04)));
  const rowAspect = bandAspect(mask, width, height, true);
  const colAspect = bandAspect(mask, width, height, false);
  return colAspect > 4 && colAspect > rowAspect * 2;
}

/** Median (ink extent along ÷ thickness) of the bands of inked rows (or columns), weighted by ink. */
function bandAspect(mask: Uint8Array, width: number, height: number, rows: boolean): number {
  const n = rows ? height : width;
  const m = rows ? width : height;
  const at = (i: number, j: number) => (rows ? mask[i * width + j] : mask[j * width + i]);
  const count = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < m; j++) c += at(i, j);
    count[i] = c;
    total += c;
  }
  if (total < 50) return 0;
  const lim = Math.max(0, Math.floor(m * 0.005));
  const bands: { aspect: number; ink: number }[] = [];
  let i = 0;
  while (i < n) {
    if (count[i] <= lim) {
      i++;
      continue;
    }
    const a = i;
    let ink = 0;
    while (i < n && count[i] > lim) ink += count[i++];
    let lo = m;
    let hi = -1;
    for (let k = a; k < i; k++) {
      for (let j = 0; j < m; j++) {
        if (at(k, j)) {
          if (j < lo) lo = j;
          break;
        }
      }
      for (let j = m - 1; j >= 0; j--) {
        if (at(k, j)) {
          if (j > hi) hi = j;
          break;
        }
      }
    }
    bands.push({ aspect: (hi - lo + 1) / (i - a), ink });
  }
  bands.sort((p, q) => p.aspect - q.aspect);
  let acc = 0;
  for (const b of bands) {
    acc += b.ink;
    if (acc >= total / 2) return b.aspect;
  }
  return 0;
}

/**
 * Skew in degrees (clockwise positive: the right end of a line is lower) from the sharpness of the
 * row projection over sheared coordinates: coarse over ±5°, then finer around the best angle.
 */
export function estimateSkew(g: Gray): number {
  const { mask, width, height } = analysisMask(g, 1400);
  const xs: number[] = [];
  const ys: number[] = [];
  let total = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) total++;
  if (total < 200) return 0;
  const step = Math.max(1, Math.floor(total / 150_000));
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x] && k++ % step === 0) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  const pad = Math.ceil(width * Math.tan((6 * Math.PI) / 180)) + 2;
  const bins = new Float64Array(height + 2 * pad);
  const score = (deg: number) => {
    bins.fill(0);
    const t = Math.tan((deg * Math.PI) / 180);
    for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i] - xs[i] * t) + pad]++;
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += bins[i] * bins[i];
    return s;
  };
  let best = 0;
  let bestS = score(0);
  for (let d = -5; d <= 5.0001; d += 0.25) {
    const s = score(d);
    if (s > bestS) {
      bestS = s;
      best = d;
    }
  }
  const c = best;
  for (let d = c - 0.3; d <= c + 0.3001; d += 0.02) {
    const s = score(d);
    if (s > bestS) {
      bestS = s;
      best = d;
    }
  }
  return Math.abs(best) < 0.03 ? 0 : best;
}

/** Small pure-JS operations on 8-bit grayscale rasters (0 = black, 255 = white). */
import type { Crop } from './engine.js';

export interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

export type Box = [number, number, number, number];

export function toCrop(g: Gray): Crop {
  return { data: Buffer.from(g.data.buffer, g.data.byteOffset, g.data.byteLength), width: g.width, height: g.height };
}

/** Copy of the region [x0, x1) × [y0, y1), clipped to the raster. */
export function cropGray(g: Gray, box: Box): Gray {
  const x0 = Math.max(0, Math.floor(box[0]));
  const y0 = Math.max(0, Math.floor(box[1]));
  const x1 = Math.min(g.width, Math.ceil(box[2]));
  const y1 = Math.min(g.height, Math.ceil(box[3]));
  const w = Math.max(0, x1 - x0);
  const h = Math.max(0, y1 - y0);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) out.set(g.data.subarray((y0 + y) * g.width + x0, (y0 + y) * g.width + x0 + w), y * w);
  return { data: out, width: w, height: h };
}

/** Surrounds the raster with white margins. */
export function padGray(g: Gray, left: number, top: number, right: number, bottom: number, value = 255): Gray {
  const w = g.width + left + right;
  const h = g.height + top + bottom;
  const out = new Uint8Array(w * h).fill(value);
  for (let y = 0; y < g.height; y++) out.set(g.data.subarray(y * g.width, (y + 1) * g.width), (y + top) * w + left);
  return { data: out, width: w, height: h };
}

/** Bilinear resize. */
export function resizeGray(g: Gray, w: number, h: number): Gray {
  w = Math.max(1, Math.round(w));
  h = Math.max(1, Math.round(h));
  if (w === g.width && h === g.height) return g;
  const out = new Uint8Array(w * h);
  const sx = g.width / w;
  const sy = g.height / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(g.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(g.height - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(g.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(g.width - 1, x0 + 1);
      const dx = fx - x0;
      const a = g.data[y0 * g.width + x0] * (1 - dx) + g.data[y0 * g.width + x1] * dx;
      const b = g.data[y1 * g.width + x0] * (1 - dx) + g.data[y1 * g.width + x1] * dx;
      out[y * w + x] = Math.round(a * (1 - dy) + b * dy);
    }
  }
  return { data: out, width: w, height: h };
}

/** Area-averaging downscale by an integer factor (fast, for analysis). */
export function shrinkGray(g: Gray, f: number): Gray {
  if (f <= 1) return g;
  const w = Math.floor(g.width / f);
  const h = Math.floor(g.height / f);
  const out = new Uint8Array(w * h);
  const n = f * f;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let yy = 0; yy < f; yy++) {
        const row = (y * f + yy) * g.width + x * f;
        for (let xx = 0; xx < f; xx++) s += g.data[row + xx];
      }
      out[y * w + x] = Math.round(s / n);
    }
  }
  return { data: out, width: w, height: h };
}

export function rotate180(g: Gray): Gray {
  const out = new Uint8Array(g.data.length);
  for (let i = 0, n = g.data.length; i < n; i++) out[i] = g.data[n - 1 - i];
  return { data: out, width: g.width, height: g.height };
}

/** Otsu's threshold over the histogram of the raster. */
export function otsu(g: Gray): number {
  const hist = new Float64Array(256);
  const step = g.data.length > 4_000_000 ? 3 : 1;
  let n = 0;
  for (let i = 0; i < g.data.length; i += step) {
    hist[g.data[i]]++;
    n++;
  }
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i];
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let thr = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = n - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      thr = t;
    }
  }
  return thr;
}

/** 1 for ink (darker than the threshold), 0 for paper. */
export function binarize(g: Gray, threshold: number): Uint8Array {
  const out = new Uint8Array(g.data.length);
  for (let i = 0; i < g.data.length; i++) out[i] = g.data[i] < threshold ? 1 : 0;
  return out;
}

/** Ink pixels per row and per column of a region of a binary mask. */
export function profiles(mask: Uint8Array, width: number, box: Box): { rows: Int32Array; cols: Int32Array } {
  const [x0, y0, x1, y1] = box.map(Math.round) as Box;
  const rows = new Int32Array(Math.max(0, y1 - y0));
  const cols = new Int32Array(Math.max(0, x1 - x0));
  for (let y = y0; y < y1; y++) {
    const base = y * width;
    for (let x = x0; x < x1; x++) {
      if (mask[base + x]) {
        rows[y - y0]++;
        cols[x - x0]++;
      }
    }
  }
  return { rows, cols };
}

/** Runs of indices where `values[i] > min`, bridging gaps of at most `gap`. */
export function runs(values: ArrayLike<number>, min: number, gap: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let lastOn = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > min) {
      if (start < 0) start = i;
      else if (i - lastOn - 1 > gap) {
        out.push([start, lastOn + 1]);
        start = i;
      }
      lastOn = i;
    }
  }
  if (start >= 0) out.push([start, lastOn + 1]);
  return out;
}

/** Removes horizontal and vertical ink runs longer than `len` (table rules) from a 0/1 mask, in place. */
export function eraseLongRuns(mask: Uint8Array, width: number, height: number, len: number): void {
  const erase = new Uint8Array(mask.length);
  // One pass over lines: rows (`lines` of `along` pixels, `step` apart in the mask), then columns.
  const pass = (lines: number, along: number, lineStart: (l: number) => number, step: number) => {
    for (let l = 0; l < lines; l++) {
      const base = lineStart(l);
      let start = -1;
      for (let k = 0; k <= along; k++) {
        const on = k < along && mask[base + k * step];
        if (on && start < 0) start = k;
        if (!on && start >= 0) {
          if (k - start > len) for (let j = start; j < k; j++) erase[base + j * step] = 1;
          start = -1;
        }
      }
    }
  };
  pass(height, width, (y) => y * width, 1);
  pass(width, height, (x) => x, width);
  for (let i = 0; i < mask.length; i++) if (erase[i]) mask[i] = 0;
}

/** The least value v whose cumulative count in a 256-bin histogram reaches `q` × `total` (255 if none). */
export function histQuantile(hist: ArrayLike<number>, total: number, q: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v];
    if (acc >= q * total) return v;
  }
  return 255;
}

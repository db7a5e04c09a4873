/**
 * Red ink on colour scans: an official seal (公章: a red ring, a star, a ring of characters) stamped over
 * a table hides or splits the digits under it once the page is grey. The page is turned grey with the
 * red ink of its seals dropped (red letterheads, red figures and notes are print and keep their luma) (a scanner's red "dropout": a reddish pixel takes its red channel, which is light
 * where only seal ink lies and stays dark where black print lies under it), and where the red ink was
 * is kept, so that the cells it covered can be told (their reading is less sure).
 */
import { histQuantile, type Box } from './raster.js';

/** A pixel is red ink when its red channel exceeds the other two by this much… */
const RED_MARGIN = 60;
/** …and is at least this bright. */
const RED_MIN = 110;
/** Red ink is looked at only when at least this share of the page is red (a seal, not a speck). */
const RED_PAGE_SHARE = 0.0004;
/** Red pixels are counted per block of this many pixels a side. */
const BLOCK = 4;

/** Luma (Rec. 601, unrounded: a Uint8Array store truncates it). */
const lumaOf = (r: number, g: number, b: number) => (r * 299 + g * 587 + b * 114 + 500) / 1000;
/** Red ink: the red channel exceeds the other two by RED_MARGIN and is at least RED_MIN. */
const isRed = (r: number, g: number, b: number) => r - (g > b ? g : b) >= RED_MARGIN && r >= RED_MIN;

/** Where red ink lies: counts per block, summed (an integral image) for counts over any box. */
export interface RedInk {
  /** Size of the raster the ink was found on (pixels). */
  width: number;
  height: number;
  /** Integral of red-pixel counts per BLOCK × BLOCK block: (bw + 1) × (bh + 1). */
  sums: Float64Array;
  bw: number;
  bh: number;
  /** Red pixels on the page. */
  total: number;
}

export interface Dropped {
  gray: Uint8Array;
  /** Null when the page has (almost) no red ink. */
  red: RedInk | null;
}

/** A seal is about this wide (mm), and is looked for in this range; its bounding box is about square. */
const SEAL_MM = [25, 58];
const SEAL_ASPECT = 1.35;
/** A seal (ring, star, characters) covers at most this share of its bounding box's blocks; a red block more. */
const SEAL_FILL = 0.7;
/** When the file states no resolution, the page's short side is taken as A4's (mm). */
const A4_SHORT_MM = 210;

/**
 * Grey from RGB or RGBA (alpha over white) pixels, red ink dropped where it is a seal: connected red
 * ink about square and 25–58 mm across at `dpi` (a ring, a star, a ring of characters). Other red ink (a
 * red letterhead, red figures or notes) is print: it keeps its luma. Pages without a seal give their
 * luma (exactly R where R = G = B). `dpi` null: the page's short side is taken as A4's.
 */
export function dropRedInk(px: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 3 | 4, dpi: number | null = null): Dropped {
  const n = width * height;
  if (!mayHaveRed(px, width, height, channels)) return { gray: luma(px, n, channels), red: null };
  const rgb = channels === 3 ? px : overWhite(px, n);
  // Where the ink is, and how much red light it lets through: the red channel of clear seal ink over
  // paper (its median). A reddish pixel's print is its red channel divided by that, so seal ink over
  // paper comes out white and black print under the ink stays as dark as it was.
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const counts = new Uint16Array(bw * bh);
  const hist = new Float64Array(256);
  const lumaHist = new Float64Array(256);
  let total = 0;
  for (let y = 0, j = 0; y < height; y++) {
    const brow = ((y / BLOCK) | 0) * bw;
    for (let x = 0; x < width; x++, j += 3) {
      const r = rgb[j];
      const g = rgb[j + 1];
      const b = rgb[j + 2];
      if (isRed(r, g, b)) {
        counts[brow + ((x / BLOCK) | 0)]++;
        hist[r]++;
        lumaHist[(lumaOf(r, g, b)) | 0]++;
        total++;
      }
    }
  }
  if (total < RED_PAGE_SHARE * n) return { gray: luma(rgb, n, 3), red: null };
  // Only red ink in seal-shaped blobs is dropped (and counted); elsewhere red is print.
  const seal = sealBlocks(counts, bw, bh, dpi ?? (Math.min(width, height) * 25.4) / A4_SHORT_MM);
  if (!seal) return { gray: luma(rgb, n, 3), red: null };
  hist.fill(0);
  lumaHist.fill(0);
  total = 0;
  for (let y = 0, j = 0; y < height; y++) {
    const brow = ((y / BLOCK) | 0) * bw;
    for (let x = 0; x < width; x++, j += 3) {
      const b = brow + ((x / BLOCK) | 0);
      if (!seal[b]) continue;
      const r = rgb[j];
      const g = rgb[j + 1];
      const bl = rgb[j + 2];
      if (isRed(r, g, bl)) {
        hist[r]++;
        lumaHist[(lumaOf(r, g, bl)) | 0]++;
        total++;
      }
    }
  }
  for (let b = 0; b < counts.length; b++) if (!seal[b]) counts[b] = 0;
  if (total === 0) return { gray: luma(rgb, n, 3), red: null };
  const median = (h: Float64Array) => histQuantile(h, total, 0.5);
  const gain = 255 / Math.max(RED_MIN, median(hist));
  // Print is darker than the ink itself: under the ink it stays; lighter pixels at the ink's edges
  // (where JPEG's coarser colour leaves them neither red nor paper) are ink.
  const printMax = 0.6 * median(lumaHist);
  const gray = new Uint8Array(n);
  const near = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = rgb[j];
    const g = rgb[j + 1];
    const b = rgb[j + 2];
    const l = lumaOf(r, g, b);
    const d = r - (g > b ? g : b);
    if (d <= 25 || !seal[(((i / width) | 0) >> 2) * bw + ((i % width) >> 2)]) {
      gray[i] = l;
      continue;
    }
    near[i] = 1;
    // Reddish: towards the red channel brought up to paper, fully so for clear ink (edges blend).
    const s = d >= 75 ? 1 : (d - 25) / 50;
    const dropped = Math.min(255, r * gain);
    gray[i] = l + (dropped - l) * s;
  }
  // Two pixels round the reddish ones, whatever is lighter than print is paper.
  dilate(near, width, height, 2);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    if (!near[i] || gray[i] === 255 || !seal[(((i / width) | 0) >> 2) * bw + ((i % width) >> 2)]) continue;
    const l = lumaOf(rgb[j], rgb[j + 1], rgb[j + 2]);
    if (l >= printMax) gray[i] = 255;
  }
  const sums = new Float64Array((bw + 1) * (bh + 1));
  for (let y = 0; y < bh; y++) {
    let row = 0;
    for (let x = 0; x < bw; x++) {
      row += counts[y * bw + x];
      sums[(y + 1) * (bw + 1) + x + 1] = sums[y * (bw + 1) + x + 1] + row;
    }
  }
  return { gray, red: { width, height, sums, bw, bh, total } };
}

/**
 * Blocks of seals: connected blocks holding red ink (8-neighbours, across gaps of one block) whose
 * bounding box is about square, 25–58 mm a side at `dpi`, and not filled solid; marked with the whole
 * bounding box (grown by two blocks), so that a seal's star and characters inside its ring go with it.
 * Null when there is none.
 */
function sealBlocks(counts: Uint16Array, bw: number, bh: number, dpi: number): Uint8Array | null {
  const mm = (blocks: number) => (blocks * BLOCK * 25.4) / dpi;
  const label = new Int32Array(bw * bh).fill(-1);
  const stack: number[] = [];
  let seal: Uint8Array | null = null;
  for (let start = 0; start < counts.length; start++) {
    if (!counts[start] || label[start] >= 0) continue;
    label[start] = start;
    stack.push(start);
    let x0 = bw, y0 = bh, x1 = -1, y1 = -1, blocks = 0;
    while (stack.length) {
      const b = stack.pop()!;
      const bx = b % bw;
      const by = (b / bw) | 0;
      blocks++;
      if (bx < x0) x0 = bx;
      if (bx > x1) x1 = bx;
      if (by < y0) y0 = by;
      if (by > y1) y1 = by;
      for (let dy = -2; dy <= 2; dy++) {
        const ny = by + dy;
        if (ny < 0 || ny >= bh) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const nx = bx + dx;
          if (nx < 0 || nx >= bw) continue;
          const nb = ny * bw + nx;
          if (counts[nb] && label[nb] < 0) {
            label[nb] = start;
            stack.push(nb);
          }
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const wide = mm(Math.max(w, h));
    if (wide < SEAL_MM[0] || wide > SEAL_MM[1] || Math.max(w, h) > SEAL_ASPECT * Math.min(w, h)) continue;
    if (blocks > SEAL_FILL * w * h) continue;
    seal ??= new Uint8Array(bw * bh);
    for (let y = Math.max(0, y0 - 2); y <= Math.min(bh - 1, y1 + 2); y++) seal.fill(1, y * bw + Math.max(0, x0 - 2), y * bw + Math.min(bw - 1, x1 + 2) + 1);
  }
  return seal;
}

/** Grows a 0/1 mask by `k` pixels each way (a square window), in place. */
function dilate(mask: Uint8Array, width: number, height: number, k: number): void {
  const tmp = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) last = x;
      if (x - last <= k) tmp[row + x] = 1;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (mask[row + x]) last = x;
      if (last - x <= k) tmp[row + x] = 1;
    }
  }
  mask.fill(0);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (tmp[y * width + x]) last = y;
      if (y - last <= k) mask[y * width + x] = 1;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (tmp[y * width + x]) last = y;
      if (last - y <= k) mask[y * width + x] = 1;
    }
  }
}

/** RGBA → RGB composited over white. */
function overWhite(px: Uint8Array | Uint8ClampedArray, n: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 4, k += 3) {
    const a = px[j + 3];
    if (a === 255) {
      out[k] = px[j];
      out[k + 1] = px[j + 1];
      out[k + 2] = px[j + 2];
    } else {
      out[k] = (px[j] * a + 255 * (255 - a) + 127) / 255;
      out[k + 1] = (px[j + 1] * a + 255 * (255 - a) + 127) / 255;
      out[k + 2] = (px[j + 2] * a + 255 * (255 - a) + 127) / 255;
    }
  }
  return out;
}

/** A look at every third pixel of every third row: is there enough red ink to look closely? */
function mayHaveRed(px: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number): boolean {
  let red = 0;
  let seen = 0;
  for (let y = 1; y < height; y += 3) {
    for (let j = (y * width + 1) * channels, end = (y + 1) * width * channels; j < end; j += 3 * channels) {
      seen++;
      const r = px[j];
      const g = px[j + 1];
      const b = px[j + 2];
      if (isRed(r, g, b) && (channels === 3 || px[j + 3] > 128)) red++;
    }
  }
  return red >= 0.5 * RED_PAGE_SHARE * seen;
}

/** Luma of RGB or RGBA (over white) pixels. */
export function luma(px: Uint8Array | Uint8ClampedArray, n: number, channels: number): Uint8Array {
  const gray = new Uint8Array(n);
  if (channels === 3) {
    for (let i = 0, j = 0; i < n; i++, j += 3) gray[i] = lumaOf(px[j], px[j + 1], px[j + 2]);
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      const a = px[j + 3];
      const l = lumaOf(px[j], px[j + 1], px[j + 2]);
      gray[i] = a === 255 ? l : (l * a + 255 * (255 - a) + 127) / 255;
    }
  }
  return gray;
}

/** Share of the box (pixels of the raster the ink was found on) covered by red ink, 0..1. */
export function redShare(red: RedInk, box: Box): number {
  const x0 = Math.max(0, Math.min(red.bw, Math.floor(box[0] / BLOCK)));
  const y0 = Math.max(0, Math.min(red.bh, Math.floor(box[1] / BLOCK)));
  const x1 = Math.max(0, Math.min(red.bw, Math.ceil(box[2] / BLOCK)));
  const y1 = Math.max(0, Math.min(red.bh, Math.ceil(box[3] / BLOCK)));
  if (x1 <= x0 || y1 <= y0) return 0;
  const W = red.bw + 1;
  const count = red.sums[y1 * W + x1] - red.sums[y0 * W + x1] - red.sums[y1 * W + x0] + red.sums[y0 * W + x0];
  return Math.min(1, count / ((x1 - x0) * (y1 - y0) * BLOCK * BLOCK));
}

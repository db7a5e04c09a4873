/**
 * Image intake for OCR (sharp): header checks before any decoding (pixel limit, page count), then per
 * page EXIF orientation, grayscale, contrast stretch, scaling to the resolution the readers are tuned
 * for (≈ 300 dpi), quarter-turn detection (projection profiles), upside-down detection (a callback
 * that reads a few lines both ways) and deskew of up to ±5° estimated from a projection profile.
 */
import type { Limits } from '../../intake/limits.js';
import { ConvertError } from '../../intake/errors.js';
import { bmpHeader, decodeBmp, isBmp } from './bmp.js';
import { dropRedInk, type RedInk } from './ink.js';
import { composeHomography, flattenIllumination, rectifyPage, type Homography } from './photo.js';
import { binarize, otsu, rotate180, shrinkGray, type Gray } from './raster.js';

type Sharp = typeof import('sharp').default;
let sharpMod: Sharp | null = null;
export async function sharpLib(): Promise<Sharp> {
  if (!sharpMod) {
    const m = await import('sharp');
    sharpMod = m.default;
    sharpMod.cache(false);
    sharpMod.concurrency(1);
  }
  return sharpMod;
}

/** The resolution the cell and line readers are tuned for. */
export const TARGET_DPI = 300;

export interface ImageInfo {
  format: string;
  pages: number;
  /** Size of each page (pixels), read from the headers only. */
  sizes: { width: number; height: number; density: number | null }[];
}

export interface PreparedPage {
  page: number;
  image: Gray;
  /** Resolution of the prepared raster (estimated when the file does not say). */
  dpi: number;
  /** Factor from the file's pixels to the prepared raster's pixels. */
  scale: number;
  /** Clockwise quarter turns applied (0, 90, 180, 270), after EXIF orientation. */
  rotation: number;
  /** Skew found and removed, degrees (clockwise positive). */
  skew: number;
  original: { width: number; height: number };
}

function corrupt(err: unknown): ConvertError {
  const msg = (err as Error)?.message ?? String(err);
  const truncated = /premature|truncat|end of|short|unexpected end|incomplete/i.test(msg);
  return new ConvertError(
    'IMAGE_CORRUPT', 422,
    truncated
      ? `The image is truncated (${msg.split('\n')[0]}): send the complete file.`
      : `The image could not be decoded (${msg.split('\n')[0]}): it is damaged or not an image.`,
  );
}

/** Reads the headers only and enforces the page and pixel limits before anything is decoded. */
export async function inspectImage(bytes: Uint8Array, limits: Limits): Promise<ImageInfo> {
  if (isBmp(bytes)) {
    const h = bmpHeader(bytes);
    checkPixels(h.width, h.height, 1, limits);
    return { format: 'bmp', pages: 1, sizes: [{ width: h.width, height: h.height, density: null }] };
  }
  const sharp = await sharpLib();
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw corrupt(err);
  }
  const pages = meta.pages ?? 1;
  if (pages > limits.maxPages) {
    throw new ConvertError('TOO_MANY_PAGES', 413, `The image has ${pages} pages; the limit is ${limits.maxPages} (XXGK_MAX_PAGES). Split it.`);
  }
  const sizes: ImageInfo['sizes'] = [];
  for (let p = 0; p < pages; p++) {
    let m = meta;
    if (p > 0) {
      try {
        m = await sharp(bytes, { page: p, limitInputPixels: false }).metadata();
      } catch (err) {
        throw corrupt(err);
      }
    }
    const width = m.width ?? 0;
    const height = m.pageHeight && pages > 1 && p === 0 ? m.pageHeight : m.height ?? 0;
    if (!width || !height) throw new ConvertError('IMAGE_CORRUPT', 422, `Page ${p + 1} of the image declares no pixels.`);
    checkPixels(width, height, p + 1, limits);
    const density = m.density && m.density > 100 && m.density < 1300 && m.density !== 96 ? m.density : null;
    sizes.push({ width, height, density });
  }
  return { format: meta.format ?? 'image', pages, sizes };
}

function checkPixels(width: number, height: number, page: number, limits: Limits): void {
  if (width * height > limits.maxPixels) {
    throw new ConvertError(
      'IMAGE_TOO_LARGE', 413,
      `Page ${page} of the image is ${width} × ${height} pixels (${(width * height / 1e6).toFixed(0)} MP); the limit is ${(limits.maxPixels / 1e6).toFixed(0)} MP (XXGK_MAX_PIXELS). Scan at 300 dpi or less.`,
    );
  }
}

/** Resolution estimate for a file that states no density: the short side taken as A4 width. */
export function estimateDpi(width: number, height: number): number {
  const short = Math.min(width, height);
  const guess = short / 8.27;
  return Math.min(600, Math.max(72, guess));
}

export interface PrepareOptions {
  /** Reads a few lines of the page and says whether it is upside down. */
  isUpsideDown?: (g: Gray, dpi: number) => Promise<boolean>;
}

export interface DecodedPage {
  /** 0-based page index in the file. */
  index: number;
  image: Gray;
  dpi: number;
  scale: number;
  original: { width: number; height: number };
  /** Size after EXIF orientation, before scaling (the pixels evidence boxes refer to). */
  oriented: { width: number; height: number };
  /** Red ink (a seal) dropped from a colour page, in the oriented file's pixels; null when none. */
  red: RedInk | null;
  /**
   * A photographed page squared up: maps the decoded raster's pixels to the oriented file's (the
   * scaling included, so `scale` is then 1). Null for an ordinary scan.
   */
  warp: Homography | null;
  /** The paper's uneven brightness (light falling off over a photo) was divided out. */
  flattened: boolean;
}

/**
 * One page (0-based index) of an image file as it is shown: EXIF orientation applied, a BMP through
 * our own decoder (sharp has none). Conversion and the page-image route both start here, so a file
 * that converts also has page images. Limits were checked on the headers (inspectImage) before.
 */
export async function openPage(bytes: Uint8Array, index: number): Promise<import('sharp').Sharp> {
  const sharp = await sharpLib();
  if (isBmp(bytes)) {
    const d = decodeBmp(bytes, bmpHeader(bytes));
    return sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.length), { raw: { width: d.width, height: d.height, channels: 1 } });
  }
  return sharp(bytes, { page: index, failOn: 'truncated', limitInputPixels: false }).rotate();
}

/** Decodes one page (0-based index): EXIF orientation, gray, scaled to ≈ 300 dpi, contrast stretched. */
export async function decodePage(bytes: Uint8Array, info: ImageInfo, index: number): Promise<DecodedPage> {
  const sharp = await sharpLib();
  const size = info.sizes[index];
  let g: Gray;
  let scale = 1;
  let dpi: number;
  let orientedSize = { width: size.width, height: size.height };
  let red: RedInk | null = null;
  let warp: Homography | null = null;
  let flattened = false;
  try {
    const pipeline = await openPage(bytes, index);
    // Colour pages are turned grey here, with their red ink (a seal over the table) dropped.
    const raw = await pipeline.flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
    const { width, height, channels } = raw.info;
    orientedSize = { width, height };
    let gray: Uint8Array;
    if (channels >= 3) {
      const d = dropRedInk(raw.data, width, height, channels >= 4 ? 4 : 3);
      gray = d.gray;
      red = d.red;
    } else if (channels === 1) {
      gray = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
    } else {
      gray = new Uint8Array(width * height);
      for (let i = 0; i < gray.length; i++) gray[i] = raw.data[i * channels];
    }
    g = { data: gray, width, height };
    // A photographed page (on a darker desk) is squared up first; it then has its own size and resolution.
    const rect = rectifyPage(g, TARGET_DPI);
    if (rect) {
      g = rect.image;
      warp = rect.warp;
    }
    const w0 = g.width;
    const h0 = g.height;
    const density = rect ? null : size.density;
    const dpiIn = rect?.dpi ?? density ?? (isPageShaped(w0, h0) ? estimateDpi(w0, h0) : dpiFromText(g) ?? estimateDpi(w0, h0));
    scale = Math.abs(dpiIn - TARGET_DPI) / TARGET_DPI > 0.2 ? TARGET_DPI / dpiIn : 1;
    dpi = scale === 1 ? dpiIn : TARGET_DPI;
    if (scale !== 1) {
      const out = await sharp(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.length), { raw: { width: w0, height: h0, channels: 1 } })
        .resize(Math.max(1, Math.round(w0 * scale)), Math.max(1, Math.round(h0 * scale)), { kernel: scale > 1 ? 'cubic' : 'lanczos3' })
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true });
      g = { data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length), width: out.info.width, height: out.info.height };
    }
    if (warp) {
      // Decoded pixels → the warped page's (undo the scaling) → the file's.
      warp = composeHomography(warp, [1 / scale, 0, 0, 0, 1 / scale, 0, 0, 0, 1]);
      scale = 1;
    }
    flattened = flattenIllumination(g);
    stretchContrast(g);
  } catch (err) {
    if (err instanceof ConvertError) throw err;
    throw corrupt(err);
  }
  return { index, image: g, dpi, scale, original: { width: size.width, height: size.height }, oriented: orientedSize, red, warp, flattened };
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
export function dpiFromText(g: Gray): number | null {
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
  const pick = (q: number) => {
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v];
      if (acc >= q * n) return v;
    }
    return 255;
  };
  const lo = pick(0.005);
  const hi = pick(0.99);
  if (hi - lo < 32) return;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  for (let i = 0; i < d.length; i++) d[i] = lut[d[i]];
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
  const w = Math.min(g.width, r.width);
  const h = Math.min(g.height, r.height);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(r.data.subarray((y + top) * r.width + left, (y + top) * r.width + left + w), y * w);
  return { data, width: w, height: h };
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

/** Removes horizontal and vertical ink runs longer than `len` (table rules), in place. */
function eraseLongRuns(mask: Uint8Array, width: number, height: number, len: number): void {
  const erase = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const on = x < width && mask[y * width + x];
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start > len) for (let k = start; k < x; k++) erase[y * width + k] = 1;
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let start = -1;
    for (let y = 0; y <= height; y++) {
      const on = y < height && mask[y * width + x];
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y - start > len) for (let k = start; k < y; k++) erase[k * width + x] = 1;
        start = -1;
      }
    }
  }
  for (let i = 0; i < mask.length; i++) if (erase[i]) mask[i] = 0;
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

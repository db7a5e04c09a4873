/**
 * Image intake for OCR (sharp): header checks before any decoding (pixel limit, page count), then per
 * page EXIF orientation, grayscale with red ink dropped, a photographed page squared up, scaling to
 * the resolution the readers are tuned for (resolution.ts), lighting evened out and contrast stretched.
 */
import type { Limits } from '../../intake/limits.js';
import { ConvertError } from '../../intake/errors.js';
import { bmpHeader, decodeBmp, isBmp } from './bmp.js';
import { dropRedInk, type RedInk } from './ink.js';
import { composeHomography, evenOut, rectifyPage, type Homography } from './photo.js';
import type { Gray } from './raster.js';
import { pageResolution, TARGET_DPI, toTargetResolution } from './resolution.js';
import { sharpLib } from './sharp.js';

export interface ImageInfo {
  format: string;
  pages: number;
  /** Size of each page (pixels), read from the headers only. */
  sizes: { width: number; height: number; density: number | null }[];
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


export interface DecodedPage {
  /** 0-based page index in the file. */
  index: number;
  image: Gray;
  dpi: number;
  scale: number;
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
  const size = info.sizes[index];
  let g: Gray;
  let scale = 1;
  let dpi: number;
  let orientedSize = { width: size.width, height: size.height };
  let red: RedInk | null = null;
  let warp: Homography | null = null;
  let flattened = false;
  // Only decoding turns errors into IMAGE_CORRUPT: a failure in what follows is a fault of ours, not the file's.
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    const pipeline = await openPage(bytes, index);
    // Colour pages are turned grey here, with their red ink (a seal over the table) dropped.
    raw = await pipeline.flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    if (err instanceof ConvertError) throw err;
    throw corrupt(err);
  }
  const { width, height, channels } = raw.info;
  orientedSize = { width, height };
  let gray: Uint8Array;
  if (channels >= 3) {
    const d = dropRedInk(raw.data, width, height, channels >= 4 ? 4 : 3, size.density);
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
  // A squared-up photo has the resolution rectifying gave it (the file's density is the photo's, not the
  // page's); an ordinary scan has the file's density. Failing those, an estimate.
  const known = rect ? rect.dpi : size.density;
  const scaled = await toTargetResolution(g, known ?? pageResolution(g));
  g = scaled.image;
  scale = scaled.scale;
  dpi = scaled.dpi;
  if (warp) {
    // Decoded pixels → the warped page's (undo the scaling) → the file's.
    warp = composeHomography(warp, [1 / scale, 0, 0, 0, 1 / scale, 0, 0, 0, 1]);
    scale = 1;
  }
  flattened = evenOut(g, rect !== null);
  return { index, image: g, dpi, scale, oriented: orientedSize, red, warp, flattened };
}

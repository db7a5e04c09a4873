/**
 * Cell-by-cell recognition on a known grid. Each cell's interior (inside its rules) is cut into text
 * lines (lines.ts) and every line is read by the primary engine. Cells of numeric columns are read as
 * numbers: look-alike letters are repaired there only (O → 0, l/I/| → 1), and a reading that is not
 * sure enough gets a second opinion (the other engine on the same crop, and the primary engine on a
 * differently scaled crop); agreement raises the confidence, disagreement caps it.
 */
import type { Recognition } from './engine.js';
import type { ImageTable } from './grid.js';
import { cellBox } from './grid.js';
import { findLines } from './lines.js';
import { isPlaceholder, normalizeOcrText, numericLines, repairNumber } from './numbers.js';
import { padForRecognition } from './paddle.js';
import type { EngineName, OcrPool } from './pool.js';
import { cropGray, padGray, resizeGray, toCrop, type Box, type Gray } from './raster.js';

export interface PageRaster {
  image: Gray;
  mask: Uint8Array;
  dpi: number;
}

export interface CellReading {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  confidence: number;
  box: Box;
  /** The line boxes the text was read from. */
  lines: Box[];
  numeric: boolean;
}

const CJK = /[\u3400-\u9fff]/;

/** Confidence below which a numeric reading gets a second opinion. */
export const RECHECK_BELOW = 0.9;
/**
 * The most a cell gets when only one reading vouches for it (and a cell under seal ink, page.ts): low
 * enough that the checks holding over it do not lift it past the review threshold on their own.
 */
export const UNSURE_CONFIDENCE = 0.35;

export interface ReadSettings {
  recheckBelow: number;
  /** Engine for second opinions (default: the one that is not primary). */
  second: EngineName | null;
}

export function defaultReadSettings(pool: OcrPool): ReadSettings {
  // With tesseract as the primary engine the run stays tesseract-only (the benchmark compares them).
  return { recheckBelow: RECHECK_BELOW, second: pool.primary === 'paddle' ? 'tesseract' : null };
}

/** Crop of a line for recognition: a little context around the ink, then the engine's padding. */
export function lineCrop(g: Gray, box: Box, dpi: number, extra = 0): Gray {
  const m = Math.round(dpi * 0.006) + extra;
  const c = cropGray(g, [box[0] - m, box[1] - m, box[2] + m, box[3] + m]);
  return padForRecognition(c);
}

function meanConf(r: Recognition): number {
  const ch = r.chars ?? [];
  if (!ch.length) return r.confidence;
  return ch.reduce((s, c) => s + c.confidence, 0) / ch.length;
}

export interface LineReading {
  text: string;
  min: number;
  mean: number;
}

export async function readLines(raster: PageRaster, boxes: Box[], pool: OcrPool, hint: 'text' | 'number'): Promise<LineReading[]> {
  return Promise.all(
    boxes.map(async (b) => {
      const r = await pool.read(toCrop(lineCrop(raster.image, b, raster.dpi)), hint);
      return { text: normalizeOcrText(r.text), min: r.confidence, mean: meanConf(r) };
    }),
  );
}

/** Joins crops left to right with white gaps, centred vertically; returns the strip and each part's span. */
export function hconcat(parts: Gray[], gap: number): { strip: Gray; spans: [number, number][] } {
  const H = Math.max(...parts.map((x) => x.height));
  const W = parts.reduce((s, x) => s + x.width, 0) + gap * (parts.length + 1);
  const out = new Uint8Array(W * H).fill(255);
  const spans: [number, number][] = [];
  let x0 = gap;
  for (const q of parts) {
    const top = Math.floor((H - q.height) / 2);
    for (let y = 0; y < q.height; y++) out.set(q.data.subarray(y * q.width, (y + 1) * q.width), (y + top) * W + x0);
    spans.push([x0, x0 + q.width]);
    x0 += q.width + gap;
  }
  return { strip: { data: out, width: W, height: H }, spans };
}

/** A synthetic "+" glyph: read reliably as "+", it keeps neighbouring crops (0 0 0 …) apart. */
export function plusGlyph(h: number): Gray {
  const w = Math.max(6, Math.round(h * 0.8));
  const t = Math.max(2, Math.round(h * 0.08));
  const g = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const horiz = Math.abs(y - h / 2) < t / 2 && x > w * 0.15 && x < w * 0.85;
      const vert = Math.abs(x - w / 2) < t / 2 && y > h * 0.2 && y < h * 0.8;
      if (horiz || vert) g[y * w + x] = 0;
    }
  }
  return { data: g, width: w, height: h };
}

/**
 * Reads short crops (numbers, short labels) side by side in one strip, separated by "+" glyphs: the
 * recogniser reads a lone digit poorly (a single 0 often vanishes, a row of zeros merges) but reads
 * it reliably among others. Characters go back to their crop by the position the CTC decoder
 * emitted them at; characters over a separator are dropped.
 */
export async function readStrip(crops: Gray[], pool: OcrPool, gapFactor = 0.3, hint: 'text' | 'number' = 'text'): Promise<LineReading[]> {
  if (crops.length === 0) return [];
  const heights = crops.map((c) => c.height).sort((a, b) => a - b);
  const hMed = heights[heights.length >> 1];
  const sep = plusGlyph(Math.max(8, Math.round(hMed * 0.8)));
  const parts: Gray[] = [];
  crops.forEach((c, i) => {
    if (i > 0) parts.push(sep);
    parts.push(c);
  });
  const H = heights[heights.length - 1];
  const gap = Math.max(3, Math.round(hMed * gapFactor));
  const { strip, spans: allSpans } = hconcat(parts, gap);
  const spans = allSpans.filter((_, i) => i % 2 === 0);
  const v = Math.round(H * 0.2);
  const padded = padGray(strip, 0, v, 0, v);
  const r = await pool.read(toCrop(padded), hint, 'paddle');
  const buckets: { text: string; confidence: number }[][] = crops.map(() => []);
  for (const ch of r.chars ?? []) {
    const cx = (ch.bbox[0] + ch.bbox[2]) / 2;
    const k = spans.findIndex(([a, b]) => cx >= a - gap * 0.6 && cx < b + gap * 0.6);
    if (k < 0) continue; // a separator (or noise between crops)
    buckets[k].push(ch);
  }
  return buckets.map((b) => {
    if (!b.length) return { text: '', min: 0.2, mean: 0.2 };
    const text = normalizeOcrText(b.map((c) => c.text).join(''));
    return { text, min: Math.min(...b.map((c) => c.confidence)), mean: b.reduce((s, c) => s + c.confidence, 0) / b.length };
  });
}

/** Short lines are read in strips of this many crops. */
const STRIP_PARTS = 10;

/** Reads a set of line boxes: short ones in strips (when the primary engine is Paddle), long ones alone. */
export async function readBoxes(raster: PageRaster, boxes: Box[], pool: OcrPool): Promise<LineReading[]> {
  const out: LineReading[] = new Array(boxes.length);
  const short: number[] = [];
  const long: number[] = [];
  boxes.forEach((b, i) => ((pool.primary === 'paddle' && b[2] - b[0] <= 6 * (b[3] - b[1])) ? short : long).push(i));
  const m = Math.round(raster.dpi * 0.008);
  const jobs: Promise<void>[] = [];
  // Crops of like height share a strip (digits are shorter than CJK characters).
  short.sort((a, b) => (boxes[a][3] - boxes[a][1]) - (boxes[b][3] - boxes[b][1]) || a - b);
  for (let s = 0; s < short.length; s += STRIP_PARTS) {
    const idx = short.slice(s, s + STRIP_PARTS);
    const crops = idx.map((i) => cropGray(raster.image, [boxes[i][0] - m, boxes[i][1] - m, boxes[i][2] + m, boxes[i][3] + m]));
    jobs.push(readStrip(crops, pool).then((rs) => rs.forEach((r, k) => (out[idx[k]] = r))));
  }
  jobs.push(readLines(raster, long.map((i) => boxes[i]), pool, 'text').then((rs) => rs.forEach((r, k) => (out[long[k]] = r))));
  await Promise.all(jobs);
  return out;
}

/** Reads every cell of a table. */
export async function readTable(raster: PageRaster, table: ImageTable, pool: OcrPool, settings = defaultReadSettings(pool)): Promise<CellReading[]> {
  const { mask, image, dpi } = raster;
  const inset = table.rule + Math.max(2, Math.round(dpi * 0.008));
  const cellLines = table.spans.map((c) => {
    const box = cellBox(table, c);
    const inner: Box = [box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset];
    const lines = findLines(mask, image.width, inner, { dpi, splitGap: Infinity }).filter((l) => !isRuleRemnant(l, inner, dpi));
    return { c, box, lines };
  });
  const flat = cellLines.flatMap((x, ci) => x.lines.map((l) => ({ ci, l })));
  const readings = await readBoxes(raster, flat.map((f) => f.l), pool);
  const first = cellLines.map(({ c, box, lines }, ci) => {
    const read = readings.filter((_, k) => flat[k].ci === ci);
    const text = read.map((r) => r.text).join('');
    const min = read.length ? Math.min(...read.map((r) => r.min)) : 0.98;
    const mean = read.length ? read.reduce((s, r) => s + r.mean, 0) / read.length : 0.98;
    return { ...c, box, lines, text, min, mean };
  });
  // A label column (most of its cells Chinese) where a reading lost its Chinese (`3.` for 3.其他: a
  // short label read in a strip of crops) while its line is wide enough for more: read it alone.
  const textCols = new Set<number>();
  for (let col = 0; col < table.xs.length - 1; col++) {
    const inCol = first.filter((c) => c.col === col && c.text !== '');
    const cjk = inCol.filter((c) => CJK.test(c.text)).length;
    if (cjk >= 2 && cjk >= 0.6 * inCol.length) textCols.add(col);
  }
  await Promise.all(
    first.map(async (c, i) => {
      if (!textCols.has(c.col) || !c.text || CJK.test(c.text) || !c.lines.some((l) => l[2] - l[0] >= 2.5 * (l[3] - l[1]))) return;
      const alone = await readLines(raster, c.lines, pool, 'text');
      const text = alone.map((r) => r.text).join('');
      if (CJK.test(text)) first[i] = { ...c, text, min: Math.min(...alone.map((r) => r.min)), mean: alone.reduce((a, r) => a + r.mean, 0) / alone.length };
    }),
  );
  // Numeric rows and columns: most non-empty cells there read as numbers (look-alikes repaired). A
  // cell that looks like a number is read as one where its row or column is numeric, or where it
  // holds a digit; elsewhere (a header cell 〇 or I) it keeps its characters.
  const numeric = numericLines(first);
  return Promise.all(
    first.map(async (c) => {
      const looksNumeric = repairNumber(c.text) !== null || (c.text.length <= 3 && !/[\u3400-\u9fff]/.test(c.text));
      const numericCell = c.lines.length > 0 && !isPlaceholder(c.text) && looksNumeric && (numeric.cols.has(c.col) || numeric.rows.has(c.row) || /\d/.test(c.text) || c.text === '');
      if (!numericCell) {
        return { row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, text: c.text, confidence: round(c.text ? c.mean : c.min), box: c.box, lines: c.lines, numeric: false };
      }
      const { text, confidence } = await settleNumber(raster, c.lines, c.text, c.min, pool, settings);
      return { row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, text, confidence: round(confidence), box: c.box, lines: c.lines, numeric: true };
    }),
  );
}

/** A band that is a piece of a rule left inside the cell (thin and as wide as the cell). */
function isRuleRemnant(l: Box, inner: Box, dpi: number): boolean {
  const h = l[3] - l[1];
  const w = l[2] - l[0];
  return h <= Math.max(3, dpi * 0.012) && w >= (inner[2] - inner[0]) * 0.8;
}

/**
 * Decides a numeric cell. A confident first reading stands. Otherwise the second engine reads the same
 * crop and the primary engine reads a 1.5× enlarged crop; the value most readings agree on wins.
 */
export async function settleNumber(raster: PageRaster, lines: Box[], firstText: string, firstConf: number, pool: OcrPool, settings: ReadSettings): Promise<{ text: string; confidence: number }> {
  const first = repairNumber(firstText);
  if (first !== null && firstConf >= settings.recheckBelow) return { text: first, confidence: firstConf };
  const box = lines.reduce<Box>((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], lines[0]);
  const m = Math.round(raster.dpi * 0.008);
  const tight = cropGray(raster.image, [box[0] - m, box[1] - m, box[2] + m, box[3] + m]);
  const scaled = resizeGray(tight, tight.width * 1.25, tight.height * 1.25);
  let second: string | null;
  let secondConf: number;
  if (pool.primary === 'paddle') {
    // The crop three times in a strip, at another scale: the three copies must read alike.
    const copies = await readStrip([scaled, scaled, scaled], pool, 0.5, 'number');
    const same = copies.every((c) => c.text === copies[0].text);
    second = same ? repairNumber(copies[0].text) : null;
    secondConf = Math.min(...copies.map((c) => c.min));
  } else {
    const r = await pool.read(toCrop(padGray(scaled, 10, 10, 10, 10)), 'number');
    second = repairNumber(r.text);
    secondConf = r.confidence;
  }
  const readings: { text: string | null; conf: number; engine: string }[] = [
    { text: first, conf: firstConf, engine: 'primary' },
    { text: second, conf: secondConf, engine: 'primary-scaled' },
  ];
  const agreed = first !== null && first === second;
  if (!(agreed && Math.max(firstConf, secondConf) >= 0.8) && settings.second) {
    const g = lineCrop(raster.image, box, raster.dpi, Math.round(raster.dpi * 0.01));
    const t = await pool.read(toCrop(padGray(g, 8, 8, 8, 8)), 'number', settings.second);
    readings.push({ text: repairNumber(t.text), conf: t.confidence, engine: 'second' });
  }
  const votes = new Map<string, { n: number; conf: number[]; engines: string[] }>();
  for (const r of readings) {
    if (r.text === null) continue;
    const v = votes.get(r.text) ?? { n: 0, conf: [], engines: [] };
    v.n++;
    v.conf.push(r.conf);
    v.engines.push(r.engine);
    votes.set(r.text, v);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1].n - a[1].n || Math.max(...b[1].conf) - Math.max(...a[1].conf));
  if (!ranked.length) return { text: firstText, confidence: Math.min(firstConf, 0.3) };
  const [text, v] = ranked[0];
  const best = Math.max(...v.conf);
  let confidence: number;
  if (v.n === readings.length && v.n >= 2) {
    // Every reading agrees.
    confidence = v.engines.includes('second') ? Math.max(0.9, 1 - (1 - best) * 0.3) : Math.max(0.85, 1 - (1 - best) * 0.5);
  } else if (v.n >= 2) {
    confidence = Math.min(0.6, best);
  } else {
    confidence = Math.min(UNSURE_CONFIDENCE, best);
  }
  return { text, confidence };
}

function round(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;
}

/**
 * Regenerates the print-and-scan quirk samples of samples/scans/ (issue 11), beside make-scans.ts:
 *
 * - `watermark-diagonal`: a sample PDF (samples/pdf/<seed>.chrome.pdf) with 仅供参考 2024 stamped as real
 *   text, grey, turned 45° and tiled over every page (a Form XObject drawn several times a page).
 * - `watermark-faint`: the same text level with the page, black at 25 % opacity (an ExtGState `ca`).
 *   Both must convert exactly like the clean PDF.
 *
 * The scanned quirks are made on one-page reports, which keep the files within a few hundred KB: a
 * seed's title and agency with its 表三 and 表四 (`<seed>.tables`, expected values in
 * samples/scans/expected/, the seed's cells of those two tables), printed by Chromium to A4 and
 * rasterised at 300 dpi with pdftoppm:
 *
 * - `seal` (003): a colour scan with a red official seal (公章: ring, star, a ring of characters) stamped,
 *   multiplied like ink, over 表三's numbers. Its circle is in the manifest (`seal`, file pixels).
 * - `photo` (003): the page photographed: on a dark desk, a few degrees of perspective (the corners are
 *   in the manifest, `corners`), light falling off towards one corner, a little blur and noise.
 * - `zero-circle` (004): zeros printed as 〇 in 表三 and as O in 表四.
 * - `skew-jpeg`: the two scans issue 11 reported, as scanned PDFs (1° of skew, JPEG pages): 004's
 *   Chromium PDF (表四 whole on its page) and 001 printed with roomier cells (its 附表's last row alone
 *   on the next page).
 *
 * Run: node --import tsx scripts/ocr/make-print-variants.ts [variant …]
 * Needs: chromium and fonts-noto-cjk (watermark glyphs, zero-circle).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { degrees, PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { applyHomography, homography, type Point } from '../../src/extract/ocr/photo.js';
import { extractPdf } from '../../src/extract/pdf/index.js';
import { prng } from './prng.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const samples = join(root, 'samples');
const outDir = join(samples, 'scans');

export type PrintVariant = 'watermark-diagonal' | 'watermark-faint' | 'seal' | 'photo' | 'zero-circle' | 'skew-jpeg';
export const PRINT_VARIANTS: PrintVariant[] = ['watermark-diagonal', 'watermark-faint', 'seal', 'photo', 'zero-circle', 'skew-jpeg'];

interface Entry {
  file: string;
  seed: string;
  expected: string;
  route: 'image-ocr' | 'pdf-ocr' | 'pdf-text';
  variant: string;
  degradation: 0 | 1 | 2;
  pages: number;
  /** The seal's circle (seal), file pixels. */
  seal?: { cx: number; cy: number; r: number };
  /** Where the page's corners are in the photo (photo): top-left, top-right, bottom-right, bottom-left. */
  corners?: [number, number][];
}

const tmp = mkdtempSync(join(os.tmpdir(), 'xxgk-print-'));
const entries: Entry[] = [];
const wanted = new Set(process.argv.slice(2));
const want = (v: PrintVariant) => wanted.size === 0 || wanted.has(v);

function write(rel: string, data: Buffer, entry: Omit<Entry, 'file'>): void {
  const path = join(outDir, rel);
  const same = existsSync(path) && readFileSync(path).equals(data);
  if (!same) writeFileSync(path, data);
  entries.push({ file: `scans/${rel}`, ...entry });
  console.log(`${same ? 'unchanged' : 'wrote    '} ${relative(root, path)}  ${(data.length / 1024).toFixed(0)} KB`);
}

const expectedOf = (seed: string) => `expected/${seed}.json`;

/** A grey (1 channel) or colour (3 channels) raster. */
interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

const rawImage = (r: Raw) => sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } });

function chromium(htmlPath: string, pdfPath: string): void {
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--no-pdf-header-footer', `--user-data-dir=${join(tmp, 'profile')}`,
    `--print-to-pdf=${pdfPath}`, `file://${htmlPath}`,
  ], { stdio: 'ignore', timeout: 60_000 });
}

// ---------------------------------------------------------------------------------------------
// Watermarks: real text, so the glyphs come from a one-line page Chromium prints with an embedded
// CJK subset; pdf-lib draws that page as a Form XObject over every page of the sample.

const WATERMARK = '仅供参考 2024';

async function watermarkGlyphs(color: string, opacity: number): Promise<Buffer> {
  const name = `wm-${color.slice(1)}-${opacity}`;
  const html = join(tmp, `${name}.html`);
  writeFileSync(html, `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:300px 60px;margin:0}
html,body{margin:0;padding:0;background:transparent}div{font:40px/60px "Noto Sans CJK SC";color:${color};opacity:${opacity};white-space:nowrap}</style></head>
<body><div>${WATERMARK}</div></body></html>`);
  const pdf = join(tmp, `${name}.pdf`);
  chromium(html, pdf);
  return readFileSync(pdf);
}

/** Chromium's page sets its own ExtGState (ca 1) inside the glyph page, so opacity is set there (CSS). */
async function stamp(source: Buffer, glyphs: Buffer, rotate: number): Promise<Buffer> {
  const doc = await PDFDocument.load(source, { updateMetadata: false });
  const [mark] = await doc.embedPdf(glyphs, [0]);
  for (const page of doc.getPages()) {
    const { width, height } = page.getSize();
    const rad = (rotate * Math.PI) / 180;
    // A grid of stamps across the page: two across, four down, each centred on its grid point.
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 4; j++) {
        const cx = (width * (i + 0.5)) / 2;
        const cy = (height * (j + 0.5)) / 4;
        const w = mark.width;
        const h = mark.height;
        // drawPage rotates about the lower-left corner: shift it so the stamp turns about its centre.
        const x = cx - (w / 2) * Math.cos(rad) + (h / 2) * Math.sin(rad);
        const y = cy - (w / 2) * Math.sin(rad) - (h / 2) * Math.cos(rad);
        page.drawPage(mark, { x, y, rotate: degrees(rotate) });
      }
    }
  }
  doc.setProducer('xxgk-convert make-print-variants');
  doc.setModificationDate(new Date(0));
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

async function watermarks(): Promise<void> {
  if (want('watermark-diagonal')) {
    const seed = '004_a98acada5b20935e';
    const pdf = await stamp(readFileSync(join(samples, 'pdf', `${seed}.chrome.pdf`)), await watermarkGlyphs('#8c8c8c', 1), 45);
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    write(`${seed}.watermark-diagonal.pdf`, pdf, { seed, expected: expectedOf(seed), route: 'pdf-text', variant: 'watermark-diagonal', degradation: 1, pages });
  }
  if (want('watermark-faint')) {
    const seed = '000_ac416d85e5af171b';
    const pdf = await stamp(readFileSync(join(samples, 'pdf', `${seed}.chrome.pdf`)), await watermarkGlyphs('#000000', 0.25), 0);
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    write(`${seed}.watermark-faint.pdf`, pdf, { seed, expected: expectedOf(seed), route: 'pdf-text', variant: 'watermark-faint', degradation: 1, pages });
  }
}

// ---------------------------------------------------------------------------------------------
// One-page reports and their scans.

/** The print style make-scans.ts uses: A4, the page's fixed width relaxed. */
const PRINT_CSS = '@page{size:A4;margin:14mm 12mm}body{background:#fff!important}.wrap,.footer{width:auto!important;padding-left:0!important;padding-right:0!important}table{page-break-inside:auto}tr{page-break-inside:avoid}';

function printHtml(html: string, name: string): string {
  const src = join(tmp, `${name}.html`);
  // First in the head: a report's own print styles (the one-page reports' tighter cells) come after it.
  writeFileSync(src, html.replace(/<head>/, `<head><style>${PRINT_CSS}</style>`));
  const pdf = join(tmp, `${name}.pdf`);
  chromium(src, pdf);
  return pdf;
}

/** PDF → grey pages at `dpi` (pdftoppm). */
async function rasterize(pdf: string, dpi: number): Promise<Raw[]> {
  const prefix = join(tmp, `${pdf.split('/').pop()!.replace(/\.pdf$/, '')}-${dpi}`);
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', pdf, prefix], { timeout: 120_000 });
  const base = prefix.split('/').pop()!;
  const pages: Raw[] = [];
  for (const f of readdirSync(tmp).filter((x) => x.startsWith(`${base}-`) && x.endsWith('.png')).sort()) {
    const { data, info } = await sharp(join(tmp, f)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    pages.push({ data, width: info.width, height: info.height, channels: 1 });
  }
  return pages;
}

/** The seed's title and agency with its 表三 and 表四 only: sections 一, 二, 五 and 六 are left out. */
function tablesOnly(html: string): string {
  const start = html.indexOf('<h2>一、');
  const three = html.indexOf('<h2>三、');
  const five = html.indexOf('<h2>五、');
  const end = html.indexOf('</div>', five);
  if (start < 0 || three < start || five < three || end < five) throw new Error('unexpected seed HTML');
  // Tighter cells than the web page's, so that the two tables and the title fit one A4 page.
  const tight = '<style>@page{margin:10mm 12mm}.footer{display:none}table.xxgk-table td{padding:1px 3px!important;font-size:12px!important;line-height:1.25!important}h1{margin:6px 0 4px!important}h2{margin:6px 0 3px!important}.tools,.article>p{display:none}</style></head>';
  return (html.slice(0, start) + html.slice(three, five) + html.slice(end)).replace('</head>', tight);
}

/** The expected values of a `tables` report: the seed's, for the cells of 表三 and 表四. */
function tablesExpected(seed: string): string {
  type Keyed = Record<string, unknown>;
  const exp = JSON.parse(readFileSync(join(samples, 'expected', `${seed}.json`), 'utf8')) as { cells: Keyed; texts?: Keyed; units?: Keyed; labels?: Keyed };
  const kept = (k: string) => k.startsWith('applications.') || k.startsWith('reviewLitigation.');
  const only = (o: Keyed | undefined) => (o ? Object.fromEntries(Object.entries(o).filter(([k]) => kept(k))) : undefined);
  const cells = only(exp.cells);
  const rel = `scans/expected/${seed}.tables.json`;
  const path = join(samples, rel);
  mkdirSync(dirname(path), { recursive: true });
  const text = JSON.stringify({
    ...exp, source: `samples/expected/${seed}.json, the cells of 表三 and 表四 (scripts/ocr/make-print-variants.ts)`, cells, texts: only(exp.texts), units: only(exp.units),
  }, null, 1) + '\n';
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  return rel;
}

/** A one-page `tables` report of the seed, at 300 dpi, with its 表三's box (pixels); `edit` changes its HTML first. */
async function tablesPage(seed: string, edit?: (html: string) => string): Promise<{ page: Raw; table3: [number, number, number, number] }> {
  const name = `${seed}.tables${edit ? `-${edit.name}` : ''}`;
  const html = tablesOnly(readFileSync(join(samples, 'html', `${seed}.html`), 'utf8'));
  const pdf = printHtml(edit ? edit(html) : html, name);
  const pages = await rasterize(pdf, 300);
  if (pages.length !== 1) throw new Error(`${name}: ${pages.length} pages, not one`);
  const layout = await extractPdf(readFileSync(pdf), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  const grid = layout.blocks.find((b) => b.kind === 'grid' && b.cells.some((c) => c.text.includes('申请人情况')));
  if (!grid || grid.kind !== 'grid' || !grid.bbox) throw new Error(`${name}: no 表三`);
  const k = 300 / 72;
  return { page: pages[0], table3: [grid.bbox[0] * k, grid.bbox[1] * k, grid.bbox[2] * k, grid.bbox[3] * k] };
}

/** Rotates by `deg` clockwise, keeping the page size (white corners). */
async function rotateKeep(r: Raw, deg: number): Promise<Raw> {
  const { data, info } = await rawImage(r).rotate(deg, { background: '#ffffff' }).toColourspace(r.channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  const left = Math.floor((info.width - r.width) / 2);
  const top = Math.floor((info.height - r.height) / 2);
  const out = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 1 | 3 } })
    .extract({ left, top, width: r.width, height: r.height }).toColourspace(r.channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  return { data: out.data, width: r.width, height: r.height, channels: out.info.channels === 1 ? 1 : 3 };
}

/** A red official seal as SVG: a ring, a star, the agency's name round the top, a line under the star. */
function sealSvg(d: number, name: string, line: string): string {
  const c = d / 2;
  const ring = d * 0.035;
  const R = c - ring;
  const star = Array.from({ length: 10 }, (_, i) => {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 ? d * 0.075 : d * 0.19;
    return `${(c + rr * Math.cos(a)).toFixed(1)},${(c + rr * Math.sin(a)).toFixed(1)}`;
  }).join(' ');
  const size = d * 0.12;
  const chars = [...name];
  const span = 250;
  const glyphs = chars.map((ch, i) => {
    const a = -90 - span / 2 + (span * (i + 0.5)) / chars.length;
    const rad = (a * Math.PI) / 180;
    const rr = R - ring * 0.6 - size * 0.62;
    const x = c + rr * Math.cos(rad);
    const y = c + rr * Math.sin(rad);
    return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" transform="rotate(${(a + 90).toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})" font-size="${size.toFixed(1)}" text-anchor="middle" dominant-baseline="central">${ch}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${d}" height="${d}"><g fill="#d7261e" stroke="none" font-family="Noto Serif CJK SC" font-weight="bold">` +
    `<circle cx="${c}" cy="${c}" r="${R.toFixed(1)}" fill="none" stroke="#d7261e" stroke-width="${(ring * 2).toFixed(1)}"/>` +
    `<polygon points="${star}"/>${glyphs}` +
    `<text x="${c}" y="${(c + d * 0.3).toFixed(1)}" font-size="${(size * 0.9).toFixed(1)}" text-anchor="middle">${line}</text></g></svg>`;
}

async function sealVariant(): Promise<void> {
  const seed = '003_7d78940555e26d72';
  const { page, table3 } = await tablesPage(seed);
  // About 42 mm across, over the middle of 表三's number columns.
  const d = Math.round((42 / 25.4) * 300);
  const cx = Math.round(table3[0] + 0.68 * (table3[2] - table3[0]));
  const cy = Math.round(table3[1] + 0.42 * (table3[3] - table3[1]));
  const svg = await sharp(Buffer.from(sealSvg(d, '同心县人民政府办公室', '政务公开专用章'))).ensureAlpha(0.88).png().toBuffer();
  const colour = await rawImage(page).toColourspace('srgb')
    .composite([{ input: svg, left: cx - d / 2, top: cy - d / 2, blend: 'multiply' }])
    .jpeg({ quality: 60, mozjpeg: true }).toBuffer();
  write(`${seed}.tables.seal.jpg`, colour, {
    seed, expected: tablesExpected(seed), route: 'image-ocr', variant: 'seal', degradation: 1, pages: 1, seal: { cx, cy, r: d / 2 },
  });
}

/** Zeros printed as 〇 in 表三's value cells and as O in 表四's. */
function circleZeros(html: string): string {
  const four = html.indexOf('<h2>四、');
  const cell = (glyph: string) => (s: string) => s.replace(/(<td[^>]*>)0(<\/td>)/g, `$1${glyph}$2`);
  return cell('〇')(html.slice(0, four)) + cell('O')(html.slice(four));
}

async function zeroCircleVariant(): Promise<void> {
  const seed = '004_a98acada5b20935e';
  const { page } = await tablesPage(seed, circleZeros);
  const png = await rawImage(page).png({ compressionLevel: 9, palette: true, colours: 16 }).toBuffer();
  write(`${seed}.tables.zero-circle.png`, png, { seed, expected: tablesExpected(seed), route: 'image-ocr', variant: 'zero-circle', degradation: 1, pages: 1 });
}

/** The seed's report with roomier table cells (padding in px), so that its tables break over pages elsewhere. */
function roomyCells(padding: number): (html: string) => string {
  return (html) => html.replace('</head>', `<style>table.xxgk-table td{padding:${padding}px 4px!important}</style></head>`);
}

/** A scanned PDF: each page a grey JPEG (mozjpeg) at its own resolution, no text layer. */
async function scannedPdf(pages: { raw: Raw; dpi: number; quality: number }[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  doc.setProducer('xxgk-convert make-print-variants');
  for (const p of pages) {
    const img = await doc.embedJpg(await rawImage(p.raw).jpeg({ quality: p.quality, mozjpeg: true }).toBuffer());
    const page = doc.addPage([(p.raw.width * 72) / p.dpi, (p.raw.height * 72) / p.dpi]);
    page.drawImage(img, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/**
 * A report scanned 1° askew (alternately clockwise and back) into JPEG pages: the pages in `table` at
 * 300 dpi, the others (prose; the title) at 150 or, in `prose`, 100 dpi.
 */
async function skewedScan(pdf: string, table: number[], prose: number[], first: 1 | -1): Promise<Buffer> {
  const at = new Map<number, Raw[]>();
  const pagesAt = async (dpi: number) => {
    if (!at.has(dpi)) at.set(dpi, await rasterize(pdf, dpi));
    return at.get(dpi)!;
  };
  const n = (await pagesAt(150)).length;
  const out: { raw: Raw; dpi: number; quality: number }[] = [];
  for (let p = 1; p <= n; p++) {
    const dpi = table.includes(p) ? 300 : prose.includes(p) ? 100 : 150;
    const raw = await rotateKeep((await pagesAt(dpi))[p - 1], p % 2 ? first : -first);
    out.push({ raw, dpi, quality: dpi === 300 ? 55 : dpi === 150 ? 50 : 40 });
  }
  return scannedPdf(out);
}

/**
 * The two scans issue 11 reported. 004's 表四 (15 zeros) sits whole on its page: read right, it came
 * out all blank. 001's 附表 (a legacy 统计表), printed with roomier cells, breaks over a page and brings
 * its last row (行政诉讼数) alone to the next page: that row came out blank.
 */
async function skewJpegVariants(): Promise<void> {
  {
    const seed = '004_a98acada5b20935e';
    const pdf = await skewedScan(join(samples, 'pdf', `${seed}.chrome.pdf`), [2], [], 1);
    write(`${seed}.skew-jpeg.pdf`, pdf, { seed, expected: expectedOf(seed), route: 'pdf-ocr', variant: 'skew-jpeg', degradation: 1, pages: 3 });
  }
  {
    const seed = '001_c47c3146309e273f';
    const printed = printHtml(roomyCells(8)(readFileSync(join(samples, 'html', `${seed}.html`), 'utf8')), `${seed}.roomy`);
    const pdf = await skewedScan(printed, [4, 5], [1, 2, 3], -1);
    write(`${seed}.skew-jpeg.pdf`, pdf, { seed, expected: expectedOf(seed), route: 'pdf-ocr', variant: 'skew-jpeg', degradation: 1, pages: 5 });
  }
}

/**
 * The page photographed on a dark desk: its corners moved to a quadrilateral a few degrees off square
 * (perspective), light falling off from the top-left corner to about 40 % at the bottom-right, a little
 * blur and sensor noise.
 */
async function photoVariant(): Promise<void> {
  const seed = '003_7d78940555e26d72';
  const { page } = await tablesPage(seed);
  const W = 2600;
  const H = 3500;
  const corners: Point[] = [[250, 150], [2310, 290], [2450, 3370], [130, 3230]];
  // Photo pixel → page pixel: the inverse of page corners → photo corners.
  const toPage = homography(corners, [[0, 0], [page.width, 0], [page.width, page.height], [0, page.height]]);
  const rnd = prng(0x5eed);
  // Desk: dark, with a slow texture (a coarse noise grid, bilinearly interpolated).
  const G = 24;
  const gx = Math.ceil(W / G) + 2;
  const gy = Math.ceil(H / G) + 2;
  const grain = Float64Array.from({ length: gx * gy }, () => rnd());
  const out = Buffer.alloc(W * H);
  const diag = Math.hypot(W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const [px, py] = applyHomography(toPage, x + 0.5, y + 0.5);
      let v: number;
      if (px >= 0 && py >= 0 && px < page.width - 1 && py < page.height - 1) {
        const x0 = Math.floor(px);
        const y0 = Math.floor(py);
        const fx = px - x0;
        const fy = py - y0;
        const i = y0 * page.width + x0;
        const d = page.data;
        const top = d[i] + (d[i + 1] - d[i]) * fx;
        const bottom = d[i + page.width] + (d[i + page.width + 1] - d[i + page.width]) * fx;
        v = (top + (bottom - top) * fy) * 0.97;
      } else {
        const cx = x / G;
        const cy = y / G;
        const ix = Math.floor(cx);
        const iy = Math.floor(cy);
        const a = grain[iy * gx + ix] + (grain[iy * gx + ix + 1] - grain[iy * gx + ix]) * (cx - ix);
        const b = grain[(iy + 1) * gx + ix] + (grain[(iy + 1) * gx + ix + 1] - grain[(iy + 1) * gx + ix]) * (cx - ix);
        v = 42 + 22 * (a + (b - a) * (cy - iy));
      }
      // Light from the top-left: about 1 there, about 0.4 in the far corner.
      const r = Math.hypot(x, y) / diag;
      v *= 1 - 0.6 * Math.pow(r, 1.5);
      const n = Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
      out[y * W + x] = Math.max(0, Math.min(255, Math.round(v + 3 * n)));
    }
  }
  const jpg = await sharp(out, { raw: { width: W, height: H, channels: 1 } }).blur(0.7).jpeg({ quality: 62, mozjpeg: true }).toBuffer();
  write(`${seed}.tables.photo.jpg`, jpg, {
    seed, expected: tablesExpected(seed), route: 'image-ocr', variant: 'photo', degradation: 2, pages: 1, corners: corners.map(([x, y]) => [x, y]),
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  try {
    await watermarks();
    if (want('seal')) await sealVariant();
    if (want('zero-circle')) await zeroCircleVariant();
    if (want('skew-jpeg')) await skewJpegVariants();
    if (want('photo')) await photoVariant();
    // The manifest is shared with make-scans.ts: replace this script's entries, keep the others.
    const path = join(outDir, 'manifest.json');
    const mine = new Set(entries.map((e) => e.file));
    const ran = new Set<string>(PRINT_VARIANTS.filter(want));
    const kept = (JSON.parse(readFileSync(path, 'utf8')) as Entry[]).filter((e) => !mine.has(e.file) && !ran.has(e.variant));
    const all = [...kept, ...entries].sort((a, b) => a.file.localeCompare(b.file));
    writeFileSync(path, JSON.stringify(all, null, 2) + '\n');
    console.log(`manifest: ${all.length} entries (${entries.length} from this script)`);
  } finally {
    if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
    else console.log(`kept ${tmp}`);
  }
}

await main();

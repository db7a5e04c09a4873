/**
 * Regenerates samples/scans/: the HTML samples printed to A4 by headless Chromium, rasterised with
 * pdftoppm, then degraded with sharp (deterministic: a seeded PRNG, fixed angles and settings).
 * Every sample is a FULL report rendering (all pages, all tables), so samples/expected/<seed>.json
 * applies unchanged. Multi-page reports are multi-page TIFF (grayscale; deflate when clean, JPEG inside
 * the TIFF when degraded), the `jpeg` variant is one tall JPEG strip, the scanned PDF is built with
 * pdf-lib from JPEG page images (no text layer), and the searchable PDF is what the tesseract command
 * makes of PNG pages that state no density: the page images under tesseract's own invisible text
 * layer, on pages of a made-up size (it assumes 70 dpi).
 *
 * Run: node --import tsx scripts/ocr/make-scans.ts
 * Needs: chromium, pdftoppm (poppler-utils), fonts-noto-cjk, tesseract (tesseract-ocr, tesseract-ocr-chi-sim).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { prng } from './prng.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const samples = join(root, 'samples');
const outDir = join(samples, 'scans');

export type ScanVariant = 'clean-300' | 'clean-200' | 'rotated' | 'noisy' | 'blurred' | 'jpeg' | 'dpi150' | 'rot90' | 'scanned-pdf' | 'searchable-pdf';

export interface ScanEntry {
  file: string;
  seed: string;
  expected: string;
  route: 'image-ocr' | 'pdf-ocr' | 'pdf-text';
  variant: ScanVariant;
  degradation: 0 | 1 | 2;
  /** Rendered from the traditional-character HTML mirror. */
  traditional?: boolean;
  pages: number;
}

const SEEDS = ['000_ac416d85e5af171b', '001_c47c3146309e273f', '002_428db422c0ca7d7e', '003_7d78940555e26d72', '004_a98acada5b20935e'];

/** Which seeds get which degraded variant (keeps the set under the size budget). */
const PLAN: { variant: ScanVariant; seeds: number[]; degradation: 0 | 1 | 2 }[] = [
  { variant: 'clean-300', seeds: [0, 1, 2, 3, 4], degradation: 0 },
  { variant: 'clean-200', seeds: [4], degradation: 0 },
  { variant: 'rotated', seeds: [3], degradation: 1 },
  { variant: 'jpeg', seeds: [0, 2], degradation: 1 },
  { variant: 'dpi150', seeds: [3, 4], degradation: 1 },
  { variant: 'rot90', seeds: [2], degradation: 1 },
  { variant: 'noisy', seeds: [2], degradation: 2 },
  { variant: 'blurred', seeds: [1, 3], degradation: 2 },
  { variant: 'scanned-pdf', seeds: [4], degradation: 1 },
  { variant: 'searchable-pdf', seeds: [2], degradation: 1 },
];

function seedNumber(s: string): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 8), 16);
}

const tmp = mkdtempSync(join(os.tmpdir(), 'xxgk-scans-'));

/** HTML → A4 PDF (the page's fixed 1000 px width is relaxed so the text prints at its own size). */
function printPdf(htmlPath: string, name: string): string {
  const html = readFileSync(htmlPath, 'utf8').replace(
    '</head>',
    '<style>@page{size:A4;margin:14mm 12mm}body{background:#fff!important}.wrap,.footer{width:auto!important;padding-left:0!important;padding-right:0!important}table{page-break-inside:auto}tr{page-break-inside:avoid}</style></head>',
  );
  const src = join(tmp, `${name}.html`);
  writeFileSync(src, html);
  const pdf = join(tmp, `${name}.pdf`);
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--no-pdf-header-footer', `--user-data-dir=${join(tmp, 'profile')}`,
    `--print-to-pdf=${pdf}`, `file://${src}`,
  ], { stdio: 'ignore', timeout: 60_000 });
  return pdf;
}

/** PDF → grayscale PNG pages at `dpi`. */
function rasterize(pdf: string, dpi: number, name: string): Buffer[] {
  const prefix = join(tmp, `${name}-${dpi}`);
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', pdf, prefix], { timeout: 120_000 });
  const base = prefix.split('/').pop()!;
  return readdirSync(tmp)
    .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => readFileSync(join(tmp, f)));
}

async function grayRaw(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).grayscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function rawImage(r: { data: Buffer; width: number; height: number }) {
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } });
}

/** Rotates by `deg` clockwise, keeping the page size (white corners). */
async function rotateKeep(r: { data: Buffer; width: number; height: number }, deg: number) {
  const { data, info } = await rawImage(r).rotate(deg, { background: '#ffffff' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const left = Math.floor((info.width - r.width) / 2);
  const top = Math.floor((info.height - r.height) / 2);
  const out = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .extract({ left, top, width: r.width, height: r.height }).extractChannel(0).raw().toBuffer();
  return { data: out, width: r.width, height: r.height };
}

function addNoise(r: { data: Buffer; width: number; height: number }, sigma: number, rnd: () => number) {
  const out = Buffer.alloc(r.data.length);
  for (let i = 0; i < r.data.length; i++) {
    // Box–Muller
    const n = Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    out[i] = Math.max(0, Math.min(255, Math.round(r.data[i] + n * sigma)));
  }
  return { data: out, width: r.width, height: r.height };
}

/** Pages stacked into one multi-page TIFF. */
async function multiTiff(pages: { data: Buffer; width: number; height: number }[], jpegQuality: number | null): Promise<Buffer> {
  const w = pages[0].width;
  const h = pages[0].height;
  const strip = Buffer.concat(pages.map((p) => p.data));
  const img = sharp(strip, { raw: { width: w, height: h * pages.length, channels: 1, pageHeight: h } });
  return img
    .tiff(jpegQuality ? { compression: 'jpeg', quality: jpegQuality } : { compression: 'deflate', predictor: 'horizontal' })
    .toBuffer();
}

async function stripJpeg(pages: { data: Buffer; width: number; height: number }[], quality: number): Promise<Buffer> {
  const w = pages[0].width;
  const strip = Buffer.concat(pages.map((p) => p.data));
  return sharp(strip, { raw: { width: w, height: pages.reduce((s, p) => s + p.height, 0), channels: 1 } }).jpeg({ quality, mozjpeg: false }).toBuffer();
}

async function scannedPdf(pages: { data: Buffer; width: number; height: number }[], dpi: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  doc.setProducer('xxgk-convert make-scans');
  doc.setCreator('xxgk-convert make-scans');
  for (const p of pages) {
    const jpg = await rawImage(p).jpeg({ quality: 70 }).toBuffer();
    const img = await doc.embedJpg(jpg);
    const wPt = (p.width * 72) / dpi;
    const hPt = (p.height * 72) / dpi;
    const page = doc.addPage([wPt, hPt]);
    page.drawImage(img, { x: 0, y: 0, width: wPt, height: hPt });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The page holding the most table rules (for the quarter-turned page). */
function tablePageIndex(pages: { data: Buffer; width: number; height: number }[]): number {
  let best = 0;
  let bestN = -1;
  pages.forEach((p, i) => {
    let n = 0;
    for (let y = 0; y < p.height; y += 2) {
      let run = 0;
      for (let x = 0; x < p.width; x++) {
        if (p.data[y * p.width + x] < 128) {
          run++;
          if (run === Math.floor(p.width / 3)) n++;
        } else run = 0;
      }
    }
    if (n > bestN) {
      bestN = n;
      best = i;
    }
  });
  return best;
}

const manifest: ScanEntry[] = [];

function write(rel: string, data: Buffer, entry: Omit<ScanEntry, 'file'>): void {
  const path = join(outDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  const same = existsSync(path) && readFileSync(path).equals(data);
  if (!same) writeFileSync(path, data);
  manifest.push({ file: `scans/${rel}`, ...entry });
  console.log(`${same ? 'unchanged' : 'wrote    '} ${relative(root, path)}  ${(data.length / 1024).toFixed(0)} KB`);
}

async function main(): Promise<void> {
  try {
    const jobs: { seedIdx: number; trad: boolean }[] = [...SEEDS.map((_, i) => ({ seedIdx: i, trad: false })), { seedIdx: 3, trad: true }];
    for (const job of jobs) {
      const seed = SEEDS[job.seedIdx];
      const name = job.trad ? `${seed}.trad` : seed;
      const pdf = printPdf(join(samples, 'html', `${name}.html`), name);
      const expected = `expected/${seed}.json`;
      const cache = new Map<number, { data: Buffer; width: number; height: number }[]>();
      const pagesAt = async (dpi: number) => {
        if (!cache.has(dpi)) cache.set(dpi, await Promise.all(rasterize(pdf, dpi, name).map(grayRaw)));
        return cache.get(dpi)!;
      };
      const rnd = prng(seedNumber(name));
      const plans = job.trad ? [{ variant: 'clean-300' as ScanVariant, degradation: 0 as const }] : PLAN.filter((p) => p.seeds.includes(job.seedIdx));
      for (const plan of plans) {
        const base = { seed, expected, route: 'image-ocr' as ScanEntry['route'], variant: plan.variant, degradation: plan.degradation, ...(job.trad ? { traditional: true } : {}) };
        switch (plan.variant) {
          case 'clean-300': {
            const p = await pagesAt(300);
            write(`${name}.clean-300.tif`, await multiTiff(p, null), { ...base, pages: p.length });
            break;
          }
          case 'clean-200': {
            const p = await pagesAt(200);
            write(`${name}.clean-200.tif`, await multiTiff(p, null), { ...base, pages: p.length });
            break;
          }
          case 'rotated': {
            const p = await pagesAt(300);
            const out = [];
            for (let i = 0; i < p.length; i++) {
              const mag = 0.5 + 2 * rnd();
              out.push(await rotateKeep(p[i], i % 2 ? -mag : mag));
            }
            write(`${name}.rotated.tif`, await multiTiff(out, 65), { ...base, pages: p.length });
            break;
          }
          case 'noisy': {
            const p = await pagesAt(300);
            const out = [];
            for (const pg of p) out.push(addNoise(await rotateKeep(pg, 0.4 + rnd() * 0.6), 16, rnd));
            write(`${name}.noisy.tif`, await multiTiff(out, 55), { ...base, pages: p.length });
            break;
          }
          case 'blurred': {
            const p = await pagesAt(300);
            const out = [];
            for (const pg of p) {
              const rot = await rotateKeep(pg, -(0.3 + rnd() * 0.7));
              const b = await rawImage(rot).blur(1.3).extractChannel(0).raw().toBuffer();
              out.push({ data: b, width: rot.width, height: rot.height });
            }
            write(`${name}.blurred.tif`, await multiTiff(out, 65), { ...base, pages: p.length });
            break;
          }
          case 'jpeg': {
            const p = await pagesAt(300);
            const out = [];
            for (const pg of p) out.push(await rotateKeep(pg, 0.3 + rnd() * 0.5));
            write(`${name}.jpeg.jpg`, await stripJpeg(out, 55), { ...base, pages: 1 });
            break;
          }
          case 'dpi150': {
            const p = await pagesAt(150);
            write(`${name}.dpi150.tif`, await multiTiff(p, 70), { ...base, pages: p.length });
            break;
          }
          case 'rot90': {
            const p = await pagesAt(300);
            const k = tablePageIndex(p);
            const out: Buffer[] = [];
            for (let i = 0; i < p.length; i++) {
              const img = i === k ? rawImage(p[i]).rotate(90) : rawImage(p[i]);
              out.push(await img.png({ compressionLevel: 9 }).toBuffer());
            }
            // Pages of different orientation: one PNG per page is not one file, so a TIFF of mixed sizes.
            const tif = await mixedTiff(out);
            write(`${name}.rot90.tif`, tif, { ...base, pages: p.length });
            break;
          }
          case 'scanned-pdf': {
            const p = await pagesAt(200);
            const out = [];
            for (let i = 0; i < p.length; i++) out.push(await rotateKeep(p[i], i % 2 ? 0.6 : -0.8));
            write(`${name}.scanned.pdf`, await scannedPdf(out, 200), { ...base, route: 'pdf-ocr', pages: p.length });
            break;
          }
          case 'searchable-pdf': {
            const p = await pagesAt(300);
            const list = join(tmp, `${name}-searchable.txt`);
            const pngs = [];
            for (let i = 0; i < p.length; i++) {
              const png = join(tmp, `${name}-searchable-${i}.png`);
              writeFileSync(png, await rawImage(p[i]).png({ compressionLevel: 9 }).toBuffer());
              pngs.push(png);
            }
            writeFileSync(list, pngs.join('\n') + '\n');
            const out = join(tmp, `${name}-searchable`);
            execFileSync('tesseract', [list, out, '-l', 'chi_sim', 'pdf'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
            write(`${name}.searchable.pdf`, readFileSync(`${out}.pdf`), { ...base, route: 'pdf-ocr', pages: p.length });
            break;
          }
        }
      }
    }
    // The manifest is shared with make-print-variants.ts: its entries (other variants) are kept.
    const path = join(outDir, 'manifest.json');
    const ours = new Set<string>(PLAN.map((p) => p.variant));
    const others = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ScanEntry[]).filter((e) => !ours.has(e.variant as ScanVariant)) : [];
    const all = [...others, ...manifest].sort((a, b) => a.file.localeCompare(b.file));
    writeFileSync(path, JSON.stringify(all, null, 2) + '\n');
    console.log(`manifest: ${all.length} entries (${manifest.length} from this script)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A multi-page TIFF whose pages differ in size: written page by page with tiffcp-free means (libvips). */
async function mixedTiff(pngs: Buffer[]): Promise<Buffer> {
  // libvips writes multi-page TIFF only from a strip of equal pages: pad every page to the largest
  // box on a white background (the quarter-turned page keeps its landscape content).
  const metas = await Promise.all(pngs.map((p) => sharp(p).metadata()));
  const W = Math.max(...metas.map((m) => m.width!));
  const H = Math.max(...metas.map((m) => m.height!));
  const raws = await Promise.all(
    pngs.map((p, i) =>
      sharp(p).extend({ top: 0, left: 0, right: W - metas[i].width!, bottom: H - metas[i].height!, background: '#ffffff' }).extractChannel(0).raw().toBuffer(),
    ),
  );
  return sharp(Buffer.concat(raws), { raw: { width: W, height: H * raws.length, channels: 1, pageHeight: H } })
    .tiff({ compression: 'jpeg', quality: 70 })
    .toBuffer();
}

await main();

/**
 * Regenerates the print-and-scan quirk samples of samples/scans/ (issue 11), beside make-scans.ts:
 *
 * - `watermark-diagonal`: a sample PDF (samples/pdf/<seed>.chrome.pdf) with 仅供参考 2024 stamped as real
 *   text, grey, turned 45° and tiled over every page (a Form XObject drawn several times a page).
 * - `watermark-faint`: the same text level with the page, black at 25 % opacity (an ExtGState `ca`).
 *   Both must convert exactly like the clean PDF.
 * - `seal`: a colour scan whose 表三 page carries a red official seal (公章: ring, star, text ring),
 *   semi-transparent, stamped over its numbers.
 * - `photo`: the table pages photographed: a few degrees of perspective (a known homography), a dark
 *   desk around the page and light falling off towards one corner.
 * - `zero-circle`: the report printed with 〇 for some zeros and O for others in its numeric cells.
 * - `skew-jpeg`: 1° of skew and JPEG compression (the 表四 and legacy-table reports of issue 11).
 *
 * Scanned variants start from the committed 300 dpi scans (samples/scans/<seed>.clean-300.tif), so only
 * `zero-circle` and the watermark glyphs need Chromium. Everything is deterministic (fixed angles,
 * seeded noise). Pages that carry the quirk are kept at 200–300 dpi; the others are stored at 150 dpi
 * in grey, which keeps each file within a few hundred KB.
 *
 * Run: node --import tsx scripts/ocr/make-print-variants.ts [variant …]
 * Needs: chromium and fonts-noto-cjk (watermark glyphs, zero-circle).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { degrees, PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

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

async function main(): Promise<void> {
  try {
    await watermarks();
    // The manifest is shared with make-scans.ts: replace this script's entries, keep the others.
    const path = join(outDir, 'manifest.json');
    const mine = new Set(entries.map((e) => e.file));
    const ours = new Set<string>(PRINT_VARIANTS);
    const kept = (JSON.parse(readFileSync(path, 'utf8')) as Entry[]).filter((e) => !mine.has(e.file) && !(wanted.size === 0 && ours.has(e.variant)));
    const all = [...kept, ...entries].sort((a, b) => a.file.localeCompare(b.file));
    writeFileSync(path, JSON.stringify(all, null, 2) + '\n');
    console.log(`manifest: ${all.length} entries (${entries.length} from this script)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

/**
 * OCR benchmark: seconds per page (table pages and text pages apart), numeric cells exact and peak RSS,
 * per engine and setting, each setting in a fresh process; then the same pages through the tesseract
 * command line (OMP_THREAD_LIMIT=1) and through tesseract.js, whole-page, as a speed ratio.
 *
 * Writes the OCR section of docs/performance.md. Run: node --import tsx scripts/ocr/bench-ocr.ts [--settings paddle-2,paddle-1,tesseract-2|none] [--no-cli] [file-substring …]
 * Default files: one scan per variant (samples/scans/manifest.json). Keep runs short: 2 cores.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSection } from '../report-section.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scans = join(root, 'samples');

interface Entry {
  file: string;
  expected: string;
  variant: string;
  route: string;
  traditional?: boolean;
}

interface FileResult {
  file: string;
  variant: string;
  pages: number;
  seconds: number;
  tablePageSeconds: number[];
  textPageSeconds: number[];
  numericRight: number;
  numericTotal: number;
  wrongConfident: number;
}

const SETTINGS: Record<string, Record<string, string>> = {
  'paddle-2': { XXGK_OCR_ENGINE: 'paddle', XXGK_OCR_THREADS: '2' },
  'paddle-1': { XXGK_OCR_ENGINE: 'paddle', XXGK_OCR_THREADS: '1' },
  'tesseract-2': { XXGK_OCR_ENGINE: 'tesseract', XXGK_OCR_THREADS: '2' },
};

async function child(files: string[]): Promise<void> {
  const { extractImage } = await import('../../src/extract/image.js');
  const { closeOcrPool } = await import('../../src/extract/ocr/pool.js');
  const { defaultLimits } = await import('../../src/intake/limits.js');
  const { reconstruct } = await import('../../src/reconstruct/index.js');
  const { checkDraft, DEFAULT_REVIEW_THRESHOLD } = await import('../../src/check/index.js');
  const { compare } = await import('../../src/eval/expected.js');
  const { getOcrPool } = await import('../../src/extract/ocr/pool.js');
  // Cold start: the first reading of a blank crop loads the engine's model and language data.
  const sharp = (await import('sharp')).default;
  const blank = { data: await sharp({ create: { width: 320, height: 48, channels: 3, background: '#fff' } }).png().toBuffer(), width: 320, height: 48 };
  const cold: Record<string, number> = {};
  for (const engine of ['paddle', 'tesseract'] as const) {
    const t = performance.now();
    await getOcrPool().read(blank, 'text', engine);
    cold[engine] = Math.round(performance.now() - t);
  }
  const manifest = JSON.parse(readFileSync(join(scans, 'scans/manifest.json'), 'utf8')) as Entry[];
  const out: FileResult[] = [];
  for (const f of files) {
    const e = manifest.find((m) => m.file === f)!;
    const bytes = readFileSync(join(scans, e.file));
    const table: number[] = [];
    const text: number[] = [];
    const t0 = performance.now();
    const layout = await extractImage(bytes, defaultLimits, { onPage: (p) => (p.grids > 0 ? table : text).push(p.ms / 1000) });
    const seconds = (performance.now() - t0) / 1000;
    const rec = reconstruct(layout);
    const { tables, checks } = checkDraft({ tables: rec.tables, template: rec.report.template, sections: rec.sections, threshold: DEFAULT_REVIEW_THRESHOLD, basis: rec.basis });
    const cmp = compare({ report: rec.report, tables, checks } as never, JSON.parse(readFileSync(join(scans, e.expected), 'utf8')));
    const numeric = cmp.cells.filter((c) => typeof c.expected === 'number');
    out.push({
      file: e.file, variant: e.traditional ? `${e.variant} (trad)` : e.variant, pages: layout.pages.length, seconds,
      tablePageSeconds: table, textPageSeconds: text,
      numericRight: numeric.filter((c) => c.right).length, numericTotal: numeric.length,
      wrongConfident: cmp.cells.filter((c) => !c.right && c.confidence >= 0.5).length,
    });
  }
  await closeOcrPool();
  const ru = process.resourceUsage();
  console.log(JSON.stringify({ results: out, cold, maxRssMB: Math.round(ru.maxRSS / 1024), cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6 }));
}

/** Whole-page speed: tesseract CLI vs tesseract.js on the same PNG pages. */
async function cliRatio(files: string[]): Promise<string> {
  const sharp = (await import('sharp')).default;
  const { TesseractEngine } = await import('../../src/extract/ocr/tesseract.js');
  const dir = mkdtempSync(join(os.tmpdir(), 'xxgk-bench-'));
  try {
    const pngs: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(join(scans, f));
      const meta = await sharp(bytes).metadata();
      for (let p = 0; p < Math.min(meta.pages ?? 1, 2); p++) {
        const png = join(dir, `${pngs.length}.png`);
        await sharp(bytes, { page: p }).grayscale().png().toFile(png);
        pngs.push(png);
      }
    }
    const t0 = performance.now();
    for (const png of pngs) {
      execFileSync('tesseract', [png, '-', '-l', 'chi_sim+chi_tra+eng', '--psm', '6'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'ignore', 'ignore'] });
    }
    const cli = (performance.now() - t0) / 1000 / pngs.length;
    const engine = await TesseractEngine.create({ languages: ['chi_sim', 'chi_tra', 'eng'] });
    const t1 = performance.now();
    for (const png of pngs) {
      const buf = readFileSync(png);
      await engine.recognizePage(buf);
    }
    const js = (performance.now() - t1) / 1000 / pngs.length;
    await engine.close();
    return `whole page, chi_sim+chi_tra+eng, PSM 6, ${pngs.length} pages: tesseract CLI ${cli.toFixed(2)} s/page, tesseract.js ${js.toFixed(2)} s/page, ratio js/cli ${(js / cli).toFixed(2)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fmt(n: number[]): string {
  if (!n.length) return '—';
  return (n.reduce((a, b) => a + b, 0) / n.length).toFixed(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args.slice(1));
  const settingsArg = args.find((a) => a.startsWith('--settings='))?.slice(11) ?? args[args.indexOf('--settings') + 1];
  const settings = (args.includes('--settings') || settingsArg ? settingsArg : 'paddle-2,paddle-1,tesseract-2').split(',');
  const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--settings');
  const manifest = JSON.parse(readFileSync(join(scans, 'scans/manifest.json'), 'utf8')) as Entry[];
  const images = manifest.filter((m) => m.route === 'image-ocr');
  let files: string[];
  if (filters.length) files = images.filter((m) => filters.some((f) => m.file.includes(f))).map((m) => m.file);
  else {
    const seen = new Set<string>();
    files = images.filter((m) => {
      const k = m.traditional ? 'trad' : m.variant;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }).map((m) => m.file);
  }
  const summary: string[] = [];
  const md: string[] = [];
  const say = (line: string) => { console.log(line); md.push(line); };
  for (const s of settings.filter((x) => x in SETTINGS)) {
    const env = { ...process.env, ...SETTINGS[s] };
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...files], { env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 1_800_000 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      console.log(`${s}: failed (${r.status})\n${r.stderr.slice(-2000)}`);
      continue;
    }
    const data = JSON.parse(line) as { results: FileResult[]; cold: Record<string, number>; maxRssMB: number; cpuSeconds: number };
    say(`\n### ${s} (peak RSS ${data.maxRssMB} MB, CPU ${data.cpuSeconds.toFixed(0)} s; cold start: paddle ${data.cold.paddle} ms, tesseract.js ${data.cold.tesseract} ms)\n`);
    say('| file | variant | pages | s/page | s per table page | s per text page | numeric exact | wrong with conf ≥ 0.5 |');
    say('|---|---|---|---|---|---|---|---|');
    let pages = 0;
    let secs = 0;
    let right = 0;
    let total = 0;
    const tablePages: number[] = [];
    for (const x of data.results) {
      say(`| ${x.file.replace('scans/', '')} | ${x.variant} | ${x.pages} | ${(x.seconds / x.pages).toFixed(2)} | ${fmt(x.tablePageSeconds)} | ${fmt(x.textPageSeconds)} | ${x.numericRight}/${x.numericTotal} | ${x.wrongConfident} |`);
      pages += x.pages;
      secs += x.seconds;
      right += x.numericRight;
      total += x.numericTotal;
      tablePages.push(...x.tablePageSeconds);
    }
    summary.push(`${s}: ${(secs / pages).toFixed(2)} s/page overall, ${fmt(tablePages)} s per table page, numeric ${right}/${total} (${((100 * right) / total).toFixed(1)} %), peak RSS ${data.maxRssMB} MB`);
  }
  say('');
  for (const line of summary) say(`- ${line}`);
  if (!args.includes('--no-cli')) say(`- ${await cliRatio(files.slice(0, 2))}`);
  writeSection(join(root, 'docs/performance.md'), 'ocr', [
    '## OCR', '',
    `\`scripts/ocr/bench-ocr.ts\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: each setting in a fresh process over one scan per variant; seconds per page, numeric cells exact, peak RSS of the whole process, cold start of each engine; then whole pages through the \`tesseract\` command line (\`OMP_THREAD_LIMIT=1\`) and tesseract.js.`,
    ...md,
  ].join('\n'));
}

await main();

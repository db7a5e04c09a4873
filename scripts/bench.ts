/**
 * `npm run bench`: latency per route in-process, service cold start and memory over 1 000
 * conversions through HTTP, and baselines (pdftotext) on the same files. Writes
 * docs/performance.md and prints the same tables.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadCorpus } from '../src/eval/corpus.js';
import { convert } from '../src/pipeline.js';
import { freePort } from '../test/support/process.js';
import { writeSection } from './report-section.js';

const root = join(import.meta.dirname, '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const SERVICE_CONVERSIONS = Number(process.env.BENCH_SERVICE_CONVERSIONS ?? 1000);

interface Input { route: string; file: string; path: string; bytes: Buffer }

/** Every labelled sample of the evaluation corpus, by route (OCR routes only with BENCH_OCR=1: they are slow). */
function inputs(): Input[] {
  return loadCorpus(root)
    .filter((s) => s.bornDigital || process.env.BENCH_OCR === '1')
    .map((s) => ({ route: s.route, file: s.id, path: s.path, bytes: readFileSync(s.path) }));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Median in-process latency per file, for the baseline ratios. */
const medianByFile = new Map<string, number>();

async function inProcess(list: Input[]): Promise<string[]> {
  const byRoute = new Map<string, { ms: number[]; pages: number; docs: number }>();
  for (const input of list) {
    const own: number[] = [];
    let pages = 1;
    for (let i = 0; i < 3; i++) pages = (await convert(input.bytes, { filename: input.file })).source.pages; // warm-up
    const r = byRoute.get(input.route) ?? { ms: [], pages: 0, docs: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      await convert(input.bytes, { filename: input.file });
      r.ms.push(performance.now() - t0);
      own.push(performance.now() - t0);
    }
    medianByFile.set(input.file, pct(own, 0.5));
    r.pages += pages;
    r.docs++;
    byRoute.set(input.route, r);
  }
  const rows = ['| route | documents | median ms | p95 ms | pages/s (one core) |', '|---|---|---|---|---|'];
  for (const [route, r] of byRoute) {
    const median = pct(r.ms, 0.5);
    const pagesPerDoc = r.pages / r.docs;
    rows.push(`| ${route} | ${r.docs} | ${fmt(median)} | ${fmt(pct(r.ms, 0.95))} | ${fmt((1000 / median) * pagesPerDoc)} |`);
  }
  rows.push('', `In-process peak RSS over these runs: ${mib(process.resourceUsage().maxRSS * 1024)} MiB.`);
  return rows;
}

function pdftotextBaseline(list: Input[]): string[] {
  const pdfs = list.filter((i) => i.route.startsWith('pdf'));
  if (!pdfs.length) return ['No PDF inputs.'];
  try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); } catch { return ['pdftotext is not installed: no baseline.']; }
  const rows = ['| file | pdftotext -layout ms | xxgk-convert ms (median) | ratio (ours / pdftotext) |', '|---|---|---|---|'];
  for (const p of pdfs) {
    const path = p.path;
    const t: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      execFileSync('pdftotext', ['-layout', path, '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
      t.push(performance.now() - t0);
    }
    const ours = medianByFile.get(p.file)!;
    rows.push(`| ${p.file} | ${fmt(pct(t, 0.5))} | ${fmt(ours)} | ${(ours / pct(t, 0.5)).toFixed(2)} |`);
  }
  return rows;
}

/**
 * A 201-page born-digital PDF (a sample's 3 pages repeated) in a fresh process, two ways: one font set,
 * as a long report has, and a compilation whose every 3 pages embed their own font subsets (23 MB).
 * Each is converted in-process (the `convert` command) and in a conversion worker (the service and
 * `batch`); the worker's time includes starting the thread and loading the pipeline in it. Reads the
 * built code: service() builds it first.
 */
async function longPdf(): Promise<string[]> {
  const { PDFDocument } = await import('pdf-lib');
  const source = await PDFDocument.load(readFileSync(join(root, 'samples/pdf/003_7d78940555e26d72.chrome.pdf')));
  const indices: number[] = [];
  while (indices.length < 200) indices.push(...source.getPageIndices());
  const shared = await PDFDocument.create();
  for (const page of await shared.copyPages(source, indices)) shared.addPage(page);
  // copyPages per part: each copy brings its own fonts.
  const compiled = await PDFDocument.create();
  while (compiled.getPageCount() < 200) for (const page of await compiled.copyPages(source, source.getPageIndices())) compiled.addPage(page);
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-bench-pdf-'));
  const files = [
    { name: 'one font set', file: join(dir, 'shared.pdf'), bytes: await shared.save() },
    { name: 'fonts embedded per part', file: join(dir, 'compiled.pdf'), bytes: await compiled.save() },
  ];
  const dist = (p: string) => JSON.stringify(join(root, 'dist', p));
  const probes = {
    'in-process': (file: string) => `import { readFileSync } from 'node:fs'; import { convert } from ${dist('pipeline.js')};
      const t = performance.now(); const r = await convert(readFileSync(${JSON.stringify(file)}), { filename: 'long.pdf' });
      console.log(JSON.stringify({ ms: performance.now() - t, pages: r.source.pages, rss: process.resourceUsage().maxRSS * 1024 }));`,
    'conversion worker': (file: string) => `import { readFileSync } from 'node:fs'; import { WorkerPool } from ${dist('jobs/pool.js')}; import { defaultLimits } from ${dist('intake/limits.js')};
      const pool = new WorkerPool(1, 'convert'); const t = performance.now();
      const o = await pool.run({ bytes: readFileSync(${JSON.stringify(file)}), filename: 'long.pdf', charset: null, limits: defaultLimits, reviewThreshold: 0.9, id: 'bench' }, 600000, () => {}).outcome;
      const ms = performance.now() - t; await pool.close(); if (!o.ok) throw new Error(o.message);
      console.log(JSON.stringify({ ms, pages: o.report.source.pages, rss: process.resourceUsage().maxRSS * 1024 }));`,
  };
  const rows = [
    'A sample\'s pages repeated to 201, each PDF in a fresh process: converted in-process (the `convert` command) and in one',
    'conversion worker (the service and `batch`; bounded heap, small young generation). A long report has one font set;',
    'a compilation whose parts embed their own fonts makes pdf.js parse each, and its caches are dropped every 256 fonts.', '',
    '| PDF | size | path | pages | s | pages/s | peak RSS MiB |', '|---|---|---|---|---|---|---|',
  ];
  try {
    for (const f of files) {
      writeFileSync(f.file, f.bytes);
      for (const [path, probe] of Object.entries(probes)) {
        // A file, not --eval: worker threads inherit the process's flags, and --input-type breaks them.
        const script = join(dir, 'probe.mjs');
        writeFileSync(script, probe(f.file));
        const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
        const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; pages: number; rss: number };
        rows.push(`| ${f.name} | ${(f.bytes.length / 1e6).toFixed(1)} MB | ${path} | ${r.pages} | ${(r.ms / 1000).toFixed(1)} | ${(r.pages / (r.ms / 1000)).toFixed(1)} | ${mib(r.rss)} |`);
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Crawled text, the page body on one line: a real export (平潭 公安局 2022, every cell glued) with its
 * prose repeated before the tables to 20 KB, and its whole body repeated to 1 MB (a worst case: the
 * tables over and over). Splitting is bounded: neither may grow faster than its text.
 */
async function crawledText(): Promise<string[]> {
  const text = readFileSync(join(root, 'samples/crawled/real/pingtan-gaj-2022.txt'), 'utf8');
  const rule = text.indexOf('\n', text.indexOf('正文')) + 1;
  const [header, body] = [text.slice(0, rule), text.slice(rule)];
  const tables = body.indexOf('二、主动公开政府信息情况');
  let prose = body.slice(0, tables);
  while (Buffer.byteLength(header + prose + body.slice(tables)) < 20_000) prose += body.slice(0, tables);
  let repeated = body;
  while (Buffer.byteLength(repeated) < 1_000_000) repeated += ` ${body}`;
  const files = [
    { name: '20 KB, one line', bytes: Buffer.from(header + prose + body.slice(tables)), runs: ITERATIONS },
    { name: '1 MB, one line', bytes: Buffer.from(header + repeated), runs: 5 },
  ];
  const rows = ['| input | bytes | median ms | max ms | template | cells |', '|---|---|---|---|---|---|'];
  for (const f of files) {
    const ms: number[] = [];
    let report = await convert(f.bytes, { filename: 'crawled.txt' });
    for (let i = 0; i < f.runs; i++) {
      const t0 = performance.now();
      report = await convert(f.bytes, { filename: 'crawled.txt' });
      ms.push(performance.now() - t0);
    }
    const cells = report.tables.flatMap((t) => t.cells).filter((c) => c.state !== 'missing').length;
    rows.push(`| ${f.name} | ${f.bytes.length} | ${fmt(pct(ms, 0.5))} | ${fmt(Math.max(...ms))} | ${report.report.template} | ${cells} |`);
  }
  return rows;
}

function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** SIGTERM and wait for the exit, unless it already exited: then no 'exit' is left to wait for. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function service(list: Input[]): Promise<string[]> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const port = await freePort();
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-bench-'));
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), XXGK_DATA_DIR: dataDir, XXGK_LOG_LEVEL: 'warn' }, stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  let coldMs = 0;
  for (;;) {
    try { if ((await fetch(`${url}/healthz`)).ok) { coldMs = performance.now() - started; break; } } catch { /* not up yet */ }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`service exited (${child.exitCode ?? child.signalCode}) before /healthz answered`);
    if (performance.now() - started > 20_000) {
      await stop(child);
      throw new Error('service did not start');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const mix = list;
  const ms: number[] = [];
  let failures = 0;
  try {
    for (let i = 0; i < SERVICE_CONVERSIONS; i++) {
      const input = mix[i % mix.length];
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/convert?refresh=true&filename=${encodeURIComponent(input.file)}`, { method: 'POST', body: new Uint8Array(input.bytes), headers: { 'content-type': 'application/octet-stream' } });
      await res.arrayBuffer();
      if (!res.ok) failures++;
      ms.push(performance.now() - t0);
    }
    const mem = rssOf(child.pid!);
    return [
      `| measure | value |`, '|---|---|',
      `| cold start to /healthz | ${fmt(coldMs)} ms |`,
      `| conversions through HTTP (mixed routes, refresh=true) | ${SERVICE_CONVERSIONS}, ${failures} failed |`,
      `| HTTP median / p95 | ${fmt(pct(ms, 0.5))} / ${fmt(pct(ms, 0.95))} ms |`,
      `| service RSS after them | ${mib(mem.rss)} MiB |`,
      `| service peak RSS | ${mib(mem.peak)} MiB |`,
    ];
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const list = inputs();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} MiB RAM, Node ${process.version}`;
const sections = [
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
  `Each input converted ${ITERATIONS} times in-process after 3 warm-up runs; \`pdftotext -layout\` (poppler) timed on the same PDFs, 10 runs, process start included.`, '',
  '## Latency per route (in-process)', '', ...(await inProcess(list)), '',
  '## Crawled text (in-process)', '', ...(await crawledText()), '',
  '## Service', '', ...(await service(list)), '',
  '## A long PDF', '', ...(await longPdf()), '',
  '## Baselines', '', ...pdftotextBaseline(list),
];
writeSection(join(root, 'docs/performance.md'), 'bench', sections.join('\n'));
console.log(sections.join('\n'));

/**
 * `npm run bench`: latency per route in-process, service cold start and memory over 1 000
 * conversions through HTTP, and baselines (pdftotext) on the same files. Writes
 * docs/performance.md and prints the same tables.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { convert } from '../src/pipeline.js';
import { writeSection } from './report-section.js';

const root = join(import.meta.dirname, '..');
const samples = join(root, 'samples');
const sharedReal = join(root, '../shared/fixtures/real');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const SERVICE_CONVERSIONS = Number(process.env.BENCH_SERVICE_CONVERSIONS ?? 1000);

interface Input { route: string; file: string; bytes: Buffer; pages?: number }

function inputs(): Input[] {
  const list: Input[] = [];
  const manifest = JSON.parse(readFileSync(join(samples, 'manifest.json'), 'utf8')) as { file: string; route: string }[];
  for (const f of ['000_ac416d85e5af171b', '001_c47c3146309e273f', '002_428db422c0ca7d7e', '003_7d78940555e26d72', '004_a98acada5b20935e']) {
    list.push({ route: 'text', file: `seeds/${f}.txt`, bytes: readFileSync(join(samples, 'seeds', `${f}.txt`)) });
  }
  for (const m of manifest) list.push({ route: m.route, file: m.file, bytes: readFileSync(join(samples, m.file)) });
  if (existsSync(sharedReal)) {
    for (const f of ['huaian-city-2024.pdf', 'huaian-hongze-2024.pdf']) {
      list.push({ route: 'pdf-text', file: `shared/${f}`, bytes: readFileSync(join(sharedReal, f)) });
    }
  }
  return list;
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
  if (!pdfs.length) return ['No PDF inputs (../shared/fixtures/real absent).'];
  try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); } catch { return ['pdftotext is not installed: no baseline.']; }
  const rows = ['| file | pdftotext -layout ms | xxgk-convert ms (median) | ratio (ours / pdftotext) |', '|---|---|---|---|'];
  for (const p of pdfs) {
    const path = join(sharedReal, p.file.replace('shared/', ''));
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

function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function service(list: Input[]): Promise<string[]> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const port = 18000 + Math.floor(Math.random() * 1000);
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-bench-'));
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), XXGK_DATA_DIR: dataDir, XXGK_LOG_LEVEL: 'warn' }, stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  let coldMs = 0;
  for (;;) {
    try { if ((await fetch(`${url}/healthz`)).ok) { coldMs = performance.now() - started; break; } } catch { /* not up yet */ }
    if (performance.now() - started > 20_000) throw new Error('service did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  const mix = list.filter((i) => !i.route.startsWith('pdf') || existsSync(sharedReal));
  const ms: number[] = [];
  let failures = 0;
  try {
    for (let i = 0; i < SERVICE_CONVERSIONS; i++) {
      const input = mix[i % mix.length];
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/convert?refresh=true&filename=${encodeURIComponent(input.file)}`, { method: 'POST', body: input.bytes, headers: { 'content-type': 'application/octet-stream' } });
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
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const list = inputs();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} MiB RAM, Node ${process.version}`;
const sections = [
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
  `Each input converted ${ITERATIONS} times in-process after 3 warm-up runs; \`pdftotext -layout\` (poppler) timed on the same PDFs, 10 runs, process start included.`, '',
  '## Latency per route (in-process)', '', ...(await inProcess(list)), '',
  '## Service', '', ...(await service(list)), '',
  '## Baselines', '', ...pdftotextBaseline(list),
];
writeSection(join(root, 'docs/performance.md'), 'bench', sections.join('\n'));
console.log(sections.join('\n'));

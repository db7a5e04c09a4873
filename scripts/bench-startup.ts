/**
 * Start-up of the built command as a whole process (`node dist/cli/main.js …`), side by side with
 * `pdftotext -layout` in the same run: `--help`, `convert` of a text and of a born-digital PDF, and the
 * service's cold start until `/healthz` answers. Each process is timed by `/usr/bin/time` (wall, CPU,
 * peak RSS) when it is installed, by the wall clock otherwise.
 *
 *   npm run build && node --import tsx scripts/bench-startup.ts [--runs 9] [--baseline <checkout>] [--write]
 *
 * --baseline times another checkout's dist/ as well (e.g. a clone at an older commit, built with
 * `npx tsc`), interleaved run by run with this one so that both see the same machine load.
 * Then what each heavy module costs to import on its own, in a fresh process, and which source files
 * import it (statically: paid by everything that imports them; dynamically: paid when used).
 * --write puts the tables in docs/performance.md (section "startup").
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../test/support/process.js';
import { writeSection } from './report-section.js';

const here = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' }, baseline: { type: 'string' }, write: { type: 'boolean' } } });
const RUNS = Number(values.runs);
const TEXT = join(here, 'samples/seeds/003_7d78940555e26d72.txt');
const PDF = join(here, 'samples/pdf/000_ac416d85e5af171b.chrome.pdf');
const TIME = spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status === 0 ? '/usr/bin/time' : null;

interface Checkout { label: string; main: string }
const checkouts: Checkout[] = [
  ...(values.baseline ? [{ label: 'before', main: join(values.baseline, 'dist/cli/main.js') }] : []),
  { label: values.baseline ? 'after' : 'now', main: join(here, 'dist/cli/main.js') },
];

interface Sample { wall: number; cpu?: number; rssMb?: number }

/** One whole process, to its exit. */
function once(cmd: string, args: string[]): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-time-'));
  try {
    const out = join(dir, 'time');
    const t0 = performance.now();
    const r = TIME
      ? spawnSync(TIME, ['-o', out, '-f', '%e %U %S %M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
      : spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (!TIME) return { wall };
    const [, user, sys, rssKb] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wall, cpu: user + sys, rssMb: rssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Spawn `serve`, poll `path` every 5 ms until it answers 200, stop it with SIGTERM. /healthz answers once
 * the port is bound; /readyz once the service is loaded (its database answers).
 */
async function coldStart(main: string, path: '/healthz' | '/readyz'): Promise<Sample> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-startup-'));
  try {
    const port = await freePort();
    const t0 = performance.now();
    const child = spawn(process.execPath, [main, 'serve'], {
      env: { ...process.env, PORT: String(port), XXGK_DATA_DIR: dataDir, XXGK_LOG_LEVEL: 'warn', XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0' },
      stdio: 'ignore',
    });
    let wall = NaN;
    while (performance.now() - t0 < 30_000) {
      if (await fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.ok, () => false)) {
        wall = (performance.now() - t0) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    // A child that already exited (it failed to start) sends no more 'exit': waiting for one would hang.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (Number.isNaN(wall)) throw new Error(`${main} serve: ${path} did not answer within 30 s (exit ${child.exitCode ?? child.signalCode ?? 'none'})`);
    return { wall };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** "median wall (min) · CPU · RSS" of a set of runs. */
function cell(samples: Sample[]): string {
  const wall = samples.map((s) => s.wall);
  let text = `${median(wall).toFixed(2)} (${Math.min(...wall).toFixed(2)})`;
  if (samples[0].cpu !== undefined) text += ` · ${median(samples.map((s) => s.cpu!)).toFixed(2)} · ${median(samples.map((s) => s.rssMb!)).toFixed(0)}`;
  return text;
}

interface Case { label: string; run: (c: Checkout) => Sample | Promise<Sample>; perCheckout: boolean }
const cases: Case[] = [
  { label: '`node -e 0` (Node itself)', run: () => once(process.execPath, ['-e', '0']), perCheckout: false },
  { label: '`xxgk-convert --help`', run: (c) => once(process.execPath, [c.main, '--help']), perCheckout: true },
  { label: '`xxgk-convert convert` a text (seed 003, 9 KB)', run: (c) => once(process.execPath, [c.main, 'convert', TEXT]), perCheckout: true },
  { label: '`xxgk-convert convert` a born-digital PDF (seed 000, Chromium, 2 pages)', run: (c) => once(process.execPath, [c.main, 'convert', PDF]), perCheckout: true },
  ...(spawnSync('pdftotext', ['-v']).error ? [] : [{ label: '`pdftotext -layout` the same PDF', run: () => once('pdftotext', ['-layout', PDF, '/dev/null']), perCheckout: false }]),
  { label: '`xxgk-convert serve`: spawn to the first 200 from `/healthz`', run: (c) => coldStart(c.main, '/healthz'), perCheckout: true },
  { label: '`xxgk-convert serve`: spawn to the first 200 from `/readyz` (service loaded)', run: (c) => coldStart(c.main, '/readyz'), perCheckout: true },
];

/** The modules worth knowing the price of: packages, and our own modules that gather them. */
const MODULES = [
  'file-type', 'chardet', 'iconv-lite', 'opencc-js/t2cn', 'parse5', 'yauzl',
  'pdfjs-dist/legacy/build/pdf.mjs', 'pdfjs-dist/legacy/build/pdf.worker.mjs', '@napi-rs/canvas',
  'sharp', 'onnxruntime-node', 'tesseract.js',
  'express', 'pino', 'pino-http', 'prom-client', 'multer', 'helmet', 'cors', 'better-sqlite3', 'ajv/dist/2020.js',
  './dist/intake/sniff.js', './dist/pipeline.js', './dist/model/schema.js', './dist/model/validate.js', './dist/service/routes/pages.js', './dist/service/app.js', './dist/cli/batch.js',
];

function importMs(spec: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: here, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import ${spec}: ${r.stderr}`);
  return Number(r.stdout);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Source files importing `spec`, statically (`import … from`), dynamically (`import(…)`) or on demand (`require(…)`). */
function importers(spec: string): string {
  if (spec.startsWith('./dist/')) return '';
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  const quoted = `'${pkg}(?:/[^']*)?'`;
  const found: string[] = [];
  for (const file of sources(join(here, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const rel = file.slice(here.length + 1);
    if (new RegExp(`^import (?!type )[^;]*?from ${quoted}`, 'm').test(text)) found.push(`${rel} (static)`);
    // A dynamic import, not a type position (`typeof import('x')`, `: import('x').T`, `Promise<import('x').T>`).
    else if (new RegExp(`(?<!typeof\\s*|[:<]\\s*)import\\(\\s*${quoted}`).test(text)) found.push(`${rel} (dynamic)`);
    // createRequire(import.meta.url)('x'), or require('x') from one.
    else if (new RegExp(`(?:\\brequire|\\))\\(\\s*${quoted}\\s*\\)`).test(text)) found.push(`${rel} (require, on demand)`);
  }
  return found.join(', ') || (spec.startsWith('pdfjs') || spec === '@napi-rs/canvas' ? 'pdf.js itself, when it is loaded' : 'a dependency of another package');
}

const load0 = loadavg()[0];
const rows: string[] = [];
for (const c of cases) {
  const targets = c.perCheckout ? checkouts : [checkouts[checkouts.length - 1]];
  const samples = new Map<Checkout, Sample[]>(targets.map((t) => [t, []]));
  for (const t of targets) await c.run(t); // warm the file cache
  for (let i = 0; i < RUNS; i++) for (const t of targets) samples.get(t)!.push(await c.run(t));
  rows.push(`| ${c.label} | ${checkouts.map((t) => (samples.has(t) ? cell(samples.get(t)!) : '—')).join(' | ')} |`);
  console.error(rows[rows.length - 1]);
}

const importRows = ['| module | import ms (median of 5, fresh process) | imported by |', '|---|---|---|'];
for (const spec of MODULES) {
  importMs(spec);
  const ms = median(Array.from({ length: 5 }, () => importMs(spec)));
  importRows.push(`| \`${spec.replace('./dist/', 'dist/')}\` | ${ms.toFixed(0)} | ${importers(spec)} |`);
  console.error(importRows[importRows.length - 1]);
}
const load1 = loadavg()[0];

const unit = TIME ? 'median wall s (min) · CPU s · peak RSS MB' : 'median wall s (min)';
const head = [
  `\`node --import tsx scripts/bench-startup.ts${values.baseline ? ' --baseline <checkout>' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}.`,
  `${RUNS} runs of each after one warm-up${values.baseline ? ', before and after interleaved' : ''}; load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end (the machine is shared).`,
].join('\n');
const table = [`| whole process | ${checkouts.map((c) => `${c.label}: ${unit}`).join(' | ')} |`, `|---|${checkouts.map(() => '---|').join('')}`, ...rows].join('\n');
const imports = importRows.join('\n');
console.log(`${head}\n\n${table}\n\n${imports}`);
if (values.write) {
  writeSection(join(here, 'docs/performance.md'), 'startup', `## Start-up\n\n${head}\n\n${table}\n\n### What the imports cost\n\n${imports}`);
}

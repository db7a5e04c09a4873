/**
 * `npm run load`: a bounded load run (60 s by default, loopback only) with autocannon against
 * POST /v1/convert, cycling through the sample formats with refresh=true so every request converts.
 * Prints throughput, p50/p99 latency, errors by status and the service's RSS over time, and writes
 * them into docs/performance.md.
 */
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSection } from './report-section.js';

const root = join(import.meta.dirname, '..');
const DURATION = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 8);
const files = ['seeds/003_7d78940555e26d72.txt', 'html/000_ac416d85e5af171b.html', 'docx/002_428db422c0ca7d7e.docx', 'pdf/004_a98acada5b20935e.chrome.pdf', 'seeds/001_c47c3146309e273f.txt'];

execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-load-'));
const port = 19000 + Math.floor(Math.random() * 1000);
const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve'], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), XXGK_DATA_DIR: dataDir, XXGK_LOG_LEVEL: 'warn', XXGK_QUEUE_LIMIT: '256' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* starting */ }
  if (i > 400) throw new Error('service did not start');
  await new Promise((r) => setTimeout(r, 50));
}

const rss: number[] = [];
const sampler = setInterval(() => {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  if (m) rss.push(Number(m[1]) / 1024);
}, 1000);

const statuses: Record<string, number> = {};
const result = await autocannon({
  url,
  connections: CONNECTIONS,
  duration: DURATION,
  timeout: 60,
  requests: files.map((f) => ({
    method: 'POST' as const,
    path: `/v1/convert?refresh=true&filename=${encodeURIComponent(f.split('/').pop()!)}`,
    headers: { 'content-type': 'application/octet-stream' },
    body: readFileSync(join(root, 'samples', f)),
  })),
  setupClient: (client) => client.on('response', (status: number) => { statuses[status] = (statuses[status] ?? 0) + 1; }),
});
clearInterval(sampler);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

const quarter = Math.max(1, Math.floor(rss.length / 4));
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lines = [
  '## Load', '',
  `\`npm run load\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores): autocannon, ${CONNECTIONS} connections for ${DURATION} s against \`POST /v1/convert?refresh=true\`, cycling ${files.length} documents (text, HTML, DOCX, PDF); every request is a full conversion in the worker pool.`, '',
  '| measure | value |', '|---|---|',
  `| requests completed | ${result.requests.total} (${result.requests.average.toFixed(1)}/s) |`,
  `| latency p50 / p99 / max | ${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms |`,
  `| responses by status | ${Object.entries(statuses).map(([s, n]) => `${s}: ${n}`).join(', ')} |`,
  `| errors / timeouts / non-2xx | ${result.errors} / ${result.timeouts} / ${result.non2xx} |`,
  `| service RSS first quarter → last quarter (mean) | ${avg(rss.slice(0, quarter)).toFixed(0)} → ${avg(rss.slice(-quarter)).toFixed(0)} MiB |`,
  `| service peak RSS | ${Math.max(...rss).toFixed(0)} MiB |`,
];
writeSection(join(root, 'docs/performance.md'), 'load', lines.join('\n'));
console.log(lines.join('\n'));
if (Object.keys(statuses).some((s) => s.startsWith('5')) || result.errors || result.timeouts) process.exitCode = 1;

/**
 * Each command loads only the machinery its input needs (issue "CLI start-up"): what a process loads is
 * most of what a short command costs. The timings themselves are benchmarks (npm run bench:startup).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startGate } from '../src/service/health.js';
import { samplesDir } from './support/fixtures.js';
import { runRecordingLoads } from './support/loaded.js';
import { CLI, freePort, healthy, start } from './support/process.js';

/**
 * Machinery that a UTF-8 text never needs: PDF, OCR and image code, the service's packages, OpenCC, and the
 * charset detector and decoders (for other encodings).
 */
const HEAVY = /\/src\/extract\/(pdf|ocr)\/|\/node_modules\/(pdfjs-dist|@napi-rs|sharp|@img|onnxruntime-node|tesseract\.js|opencc-js|express|pino|better-sqlite3|prom-client|helmet|multer|ajv|chardet|iconv-lite)\//;

const ours = (loaded: string[]) => loaded.filter((m) => m.includes('/src/')).map((m) => m.replace(/^.*\/src\//, ''));

test('--help loads the command line and nothing of the pipeline', async () => {
  const f = await runRecordingLoads([...CLI, '--help']);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stdout, /^Usage: xxgk-convert <command>/);
  assert.deepEqual(ours(f.loaded).sort(), ['cli/args.ts', 'cli/main.ts', 'intake/errors.ts']);
});

test('convert of a text loads no PDF, OCR, image or service machinery', async () => {
  const f = await runRecordingLoads([...CLI, 'convert', join(samplesDir, 'seeds/003_7d78940555e26d72.txt')]);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(JSON.parse(f.stdout).source.route, 'text');
  assert.deepEqual(f.loaded.filter((m) => HEAVY.test(m)), []);
});

test('convert of a born-digital PDF loads pdf.js but no OCR, and no file-type (%PDF says it all)', async () => {
  const f = await runRecordingLoads([...CLI, 'convert', join(samplesDir, 'pdf/000_ac416d85e5af171b.chrome.pdf')]);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(JSON.parse(f.stdout).source.route, 'pdf-text');
  assert.ok(f.loaded.some((m) => m.includes('/pdfjs-dist/')), 'pdf.js is loaded');
  assert.deepEqual(f.loaded.filter((m) => /\/src\/extract\/ocr\/|\/node_modules\/(sharp|onnxruntime-node|tesseract\.js|file-type)\//.test(m)), []);
});

/** `serve` whose loading of the service (src/service/app.ts) is held until `release()`: started once /healthz answers. */
async function serveHeld() {
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-gate-'));
  const released = join(dir, 'release');
  const hook = `import { existsSync } from 'node:fs';
    export async function load(url, context, next) {
      if (url.endsWith('/src/service/app.ts')) while (!existsSync(${JSON.stringify(released)})) await new Promise((r) => setTimeout(r, 20));
      return next(url, context);
    }`;
  const preload = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const [node, ...rest] = CLI;
  const alive = () => fetch(`${base}/healthz`).then((r) => r.ok, () => false);
  const service = await start([node, '--import', `data:text/javascript,${encodeURIComponent(preload)}`, ...rest, 'serve', '--port', String(port)], alive, {
    env: { ...process.env, XXGK_DATA_DIR: join(dir, 'data'), XXGK_WORKERS: '1', XXGK_OCR_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0' },
  });
  return {
    base, service,
    release: () => writeFileSync(released, ''),
    async close() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('serve answers /healthz as soon as it listens; other requests wait for the service and get its answer', async () => {
  const held = await serveHeld();
  try {
    const health = await fetch(`${held.base}/healthz`);
    assert.deepEqual([health.status, health.headers.has('x-request-id'), await health.json()], [200, false, { status: 'ok' }]);
    const ready = fetch(`${held.base}/readyz`); // waits: the service is not loaded yet
    held.release();
    const answer = await ready;
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).status, 'ready');
    assert.ok(answer.headers.has('x-request-id'), 'answered by the service itself');
  } finally {
    await held.close();
  }
});

test('SIGTERM while the service loads: it stops cleanly once loaded (exit 0)', async () => {
  const held = await serveHeld();
  try {
    held.service.child.kill('SIGTERM');
    held.release();
    const f = await held.service.stop();
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /"msg":"shutting down","signal":"SIGTERM"/);
  } finally {
    await held.close();
  }
});

test('the start-up gate: a burst past its bound, and a service that cannot start, get 503 NOT_READY', async () => {
  const gate = startGate(1);
  let arrived!: () => void;
  const firstArrived = new Promise<void>((r) => (arrived = r));
  const server = createServer((req, res) => {
    gate.handle(req, res);
    arrived();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const first = fetch(`${base}/v1/jobs`);
    await firstArrived; // it waits: the gate is full
    const second = await fetch(`${base}/v1/jobs`);
    assert.deepEqual([second.status, second.headers.get('retry-after'), (await second.json()).error.code], [503, '1', 'NOT_READY']);
    gate.fail();
    const failed = await first;
    assert.deepEqual([failed.status, await failed.json()], [503, { error: { code: 'NOT_READY', message: 'The service could not start.' } }]);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

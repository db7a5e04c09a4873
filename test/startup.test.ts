/**
 * Each command loads only the machinery its input needs (issue "CLI start-up"): what a process loads is
 * most of what a short command costs. The timings themselves are benchmarks (npm run bench:startup).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { samplesDir } from './support/fixtures.js';
import { runRecordingLoads } from './support/loaded.js';
import { CLI } from './support/process.js';

/** Machinery that a text never needs: PDF, OCR and image code, the service's packages, OpenCC. */
const HEAVY = /\/src\/extract\/(pdf|ocr)\/|\/node_modules\/(pdfjs-dist|@napi-rs|sharp|@img|onnxruntime-node|tesseract\.js|opencc-js|express|pino|better-sqlite3|prom-client|helmet|multer|ajv)\//;

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

test('convert of a born-digital PDF loads pdf.js but no OCR', async () => {
  const f = await runRecordingLoads([...CLI, 'convert', join(samplesDir, 'pdf/000_ac416d85e5af171b.chrome.pdf')]);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(JSON.parse(f.stdout).source.route, 'pdf-text');
  assert.ok(f.loaded.some((m) => m.includes('/pdfjs-dist/')), 'pdf.js is loaded');
  assert.deepEqual(f.loaded.filter((m) => /\/src\/extract\/ocr\/|\/node_modules\/(sharp|onnxruntime-node|tesseract\.js)\//.test(m)), []);
});

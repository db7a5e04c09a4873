/**
 * Converts scan samples through convert() and compares them with their expected JSON.
 * Run: node --import tsx scripts/ocr/check-sample.ts [substring …]   (default: every manifest entry)
 * Prints per file: route, seconds, numeric cells right/total, wrong cells with confidences.
 */
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, type Expected } from '../../src/eval/expected.js';
import { closeOcrPool } from '../../src/extract/ocr/pool.js';
import { convert } from '../../src/pipeline.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(root, 'samples/scans/manifest.json'), 'utf8')) as { file: string; expected: string; variant: string }[];
const filters = process.argv.slice(2);
const verbose = process.env.VERBOSE === '1';
try {
  for (const e of manifest.filter((m) => filters.length === 0 || filters.some((f) => m.file.includes(f)))) {
    const bytes = readFileSync(join(root, 'samples', e.file));
    const t0 = performance.now();
    const report = await convert(bytes, { filename: e.file.split('/').pop() });
    const s = (performance.now() - t0) / 1000;
    const exp = JSON.parse(readFileSync(join(root, 'samples', e.expected), 'utf8')) as Expected;
    const c = compare(report, exp);
    const numeric = c.cells.filter((x) => typeof x.expected === 'number');
    const wrong = c.cells.filter((x) => !x.right);
    const lowRight = c.cells.filter((x) => x.right && x.confidence < 0.5).length;
    console.log(`${e.file} ${e.variant} route=${report.source.route} ${s.toFixed(1)}s pages=${report.source.pages} numeric ${numeric.filter((x) => x.right).length}/${numeric.length} all ${c.cells.length - wrong.length}/${c.cells.length} wrongMaxConf=${Math.max(0, ...wrong.map((w) => w.confidence)).toFixed(2)} rightBelow0.5=${lowRight}`);
    for (const w of wrong.slice(0, verbose ? 100 : 8)) console.log(`   ✗ ${w.key} expected ${w.expected} got ${w.got} (${w.state}, conf ${w.confidence})`);
    for (const p of c.problems) console.log(`   ! ${p}`);
  }
} finally {
  await closeOcrPool();
}

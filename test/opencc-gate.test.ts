/**
 * OpenCC (traditional → simplified) is loaded only for text that holds something it converts
 * (src/normalize/traditional-chars.ts), and the gate never changes what toSimplified gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { toSimplified } from '../src/normalize/text.js';
import { TARGET, traditionalCharsSource } from '../scripts/traditional-chars.js';
import { samplesDir, seeds } from './support/fixtures.js';
import { runRecordingLoads } from './support/loaded.js';
import { CLI } from './support/process.js';

const require = createRequire(import.meta.url);
const opencc = require('opencc-js/t2cn') as typeof import('opencc-js/t2cn');

test('traditional-chars.ts is what the installed opencc-js converts', () => {
  assert.equal(readFileSync(TARGET, 'utf8'), traditionalCharsSource(), 'run: node --import tsx scripts/traditional-chars.ts');
});

test('toSimplified gives what OpenCC gives, for every word in its dictionaries and every line of the seeds', () => {
  const t2cn = opencc.Converter({ from: 't', to: 'cn' });
  const words = new Set<string>();
  const collect = (dict: unknown): void => {
    if (typeof dict === 'string') for (const entry of dict.split('|')) for (const w of entry.split(' ')) words.add(w);
    else if (Array.isArray(dict)) dict.forEach(collect);
    else if (dict && typeof dict === 'object') Object.values(dict).forEach(collect);
  };
  collect(opencc.Locale);
  for (const seed of seeds) for (const line of readFileSync(join(samplesDir, 'seeds', `${seed}.txt`), 'utf8').split('\n')) words.add(line);
  for (const line of readFileSync(join(samplesDir, 'crawled/003_7d78940555e26d72.trad.spaced.txt'), 'utf8').split('\n')) words.add(line);
  assert.ok(words.size > 10_000, `${words.size} words`);
  let converted = 0;
  for (const w of words) {
    const expected = t2cn(w).replace(/谘/g, '咨'); // toSimplified's one fix-up after OpenCC
    if (expected !== w) converted++;
    assert.equal(toSimplified(w), expected, w);
  }
  assert.ok(converted > 4000, `${converted} of them are changed`);
});

/** The opencc-js files that a `convert` of `file` by the CLI loaded. */
async function openccLoadedBy(file: string): Promise<string[]> {
  const f = await runRecordingLoads([...CLI, 'convert', file]);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stdout, /"model": "xxgk\/report@1"/);
  return f.loaded.filter((m) => m.includes('/opencc-js/'));
}

test('a report in simplified characters is converted without loading OpenCC; one in traditional loads it', async () => {
  assert.deepEqual(await openccLoadedBy(join(samplesDir, 'seeds/003_7d78940555e26d72.txt')), []);
  const trad = await openccLoadedBy(join(samplesDir, 'crawled/003_7d78940555e26d72.trad.spaced.txt'));
  assert.ok(trad.some((f) => f.includes('t2cn')), `loaded: ${trad.join(', ') || 'nothing'}`);
});

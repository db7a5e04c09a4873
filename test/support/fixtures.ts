/** Paths and loaders the tests share: samples in the repo, real fixtures beside it in ../shared. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expected } from '../../src/eval/expected.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const samplesDir = join(repoRoot, 'samples');
export const sharedReal = resolve(repoRoot, '../shared/fixtures/real');
export const hasShared = existsSync(sharedReal);

export const seeds = ['000_ac416d85e5af171b', '001_c47c3146309e273f', '002_428db422c0ca7d7e', '003_7d78940555e26d72', '004_a98acada5b20935e'];

export function expectedFor(name: string): Expected {
  return JSON.parse(readFileSync(join(samplesDir, 'expected', `${name}.json`), 'utf8')) as Expected;
}

export function sample(path: string): Buffer {
  return readFileSync(join(samplesDir, path));
}

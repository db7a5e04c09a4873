/**
 * Regenerates samples/layout/: `pdftotext -layout` text of the sample PDFs (Chromium and LibreOffice),
 * the flattening a user gets from poppler. Degradation level 1: a lossy flattening, measured by
 * `npm run eval` but not required to be exact (LibreOffice's 表四 headers come one character a line).
 * Run: node --import tsx scripts/make-layout-samples.ts   (needs pdftotext, poppler-utils)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'samples/layout');
interface Entry { file: string; seed: string; expected: string; route: string; variant: string; degradation?: number }

const pdfs = (JSON.parse(readFileSync(join(root, 'samples/pdf/manifest.json'), 'utf8')) as Entry[])
  .filter((e) => e.variant === 'chromium' || e.variant === 'libreoffice');
mkdirSync(out, { recursive: true });
const manifest: Entry[] = pdfs.map((e) => {
  const name = e.file.split('/').pop()!.replace(/\.pdf$/, '.layout.txt');
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(root, 'samples', e.file), '-'], { encoding: 'utf8' });
  writeFileSync(join(out, name), text);
  console.log(`wrote samples/layout/${name}`);
  return { file: `layout/${name}`, seed: e.seed, expected: e.expected, route: 'text', variant: `pdftotext-layout ${e.variant}`, degradation: 1 };
});
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

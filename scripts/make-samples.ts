/**
 * Regenerates the sample documents from the seeds and their expected JSON:
 *   samples/html/<seed>.html        UTF-8 article page with the form tables as real markup
 *   samples/html/000_….gbk.html     the same page in GBK
 *   samples/html/003_….trad.html    traditional-character mirror (pinyin noise, full-width digits in prose)
 *   samples/docx/<seed>.docx        LibreOffice HTML → DOCX, read back and checked against the HTML
 *   samples/prose/001_….prose.txt   seed 001 without its 附表: a prose-only legacy report (templates.md §C4)
 *   samples/manifest.json           every file with its seed, expected JSON, route and variant
 *
 * Run: node --import tsx scripts/make-samples.ts [--no-docx]   (--no-docx: HTML only; existing DOCX files stay listed)
 * Deterministic: the same inputs give the same bytes (DOCX zip timestamps are fixed).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCoverage, checkDocx } from './samples/check.js';
import { LibreOffice } from './samples/docx.js';
import { renderHtml } from './samples/html.js';
import type { Expected } from './samples/model.js';
import { buildPage } from './samples/page.js';
import { seeds, traditionalEdits, type Variant } from './samples/seeds.js';
import { encodeGbk, traditionalPage } from './samples/variants.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const samples = join(root, 'samples');
const withDocx = !process.argv.includes('--no-docx');

interface ManifestEntry {
  file: string;
  seed: string;
  expected: string;
  route: 'html' | 'docx';
  variant: Variant;
}

const manifest: ManifestEntry[] = [];

function write(rel: string, data: string | Buffer): void {
  const path = join(samples, rel);
  mkdirSync(dirname(path), { recursive: true });
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const same = existsSync(path) && readFileSync(path).equals(buf);
  if (!same) writeFileSync(path, buf);
  const sha = createHash('sha256').update(buf).digest('hex').slice(0, 12);
  console.log(`${same ? 'unchanged' : 'wrote    '} ${relative(root, path)}  ${buf.length} B  sha256:${sha}`);
}

const docxJobs: { seed: string; htmlRel: string; html: string }[] = [];

for (const spec of seeds) {
  const expectedRel = `expected/${spec.id}.json`;
  const exp = JSON.parse(readFileSync(join(samples, expectedRel), 'utf8')) as Expected;
  const seedText = readFileSync(join(samples, 'seeds', `${spec.id}.txt`), 'utf8');
  const page = buildPage(spec, seedText, exp);
  const cells = checkCoverage(page, exp);
  const entry = (file: string, route: ManifestEntry['route'], variant: Variant) =>
    manifest.push({ file, seed: spec.id, expected: expectedRel, route, variant });

  const html = renderHtml(page, 'utf-8');
  const htmlRel = `html/${spec.id}.html`;
  write(htmlRel, html);
  entry(htmlRel, 'html', 'plain');
  console.log(`          ${spec.id}: ${exp.template}, ${cells} expected cells printed, title "${page.title}"`);
  docxJobs.push({ seed: spec.id, htmlRel, html });

  if (spec.variants.includes('gbk')) {
    const rel = `html/${spec.id}.gbk.html`;
    write(rel, encodeGbk(renderHtml(page, 'gbk')));
    entry(rel, 'html', 'gbk');
  }
  if (spec.variants.includes('traditional')) {
    const rel = `html/${spec.id}.trad.html`;
    write(rel, renderHtml(traditionalPage(page, traditionalEdits), 'utf-8'));
    entry(rel, 'html', 'traditional');
  }
}

// A prose-only legacy report: seed 001 without its flattened 附表, so its figures are in the prose
// alone. Its expected values (expected/001_….prose.json) are labelled from that prose by hand.
{
  const spec = seeds.find((s) => s.id === '001_c47c3146309e273f')!;
  const lines = readFileSync(join(samples, 'seeds', `${spec.id}.txt`), 'utf8').split('\n');
  const from = lines.findIndex((l) => spec.tables.from.test(l.trim()));
  const to = lines.findIndex((l, i) => i > from && spec.tables.to.test(l.trim()));
  if (from < 0 || to < 0) throw new Error(`${spec.id}: the 附表 lines were not found`);
  write(`prose/${spec.id}.prose.txt`, [...lines.slice(0, from), ...lines.slice(to)].join('\n'));
}

let failed = false;
if (withDocx) {
  const lo = new LibreOffice();
  try {
    for (const job of docxJobs) {
      const docx = await lo.htmlToDocx(join(samples, job.htmlRel));
      write(`docx/${job.seed}.docx`, docx);
      const report = await checkDocx(job.html, docx);
      const summary = report.tables.map((t) => `${t.cells}c/${t.spans}s`).join(' ');
      console.log(
        `          read back ${job.seed}: ${report.ok ? 'tables match the HTML' : 'MISMATCH'} — ${report.tables.length} tables (cells/merged): ${summary}`,
      );
      for (const [i, t] of report.tables.entries())
        for (const m of t.mismatches.slice(0, 10)) console.log(`            table ${i}: ${m}`);
      if (!report.ok) failed = true;
    }
  } finally {
    lo.dispose();
  }
}

for (const job of docxJobs) {
  const rel = `docx/${job.seed}.docx`;
  if (withDocx || existsSync(join(samples, rel)))
    manifest.push({ file: rel, seed: job.seed, expected: `expected/${job.seed}.json`, route: 'docx', variant: 'plain' });
}
manifest.sort((a, b) => a.file.localeCompare(b.file));
write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
if (failed) {
  console.error('some DOCX files lost table structure (see above)');
  process.exitCode = 1;
}

/**
 * Regenerates samples/pdf/: each seed's HTML rendering printed to PDF by Chromium (ruled tables),
 * each seed's DOCX converted by LibreOffice (tables that lose their rules and run over pages), and
 * two PDFs whose 表三 continues on the next page, with and without the header repeated.
 * Run: node --import tsx scripts/make-pdf-samples.ts   (needs chromium and soffice)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'samples/pdf');
const seeds = ['000_ac416d85e5af171b', '001_c47c3146309e273f', '002_428db422c0ca7d7e', '003_7d78940555e26d72', '004_a98acada5b20935e'];
const work = mkdtempSync(join(tmpdir(), 'xxgk-pdf-samples-'));

function chromePdf(html: string, target: string): void {
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${join(work, 'chrome')}`, '--no-pdf-header-footer',
    `--print-to-pdf=${target}`, `file://${html}`,
  ], { stdio: 'ignore', timeout: 60_000 });
}

function libreOfficePdf(docx: string, target: string): void {
  execFileSync('soffice', [`-env:UserInstallation=file://${join(work, 'lo')}`, '--headless', '--convert-to', 'pdf', '--outdir', work, docx], { stdio: 'ignore', timeout: 120_000 });
  copyFileSync(join(work, docx.split('/').pop()!.replace(/\.docx$/, '.pdf')), target);
}

/** 表三 (the table holding 申请人情况) with roomier rows, so it breaks over a page; optionally its header in <thead>. */
function continuation(html: string, repeatHeader: boolean): string {
  const roomy = html.replace('</style>', 'table.xxgk-table td{padding:11px 4px}\n</style>');
  const tables = [...roomy.matchAll(/<table[^>]*class="xxgk-table"[^>]*>[\s\S]*?<\/table>/g)];
  const t3 = tables.find((m) => m[0].includes('申请人情况'))!;
  let table = t3[0];
  if (repeatHeader) {
    // The first three rows are the 3-level column header: Chromium repeats a <thead> on every page.
    const rows = [...table.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    const head = rows.slice(0, 3).join('\n');
    table = table.replace(/<tbody>/, '').replace(head, `<thead>\n${head}\n</thead>\n<tbody>`);
  }
  return roomy.replace(t3[0], table);
}

interface Entry { file: string; seed: string; expected: string; route: 'pdf-text'; variant: string }
const manifest: Entry[] = [];
mkdirSync(out, { recursive: true });
try {
  for (const seed of seeds) {
    const chrome = `${seed}.chrome.pdf`;
    chromePdf(join(root, 'samples/html', `${seed}.html`), join(out, chrome));
    manifest.push({ file: `pdf/${chrome}`, seed, expected: `expected/${seed}.json`, route: 'pdf-text', variant: 'chromium' });
    const lo = `${seed}.libreoffice.pdf`;
    libreOfficePdf(join(root, 'samples/docx', `${seed}.docx`), join(out, lo));
    manifest.push({ file: `pdf/${lo}`, seed, expected: `expected/${seed}.json`, route: 'pdf-text', variant: 'libreoffice' });
  }
  const seed = seeds[3];
  const html = readFileSync(join(root, 'samples/html', `${seed}.html`), 'utf8');
  for (const repeat of [true, false]) {
    const name = `${seed}.continued-${repeat ? 'repeated-header' : 'no-header'}`;
    const src = join(work, `${name}.html`);
    writeFileSync(src, continuation(html, repeat));
    chromePdf(src, join(out, `${name}.pdf`));
    manifest.push({ file: `pdf/${name}.pdf`, seed, expected: `expected/${seed}.json`, route: 'pdf-text', variant: repeat ? 'continued-repeated-header' : 'continued-no-header' });
  }
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const m of manifest) console.log(`wrote samples/${m.file}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

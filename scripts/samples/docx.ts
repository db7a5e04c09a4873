/**
 * HTML → DOCX with LibreOffice (headless, private profile, one conversion at a time), then the
 * package rewritten with fixed timestamps so that the same HTML gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readZip, writeZip } from './zip.js';

const FIXED_DATE = '2000-01-01T00:00:00Z';

export class LibreOffice {
  private readonly profile = join(tmpdir(), `lo-profile-${process.pid}`);
  private readonly work = mkdtempSync(join(tmpdir(), 'xxgk-samples-'));

  /** Convert one HTML file; returns the normalised DOCX bytes. */
  async htmlToDocx(htmlPath: string): Promise<Buffer> {
    const outDir = join(this.work, 'out');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${this.profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'docx:MS Word 2007 XML',
        '--outdir',
        outDir,
        htmlPath,
      ],
      { stdio: 'pipe', timeout: 180_000 },
    );
    const produced = join(outDir, basename(htmlPath).replace(/\.html?$/i, '') + '.docx');
    return normaliseDocx(readFileSync(produced));
  }

  dispose(): void {
    rmSync(this.work, { recursive: true, force: true });
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Same entries, same order; fixed zip timestamps; any document dates pinned to FIXED_DATE. */
export async function normaliseDocx(buf: Buffer): Promise<Buffer> {
  const entries = await readZip(buf);
  for (const e of entries) {
    if (e.name === 'docProps/core.xml') {
      const xml = e.data
        .toString('utf8')
        .replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${FIXED_DATE}$2`);
      e.data = Buffer.from(xml, 'utf8');
    }
  }
  return writeZip(entries);
}

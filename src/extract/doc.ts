/**
 * Legacy Word (.doc): LibreOffice converts it to DOCX, which the DOCX extractor reads. Calls run one
 * at a time, each with a private profile, and are killed after a time limit.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { LayoutDocument } from '../layout/types.js';
import { extractDocx } from './docx.js';

const SOFFICE = process.env.XXGK_SOFFICE ?? 'soffice';
const TIMEOUT_MS = 60_000;
let queue: Promise<unknown> = Promise.resolve();

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: TIMEOUT_MS, killSignal: 'SIGKILL' }, (err) => (err ? reject(err) : resolve()));
  });
}

async function convertToDocx(bytes: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'xxgk-doc-'));
  try {
    const input = join(dir, 'input.doc');
    await writeFile(input, bytes);
    await run(SOFFICE, [
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      '--headless', '--norestore', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, input,
    ]).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        throw new ConvertError('DOC_UNSUPPORTED', 415, 'Legacy .doc files need LibreOffice on the server (Debian: apt-get install libreoffice-writer-nogui), which is not installed. Save the file as .docx and send that.');
      }
      throw new ConvertError('DOC_CORRUPT', 422, 'LibreOffice could not convert this .doc file: it is damaged or not a Word document.');
    });
    return await readFile(join(dir, 'input.docx')).catch(() => {
      throw new ConvertError('DOC_CORRUPT', 422, 'LibreOffice could not convert this .doc file: it is damaged or not a Word document.');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function extractDoc(bytes: Uint8Array, limits: Limits): Promise<LayoutDocument> {
  const next = queue.then(() => convertToDocx(bytes));
  queue = next.catch(() => undefined);
  return extractDocx(await next, limits);
}

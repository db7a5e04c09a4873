/** The batch's files on disk: where a report JSON goes, whole-file writes, reading a JSON back. */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MODEL_ID, type Report } from '../model/report.js';

/** `a/b/report.pdf` → `a/b/report.pdf.json` */
export function outputRel(rel: string): string {
  return `${rel}.json`;
}

/** A `/`-separated path relative to the output folder, as a path on this system. */
export function outPath(outDir: string, rel: string): string {
  return join(outDir, ...rel.split('/'));
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Writes via a hidden temporary file and a rename, so a killed run leaves whole files only. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export function writeReport(path: string, report: Report): Promise<void> {
  return writeAtomic(path, JSON.stringify(report, null, 2) + '\n');
}

/** A report JSON of the model, or null (absent, torn, another format). */
export async function readReport(path: string): Promise<Report | null> {
  try {
    const r = JSON.parse(await readFile(path, 'utf8')) as Report;
    return r && r.model === MODEL_ID && Array.isArray(r.tables) ? r : null;
  } catch {
    return null;
  }
}

/** Path order (code units, as the dataset rows are sorted), independent of the locale. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

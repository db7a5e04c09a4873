/**
 * Finds the files of a batch: the folder tree, depth first, names in code-point order so every run
 * sees the same order. Hidden entries (names starting with a dot), the excluded folders (the
 * output folder when it sits inside the input) and other batches' output folders are skipped; symbolic links are followed, each real
 * folder is entered once (so a link to an ancestor cannot loop).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.freeze([
  '.pdf', '.docx', '.doc', '.html', '.htm', '.txt', '.md', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp',
]);

export function isSupported(file: string): boolean {
  return SUPPORTED_EXTENSIONS.includes(extname(file).toLowerCase());
}

export interface WalkedFile {
  /** Absolute path (as reached, links not resolved). */
  path: string;
  /** Path relative to the root, `/`-separated. */
  rel: string;
  size: number;
  mtimeMs: number;
  supported: boolean;
}

export interface WalkProblem {
  rel: string;
  code: string;
  message: string;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Entries that could not be read (permissions, dangling links). */
  problems: WalkProblem[];
}

export interface WalkOptions {
  /** Folders not entered (and their contents). */
  exclude?: string[];
  /** A folder holding a file of this name is not entered (the output folders of other batches). */
  skipFoldersWith?: string;
}

export async function walk(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const problems: WalkProblem[] = [];
  const excluded = new Set<string>();
  for (const e of options.exclude ?? []) {
    excluded.add(resolve(e));
    excluded.add(await realpath(e).catch(() => resolve(e)));
  }
  const visited = new Set<string>();

  async function visit(dir: string, rel: string): Promise<void> {
    const real = await realpath(dir);
    if (visited.has(real) || excluded.has(real) || excluded.has(resolve(dir))) return;
    visited.add(real);
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (err) {
      problems.push({ rel: rel || '.', code: 'UNREADABLE', message: `Cannot read the folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
      return;
    }
    if (rel && options.skipFoldersWith && names.includes(options.skipFoldersWith)) return;
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const childRel = rel ? `${rel}/${name}` : name;
      let st;
      try {
        st = await stat(path); // follows links
      } catch (err) {
        problems.push({ rel: childRel, code: 'UNREADABLE', message: `Cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
        continue;
      }
      if (st.isDirectory()) await visit(path, childRel);
      else if (st.isFile()) files.push({ path, rel: childRel, size: st.size, mtimeMs: st.mtimeMs, supported: isSupported(name) });
    }
  }

  await visit(resolve(root), '');
  return { files, problems };
}

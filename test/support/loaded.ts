/** Which files a command loads: ESM imports (through a module hook) and CommonJS requires (require.cache). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';
import { run, type Finished } from './process.js';

/** Runs `argv` (node and its arguments, e.g. CLI + command) to its end; what it printed and every file it loaded. */
export async function runRecordingLoads(argv: readonly string[]): Promise<Finished & { loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-loaded-'));
  try {
    const log = join(dir, 'loaded');
    const hook = `import { appendFileSync } from 'node:fs';
      export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
    const preload = `import { register, createRequire } from 'node:module'; import { appendFileSync } from 'node:fs';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      process.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(createRequire(${JSON.stringify(join(repoRoot, 'x.js'))}).cache).join('\\n') + '\\n'));`;
    const [node, ...rest] = argv;
    const finished = await run([node, '--import', `data:text/javascript,${encodeURIComponent(preload)}`, ...rest]);
    return { ...finished, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

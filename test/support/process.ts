/** The command as a real process: run it to the end, or start `serve` and wait for /healthz. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Report } from '../../src/model/report.js';
import { repoRoot } from './fixtures.js';

/** `node --import tsx src/cli/main.ts`: the command from source, as the tests run everything else. */
export const CLI = [process.execPath, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts')] as const;

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`) and collects its output. */
export function run(argv: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<Finished> {
  const { timeoutMs = 60_000, ...spawnOptions } = options;
  const child = spawn(argv[0], argv.slice(1), { cwd: repoRoot, ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child, timeoutMs);
}

function collect(child: ChildProcess, timeoutMs: number): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `convert <file>` by the CLI from source: it must exit 0; the model it printed. */
export async function cliConvert(file: string): Promise<Report> {
  const f = await run([...CLI, 'convert', file]);
  if (f.code !== 0) throw new Error(`convert ${file} exited ${f.code ?? f.signal}:\n${f.stderr}`.slice(0, 4000));
  return JSON.parse(f.stdout) as Report;
}

export interface Running {
  child: ChildProcess;
  /** Everything written so far to stdout and stderr. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM (or `signal`), then what it wrote and how it ended. */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

export interface StartOptions extends SpawnOptions {
  timeoutMs?: number;
  /**
   * Run it in a process group of its own and signal the whole group, as a terminal's Ctrl-C does:
   * `npm start` passes no SIGTERM on to the service it started.
   */
  group?: boolean;
}

/** Starts a long-running command (a service) and resolves once `ready()` holds, or rejects if it exits first. */
export async function start(argv: readonly string[], ready: () => Promise<boolean>, options: StartOptions = {}): Promise<Running> {
  const { timeoutMs = 30_000, group = false, ...spawnOptions } = options;
  const child = spawn(argv[0], argv.slice(1), { cwd: repoRoot, ...spawnOptions, detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (group) process.kill(-child.pid!, signal);
      else child.kill(signal);
    } catch { /* already gone */ }
  };
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<Finished>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  let exited = false;
  void closed.then(() => (exited = true));
  const started = Date.now();
  while (!(await ready().catch(() => false))) {
    if (exited) {
      const f = await closed;
      throw new Error(`${argv.join(' ')} exited (${f.code ?? f.signal}) before it was ready:\n${f.stderr}${f.stdout}`.slice(0, 4000));
    }
    if (Date.now() - started > timeoutMs) {
      kill('SIGKILL');
      throw new Error(`${argv.join(' ')} not ready after ${timeoutMs} ms:\n${stderr}${stdout}`.slice(0, 4000));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    output: () => ({ stdout, stderr }),
    async stop(signal = 'SIGTERM') {
      if (!exited || group) kill(signal);
      const timer = setTimeout(() => kill('SIGKILL'), 20_000);
      const f = await closed;
      clearTimeout(timer);
      return f;
    },
  };
}

/**
 * True once `url` answers 200 from the service itself: while it loads, `serve` answers /healthz from its
 * start-up gate (src/service/health.ts), without the request id the service gives every answer.
 */
export const healthy = (url: string) => () => fetch(url).then((r) => r.ok && r.headers.has('x-request-id'), () => false);

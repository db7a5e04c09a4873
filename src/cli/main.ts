#!/usr/bin/env node
/**
 * The `xxgk-convert` command: convert one file, serve the HTTP API, or convert a folder.
 *
 * Each command loads its machinery only when it runs: `--help` and usage errors load nothing but this
 * file and args.ts (and node's own fs and path), `convert` the pipeline, `serve` express and the store, `batch` its runner. A static import here
 * would be paid by every command (express, pino, sharp and SQLite alone cost about half a second).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { debuglog } from 'node:util';
import { BATCH_OPTIONS, BATCH_USAGE, parse, StartError, UsageError, usageText, WORKER_USAGE } from './args.js';
import { ConvertError } from '../intake/errors.js';

const USAGE = `Usage: xxgk-convert <command> [options]

Commands:
  convert <file> [--out <file>]        convert one report, print (or write) the JSON model
  serve [--port <N>] [--host <addr>]   run the HTTP service (default 127.0.0.1:8080)
  worker [--ocr | --no-ocr] […]        run jobs from the PostgreSQL queue (XXGK_DATABASE_URL), no API
  batch <input-dir> --out <dir> […]    convert a folder into one JSON per file and a dataset

"xxgk-convert <command> --help" shows a command's options. The rest of the configuration is by
environment variables; see the README.`;

const CONVERT_USAGE = `Usage: xxgk-convert convert <file> [--out <file>]

  Converts one report (PDF, DOCX, DOC, HTML, text or an image) and prints its xxgk/report@1 JSON model.

Options:
  --out, -o <file>   write the model to <file> instead of printing it
  --help, -h         show this help

Exit code: 0 converted, 1 the file cannot be read or converted, 2 usage error.`;

const SERVE_USAGE = `Usage: xxgk-convert serve [--port <N>] [--host <address>] [--workers <N>]

  Runs the HTTP service until SIGTERM or SIGINT. The other settings are environment variables
  (XXGK_DATA_DIR, XXGK_API_KEYS, …; see the README).

Options:
  --port, -p <N>        port to listen on (default: $PORT, else 8080; 0 takes a free one)
  --host <address>      address to listen on (default: $HOST, else 127.0.0.1)
  --workers <N>         conversion worker threads (default: $XXGK_WORKERS, else the number of cores);
                        0 with XXGK_DATABASE_URL: only accept and serve, \`worker\` processes convert
  --help, -h            show this help

Exit code: 0 after a clean shutdown, 1 it cannot start (e.g. the port is in use), 2 usage error.`;

const debug = debuglog('xxgk');

async function convertCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string', short: 'o' } }, CONVERT_USAGE, 'convert');
  if (values.help) return help(CONVERT_USAGE);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `give one file, not ${positionals.length}` : 'the file to convert is missing', CONVERT_USAGE, 'convert');
  const file = positionals[0];
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new ConvertError('FILE_UNREADABLE', 400, `Cannot read ${file}: ${err.code ?? err.message}`);
  });
  const [{ convert }, { limitsFromEnv }] = await Promise.all([import('../pipeline.js'), import('../intake/limits.js')]);
  let report;
  try {
    report = await convert(bytes, { filename: basename(file), limits: limitsFromEnv() });
  } catch (err) {
    await closeOcr();
    throw err;
  }
  if (report.source.ocr) await closeOcr();
  const json = JSON.stringify(report, null, 2) + '\n';
  if (values.out) {
    const out = values.out;
    await writeFile(out, json).catch((err: NodeJS.ErrnoException) => {
      throw new ConvertError('FILE_UNWRITABLE', 500, `Cannot write ${out}: ${err.code ?? err.message}`);
    });
  } else {
    process.stdout.write(json);
  }
  return 0;
}

/**
 * OCR engines (worker threads) would keep a finished command alive a few seconds. Only a conversion that
 * read pages by OCR (or failed, perhaps while reading them) can have started them: the others skip loading
 * the OCR modules just to close nothing.
 */
async function closeOcr(): Promise<void> {
  await (await import('../extract/ocr/pool.js')).closeOcrPool();
}

/**
 * Serves until SIGTERM/SIGINT: then stops taking work, lets running jobs finish (or re-queues them), closes.
 * The port is bound before the store is opened: a second service started on a port in use fails at once,
 * before it could touch the first one's data folder (recovering its running jobs). Meanwhile /healthz
 * answers (the process is alive) and other requests wait for the service (service/health.ts).
 */
async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string', short: 'p' }, host: { type: 'string' }, workers: { type: 'string' } }, SERVE_USAGE, 'serve');
  if (values.help) return help(SERVE_USAGE);
  const { boundPort, checkPort, hostPort, listen } = await import('./listen.js');
  if (positionals.length) throw new UsageError(`serve takes no arguments, got '${positionals[0]}'`, SERVE_USAGE, 'serve');
  if (values.port !== undefined) checkPort(values.port, SERVE_USAGE, 'serve');
  if (values.host !== undefined && !values.host.trim()) throw new UsageError('--host must not be empty', SERVE_USAGE, 'serve');
  if (values.workers !== undefined && !/^\d{1,4}$/.test(values.workers)) throw new UsageError(`--workers must be a number of threads, got '${values.workers}'`, SERVE_USAGE, 'serve');
  const env = {
    ...process.env, ...(values.port !== undefined && { PORT: values.port }), ...(values.host !== undefined && { HOST: values.host }),
    ...(values.workers !== undefined && { XXGK_WORKERS: values.workers }),
  };

  const [{ configFromEnv }, { startGate }] = await Promise.all([import('../service/config.js'), import('../service/health.js')]);
  let config;
  try {
    config = configFromEnv(env);
  } catch (err) {
    throw new UsageError((err as Error).message, SERVE_USAGE, 'serve');
  }

  const { createServer } = await import('node:http');
  const gate = startGate();
  // A signal while the service loads stops it as soon as it is loaded (before, nothing has started yet).
  let signalled: string | null = null;
  let onSignal = (signal: string) => void (signalled ??= signal);
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  // Timeouts are checked every quarter of the client timeout (Node's default is every 30 s).
  const server = createServer({ connectionsCheckingInterval: Math.min(30_000, config.clientTimeoutMs / 4) }, gate.handle);
  // Slow clients cannot pin connections: the headers must arrive within the client timeout (Node answers 408),
  // the body within it after them (service/upload.ts answers 408), and requestTimeout backs both up.
  server.headersTimeout = config.clientTimeoutMs;
  server.requestTimeout = 2 * config.clientTimeoutMs + 1000;
  await listen(server, config.host, config.port);

  let service;
  try {
    const { createService } = await import('../service/app.js');
    service = createService(config);
  } catch (err) {
    gate.fail();
    server.close();
    throw new StartError((err as Error).message);
  }
  const { app, ctx } = service;
  gate.open(app);
  const port = boundPort(server, config.port);
  ctx.log.info({ msg: 'listening', url: `http://${hostPort(config.host, port)}`, dataDir: config.dataDir, store: ctx.store.kind, workers: config.workers });
  return new Promise((resolve) => {
    let stopping = false;
    onSignal = (signal: string) => {
      if (stopping) return;
      stopping = true;
      ctx.log.info({ msg: 'shutting down', signal, graceMs: config.shutdownGraceMs });
      server.close();
      void ctx.close().then(() => resolve(0));
    };
    if (signalled) onSignal(signalled);
  });
}

async function workerCommand(args: string[]): Promise<number> {
  return (await import('./worker.js')).runWorker(args, help);
}

async function batchCommand(args: string[]): Promise<number> {
  // --help and a malformed command line are answered before the runner is loaded (runBatch checks the rest).
  if (parse(args, BATCH_OPTIONS, BATCH_USAGE, 'batch').values.help) return help(BATCH_USAGE);
  // batch converts in worker threads or through a service: no OCR engine runs on this thread.
  return (await import('./batch.js')).runBatch(args);
}

function help(usage: string): number {
  process.stdout.write(usage + '\n');
  return 0;
}

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; usage?: string }> = {
  convert: { run: convertCommand, usage: CONVERT_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  worker: { run: workerCommand, usage: WORKER_USAGE },
  batch: { run: batchCommand, usage: BATCH_USAGE },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    if (command === '--help' || command === '-h') return help(USAGE);
    if (command === 'help') {
      const usage = rest[0] === undefined ? USAGE : COMMANDS[rest[0]]?.usage;
      if (!usage) throw new UsageError(`unknown command '${rest[0]}'`, USAGE);
      return help(usage);
    }
    const cmd = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!cmd) throw new UsageError(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`, USAGE);
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(usageText(err));
      return 2;
    }
    if (err instanceof ConvertError) {
      process.stderr.write(`xxgk-convert: ${err.message} (${err.code})\n`);
      return 1;
    }
    if (err instanceof StartError) {
      process.stderr.write(`xxgk-convert ${command}: ${err.message}\n`);
      return 1;
    }
    // A bug, not a user's mistake: still one line; NODE_DEBUG=xxgk prints where it happened.
    process.stderr.write(`xxgk-convert: unexpected error: ${(err as Error)?.message ?? String(err)} (NODE_DEBUG=xxgk shows where)\n`);
    debug('%s', (err as Error)?.stack ?? err);
    return 1;
  }
}

// Output piped into a command that stops reading (`| head`) ends the process quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
/** The `xxgk-convert` command: convert one file, or serve the HTTP API. */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConvertError } from '../intake/errors.js';
import { limitsFromEnv } from '../intake/limits.js';
import { convert } from '../pipeline.js';
import { createService } from '../service/app.js';
import { configFromEnv } from '../service/config.js';

const USAGE = `Usage:
  xxgk-convert convert <file> [--out result.json]   convert one report, print (or write) the JSON model
  xxgk-convert serve                                start the HTTP service on HOST:PORT (default 127.0.0.1:8080)
  xxgk-convert batch <input-dir> --out <dir> [--server URL] [--api-key KEY] [--concurrency N]
                     [--timeout SECONDS] [--formats json,csv,xlsx] [--threshold 0.9] [--retry-failed]
                                                    convert a folder into one JSON per file and a dataset

Configuration is by environment variables; see the README.`;

async function convertCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', short: 'o' } } });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = positionals[0];
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new ConvertError('FILE_UNREADABLE', 2, `Cannot read ${file}: ${err.code ?? err.message}`);
  });
  const report = await convert(bytes, { filename: basename(file), limits: limitsFromEnv() });
  const json = JSON.stringify(report, null, 2) + '\n';
  if (values.out) await writeFile(values.out, json);
  else process.stdout.write(json);
  return 0;
}

/** Serves until SIGTERM/SIGINT: then stops taking work, lets running jobs finish (or re-queues them), closes. */
async function serveCommand(): Promise<number> {
  const config = configFromEnv();
  const { app, ctx } = createService(config);
  const server = app.listen(config.port, config.host, () => {
    ctx.log.info({ msg: 'listening', url: `http://${config.host}:${config.port}`, dataDir: config.dataDir, workers: config.workers });
  });
  server.requestTimeout = 10 * 60_000;
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      ctx.log.info({ msg: 'shutting down', signal, graceMs: config.shutdownGraceMs });
      server.close();
      void ctx.close().then(() => resolve(0));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

/** OCR engines (worker threads) would keep a finished command alive a few seconds. */
async function closeOcr(): Promise<void> {
  await (await import('../extract/ocr/pool.js')).closeOcrPool();
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'convert') return await convertCommand(rest).finally(closeOcr);
    if (command === 'serve') return await serveCommand();
    // batch converts in worker threads or through a service: no OCR engine runs on this thread.
    if (command === 'batch') return await (await import('../batch/command.js')).runBatch(rest);
    console.error(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  } catch (err) {
    if (err instanceof ConvertError) {
      console.error(`xxgk-convert: ${err.message} (${err.code})`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));

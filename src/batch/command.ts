/** `xxgk-convert batch <input-dir> --out <dir> …`: argument parsing and exit codes around runBatchJob. */
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProgressSink } from './progress.js';
import { RemoteClient } from './remote.js';
import { FORMATS, runBatchJob, type BatchResult, type Format } from './runner.js';

export const BATCH_USAGE = `Usage: xxgk-convert batch <input-dir> --out <dir> [options]

  Converts every report under <input-dir> (recursively) into <out>: one JSON per file mirroring the
  folders (a/b/report.pdf → <out>/a/b/report.pdf.json), dataset.csv, dataset.xlsx, low-confidence.csv
  and failures.csv. Run it again to convert only what is new or changed.

Options:
  --out, -o <dir>        output folder (required; may not be <input-dir> itself)
  --server <URL>         convert through a running xxgk-convert service instead of locally
  --api-key <KEY>        sent as "Authorization: Bearer <KEY>" with --server
  --concurrency, -j <N>  files converted at once (default 2), each in its own worker thread
  --timeout <seconds>    stop a local conversion that runs longer, listed as TIMEOUT (default 3600)
  --formats <list>       any of json,csv,xlsx (default all; the per-file JSONs are always written)
  --threshold <0..1>     cells under this confidence go to low-confidence.csv (default 0.9)
  --retry-failed         convert again files that failed in an earlier run because of their content
  --help, -h             show this help

Exit code: 0 all converted, 1 some file failed or is unsupported (see failures.csv), 2 usage error.`;

export interface BatchIO {
  /** Progress and messages (default process.stderr). */
  stderr?: ProgressSink;
  /** Where --help goes (default process.stdout). */
  stdout?: ProgressSink;
  /** Receives the run's counts (tests, embedding). */
  onResult?: (result: BatchResult) => void;
}

/** One line saying what is wrong, the usage line, where the options are; exit 2. */
function usageError(io: ProgressSink, message: string): number {
  io.write(`xxgk-convert batch: ${message}\n${BATCH_USAGE.split('\n')[0]}\nRun 'xxgk-convert batch --help' for its options.\n`);
  return 2;
}

/** parseArgs' message for an unknown option goes on about positionals and '--'; the option is what matters. */
function parseMessage(e: Error & { code?: string }): string {
  const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /Unknown option '([^']*)'/.exec(e.message);
  return unknown ? `unknown option '${unknown[1]}'` : e.message.split('\n')[0];
}

export async function runBatch(argv: string[], io: BatchIO = {}): Promise<number> {
  const err = io.stderr ?? process.stderr;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        server: { type: 'string' },
        'api-key': { type: 'string' },
        concurrency: { type: 'string', short: 'j' },
        timeout: { type: 'string' },
        formats: { type: 'string' },
        threshold: { type: 'string' },
        'retry-failed': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usageError(err, parseMessage(e as Error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    (io.stdout ?? process.stdout).write(BATCH_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) return usageError(err, positionals.length ? 'give exactly one input folder' : 'the input folder is missing');
  if (!values.out) return usageError(err, '--out <dir> is required');
  const input = resolve(positionals[0]);
  const out = resolve(values.out);
  const st = await stat(input).catch(() => null);
  if (!st?.isDirectory()) return usageError(err, `${positionals[0]} is not a folder`);
  if (relative(input, out) === '') return usageError(err, '--out must be another folder than the input (it may be inside it)');

  const concurrency = values.concurrency === undefined ? 2 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return usageError(err, `--concurrency must be a whole number from 1 to 64, got "${values.concurrency}"`);
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds >= 1 && timeoutSeconds <= 86_400)) return usageError(err, `--timeout must be from 1 to 86400 seconds, got "${values.timeout}"`);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) return usageError(err, `--threshold must be in (0, 1], got "${values.threshold}"`);
  let formats: Format[] | undefined;
  if (values.formats !== undefined) {
    const list = values.formats.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
    const bad = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
    if (!list.length || bad.length) return usageError(err, `--formats takes a list of ${FORMATS.join(', ')}; got "${values.formats}"`);
    formats = list as Format[];
  }
  let server: string | undefined;
  if (values.server !== undefined) {
    try {
      const u = new URL(values.server);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      server = values.server.replace(/\/+$/, '');
    } catch {
      return usageError(err, `--server must be an http(s) URL, got "${values.server}"`);
    }
  } else if (values['api-key'] !== undefined) {
    return usageError(err, '--api-key only makes sense with --server');
  }

  if (server) {
    const why = await new RemoteClient({ server, apiKey: values['api-key'] }).preflight();
    if (why) {
      err.write(`xxgk-convert batch: ${server}: ${why}; nothing was converted.\n`);
      return 2;
    }
  }

  try {
    const result = await runBatchJob({
      input,
      out,
      server,
      apiKey: values['api-key'],
      concurrency,
      timeoutSeconds,
      formats,
      threshold,
      retryFailed: values['retry-failed'] ?? false,
      progress: err,
    });
    io.onResult?.(result);
    return result.failed > 0 ? 1 : 0;
  } catch (e) {
    const x = e as NodeJS.ErrnoException;
    err.write(`xxgk-convert batch: ${x.code ? `${x.code}: ` : ''}${x.message ?? String(e)}\n`);
    return 1;
  }
}

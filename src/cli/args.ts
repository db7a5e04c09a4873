/**
 * Command-line argument handling shared by every `xxgk-convert` command (src/cli/main.ts and
 * src/cli/batch.ts, src/cli/worker.ts): parsing, the usage and start errors and how a usage error is printed,
 * and the batch and worker usage texts.
 * Kept light: `batch --help` and a batch usage error load this file, not the batch runner.
 */
import { parseArgs } from 'node:util';

/** A wrong command line: one line saying what is wrong, then the command's usage line; exit 2. */
export class UsageError extends Error {
  constructor(message: string, public usage: string, public command?: string) {
    super(message);
  }
}

/** The command cannot start (port in use, bad configuration): one line, exit 1. */
export class StartError extends Error {}

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** parseArgs with `--help` and strict options; its errors become one-line usage errors. */
export function parse<O extends Options>(args: string[], options: O, usage: string, command: string) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    // Node's own message for an unknown option goes on about positionals and '--'; the option is what matters.
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /Unknown option '([^']*)'/.exec(e.message);
    throw new UsageError(unknown ? `unknown option '${unknown[1]}'` : e.message.split('\n')[0], usage, command);
  }
}

/** What a usage error prints: what is wrong, the usage line, where the options are. */
export function usageText(err: UsageError): string {
  const where = err.command ? `xxgk-convert ${err.command}` : 'xxgk-convert';
  const more = err.command ? `Run 'xxgk-convert ${err.command} --help' for its options.` : `Run 'xxgk-convert --help' for the commands.`;
  return `${where}: ${err.message}\n${err.usage.split('\n')[0]}\n${more}\n`;
}

export const BATCH_OPTIONS = {
  out: { type: 'string', short: 'o' },
  server: { type: 'string' },
  'api-key': { type: 'string' },
  concurrency: { type: 'string', short: 'j' },
  timeout: { type: 'string' },
  formats: { type: 'string' },
  threshold: { type: 'string' },
  'retry-failed': { type: 'boolean' },
  'refresh-corrected': { type: 'boolean' },
  'ignore-permanent-failures': { type: 'boolean' },
} as const;

export const BATCH_USAGE = `Usage: xxgk-convert batch <input-dir> --out <dir> [options]

  Converts every report under <input-dir> (recursively) into <out>: one JSON per file mirroring the
  folders (a/b/report.pdf → <out>/a/b/report.pdf.json), dataset.csv, dataset.xlsx, cells.csv,
  codebook.csv, low-confidence.csv, series-checks.csv and failures.csv. Run it again to convert only
  what is new or changed. Ctrl-C stops after the files in flight (twice: at once) and writes the dataset.

Options:
  --out, -o <dir>        output folder (required; may not be <input-dir> itself)
  --server <URL>         convert through a running xxgk-convert service instead of locally
  --api-key <KEY>        sent as "Authorization: Bearer <KEY>" with --server
  --concurrency, -j <N>  files converted at once, each in its own worker thread (default 2, at most 64);
                         with --server, files in flight (default 8, at most 1024)
  --timeout <seconds>    stop a local conversion that runs longer, listed as TIMEOUT (default 3600)
  --formats <list>       any of json,csv,xlsx (default all; the per-file JSONs are always written)
  --threshold <0..1>     cells under this confidence go to low-confidence.csv (default 0.9)
  --retry-failed         convert again files that failed in an earlier run because of their content
  --refresh-corrected    with --server: fetch the corrections reviewers saved there into the dataset
  --ignore-permanent-failures
                         files that are not reports or of an unsupported type do not make the exit code 1
  --help, -h             show this help

Exit code: 0 all converted, 1 some file failed, is unsupported or is not a report (see failures.csv),
2 usage error, 130 interrupted (Ctrl-C).`;

export const WORKER_OPTIONS = {
  ocr: { type: 'boolean' },
  'no-ocr': { type: 'boolean' },
  concurrency: { type: 'string', short: 'j' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
} as const;

export const WORKER_USAGE = `Usage: xxgk-convert worker [--ocr | --no-ocr] [--concurrency <N>] [--port <N>]

  Runs conversion jobs from the queue in PostgreSQL (XXGK_DATABASE_URL, which it needs) in worker
  threads, until SIGTERM or SIGINT; it serves no API. Start any number, on any host, beside any number
  of \`serve\` processes on the same database. The other settings are the service's environment variables.

Options:
  --ocr                  take scans too (the OCR lane); the default where the OCR engines load
  --no-ocr               take only born-digital documents (text, HTML, Word, PDF with a text layer)
  --concurrency, -j <N>  conversion worker threads (default: $XXGK_WORKERS, else the number of cores)
  --port, -p <N>         answer /healthz, /readyz and /metrics on this port, for probes (default: none)
  --host <address>       address for --port (default: $HOST, else 127.0.0.1)
  --help, -h             show this help

Exit code: 0 after a clean shutdown, 1 it cannot start (no XXGK_DATABASE_URL, port in use), 2 usage error.`;

/** `xxgk-convert batch <input-dir> --out <dir> …`: argument parsing and exit codes around runBatchJob. */
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { BATCH_OPTIONS, BATCH_USAGE, parse, UsageError, usageText } from './args.js';
import type { ProgressSink } from '../batch/progress.js';
import { RemoteClient } from '../batch/remote.js';
import { FORMATS, KNOWN_PERMANENT_CODES, runBatchJob, type BatchResult, type Format } from '../batch/runner.js';

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
  io.write(usageText(new UsageError(message, BATCH_USAGE, 'batch')));
  return 2;
}

export async function runBatch(argv: string[], io: BatchIO = {}): Promise<number> {
  const err = io.stderr ?? process.stderr;
  let parsed;
  try {
    parsed = parse(argv, BATCH_OPTIONS, BATCH_USAGE, 'batch');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(usageText(e));
    return 2;
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

  // Locally each file in flight is a worker thread; through a service it is only a request, and a cluster
  // stays busy with about twice its conversion threads in flight.
  const maxConcurrency = values.server === undefined ? 64 : 1024;
  const concurrency = values.concurrency === undefined ? (values.server === undefined ? 2 : 8) : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxConcurrency) {
    return usageError(err, `--concurrency must be a whole number from 1 to ${maxConcurrency}${values.server === undefined ? ' (1024 with --server)' : ''}, got "${values.concurrency}"`);
  }
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
  } else if (values['refresh-corrected']) {
    return usageError(err, '--refresh-corrected fetches corrections from a service: give its --server URL');
  }

  if (server) {
    const why = await new RemoteClient({ server, apiKey: values['api-key'] }).preflight();
    if (why) {
      err.write(`xxgk-convert batch: ${server}: ${why}; nothing was converted.\n`);
      return 2;
    }
  }

  // The first Ctrl-C lets the files in flight finish, the second abandons them; both write the dataset.
  const stop = new AbortController();
  const abandon = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      err.write('\nxxgk-convert batch: interrupted: finishing the files in flight, then writing the dataset (Ctrl-C again to abandon them)\n');
      stop.abort();
    } else if (!abandon.signal.aborted) {
      err.write('\nxxgk-convert batch: abandoning the files in flight; writing the dataset\n');
      abandon.abort();
    }
  };
  process.on('SIGINT', onSigint);
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
      refreshCorrected: values['refresh-corrected'] ?? false,
      progress: err,
      stop: stop.signal,
      abandon: abandon.signal,
    });
    io.onResult?.(result);
    if (result.interrupted) return 130;
    const ignored = values['ignore-permanent-failures'] ? KNOWN_PERMANENT_CODES : new Set<string>();
    return result.failures.some((f) => !ignored.has(f.code)) ? 1 : 0;
  } catch (e) {
    const x = e as NodeJS.ErrnoException;
    err.write(`xxgk-convert batch: ${x.code ? `${x.code}: ` : ''}${x.message ?? String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

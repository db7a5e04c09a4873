/**
 * `xxgk-convert worker`: pulls jobs from the PostgreSQL queue and converts them on this process's
 * worker threads, with no API (service/probes.ts answers the probes on --port). Scans go only to
 * workers that take the OCR lane. SIGTERM/SIGINT: running jobs get XXGK_SHUTDOWN_GRACE_SECONDS to
 * finish, the rest are handed back to the queue for another worker.
 */
import { createServer } from 'node:http';
import { parse, StartError, UsageError, WORKER_OPTIONS, WORKER_USAGE } from './args.js';
import { boundPort, checkPort, hostPort, listen } from './listen.js';

/** The OCR engines load here (onnxruntime-node's binary for this system is present). */
async function ocrLoads(): Promise<boolean> {
  return import('onnxruntime-node').then(() => true, () => false);
}

export async function runWorker(args: string[], help: (usage: string) => number): Promise<number> {
  const { values, positionals } = parse(args, WORKER_OPTIONS, WORKER_USAGE, 'worker');
  if (values.help) return help(WORKER_USAGE);
  const usage = (message: string) => new UsageError(message, WORKER_USAGE, 'worker');
  if (positionals.length) throw usage(`worker takes no arguments, got '${positionals[0]}'`);
  if (values.ocr && values['no-ocr']) throw usage('give --ocr or --no-ocr, not both');
  if (values.concurrency !== undefined && !/^[1-9]\d{0,3}$/.test(values.concurrency)) throw usage(`--concurrency must be a number of threads from 1, got '${values.concurrency}'`);
  if (values.port !== undefined) checkPort(values.port, WORKER_USAGE, 'worker');
  if (values.host !== undefined && !values.host.trim()) throw usage('--host must not be empty');

  const { configFromEnv } = await import('../service/config.js');
  let config;
  try {
    config = configFromEnv({ ...process.env, ...(values.concurrency !== undefined && { XXGK_WORKERS: values.concurrency }), ...(values.host !== undefined && { HOST: values.host }) }, 'worker');
  } catch (err) {
    throw usage((err as Error).message);
  }
  if (!config.databaseUrl) {
    throw new StartError('a worker takes its jobs from PostgreSQL: set XXGK_DATABASE_URL=postgres://… (the database the serve processes use). Without it, `serve` runs the jobs itself.');
  }
  if (!config.workers) throw usage('a worker needs at least one conversion thread (XXGK_WORKERS or --concurrency)');
  // A --no-ocr worker does not load the engines to find out (their native module is large).
  const ocr = values['no-ocr'] ? false : await ocrLoads();
  if (values.ocr && !ocr) throw new StartError('--ocr: the OCR engines do not load here (onnxruntime-node is missing for this system); run with --no-ocr.');
  if (!ocr) config = { ...config, ocrWorkers: 0 };

  // As with serve, /healthz answers from the moment the port is bound; the other probes wait for the worker.
  const { startGate } = await import('../service/health.js');
  const gate = startGate();
  const server = values.port === undefined ? null : createServer(gate.handle);
  if (server) await listen(server, config.host, Number(values.port));
  const [{ createContext }, { serviceLogger }, { probeHandler }] = await Promise.all([
    import('../service/context.js'), import('../service/logger.js'), import('../service/probes.js'),
  ]);
  const log = serviceLogger(config);
  let ctx;
  try {
    ctx = createContext(config, log);
  } catch (err) {
    gate.fail();
    server?.close();
    throw new StartError((err as Error).message);
  }
  gate.open(probeHandler(ctx));
  ctx.queue.startWorkers();
  log.info({
    msg: 'worker started', threads: config.workers, ocr, ocrThreads: config.ocrWorkers,
    ...(server && { probes: `http://${hostPort(config.host, boundPort(server, 0))}` }),
  });
  const running = ctx;
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ msg: 'shutting down', signal, graceMs: config.shutdownGraceMs });
      void running.close().then(() => {
        server?.close();
        resolve(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

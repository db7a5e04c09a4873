/** Everything the routes share: configuration, the store (whichever runs), the queue, metrics. */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { JobQueue, QueueConfig } from '../jobs/queue.js';
import { PgBossQueue } from '../jobs/pg-boss-queue.js';
import { EmbeddedQueue } from '../jobs/embedded-queue.js';
import type { Lane } from '../store/store.js';
import type { Report } from '../model/report.js';
import { openStore } from '../store/open.js';
import type { CorrectionStore, JobStore, ResultStore, Store, StoredResult, UploadStore } from '../store/store.js';
import { withCorrections } from '../check/fields.js';
import type { ServiceConfig } from './config.js';
import { createMetrics, type Metrics } from './metrics.js';
import { startWebhooks } from './webhooks.js';
import { visibleOwner, type Principal } from './auth.js';
import { errorBody } from './errors.js';

export interface ServiceContext {
  config: ServiceConfig;
  store: Store;
  files: UploadStore;
  jobs: JobStore;
  results: ResultStore;
  corrections: CorrectionStore;
  queue: JobQueue;
  metrics: Metrics;
  log: Logger;
  /** A stored result as served: the model with its saved corrections (cells and report fields) applied. */
  reportOf(resultId: string, stored?: StoredResult): Promise<Report>;
  /** The stored result if the principal may see it; otherwise answers 404 and returns null. */
  visibleResult(req: Request, res: Response): Promise<StoredResult | null>;
  close(): Promise<void>;
}

export function createContext(config: ServiceConfig, log: Logger): ServiceContext {
  if (config.callbackHosts.length && !config.callbackSecret) {
    throw new Error('XXGK_CALLBACK_HOSTS is set but XXGK_CALLBACK_SECRET is not: webhooks must be signed.');
  }
  const store = openStore(config);
  const { files, jobs, results, corrections } = store;
  const queueConfig: QueueConfig = {
    workers: config.workers, ocrWorkers: config.workers ? config.ocrWorkers : 0, queueLimit: config.queueLimit,
    timeoutMs: config.jobTimeoutMs, limits: config.limits, reviewThreshold: config.reviewThreshold,
  };
  // The lanes this process pulls in PostgreSQL mode: none with no workers, the OCR one only with OCR workers.
  const lanes: Lane[] = !config.workers ? [] : queueConfig.ocrWorkers ? ['main', 'ocr'] : ['main'];
  // A PostgreSQL store is opened from the database URL (open.ts): the queue uses the same database.
  const queue = store.kind === 'postgres'
    ? new PgBossQueue(store.jobs, files, { ...queueConfig, databaseUrl: config.databaseUrl!, lanes, onError: (err) => log.warn({ msg: 'job queue', error: err.message }) })
    : new EmbeddedQueue(store.jobs, files, queueConfig);
  const metrics = createMetrics(queue, jobs, config.role);
  queue.on('finished', (job, report) => {
    if (job.finished) metrics.jobSeconds.observe({ lane: job.lane, status: job.status }, (Date.parse(job.finished) - Date.parse(job.created)) / 1000);
    if (!report) return;
    metrics.pagesConverted.inc(report.source.pages);
    metrics.ocrSeconds.inc(report.timings.ocrMs / 1000);
  });
  const stopWebhooks = startWebhooks(store.deliveries, queue, config, (m) => log.info(m));
  const recovering = queue.recover().then(
    (recovered) => { if (recovered.queued) log.info({ msg: 'jobs recovered after restart', ...recovered }); },
    (err: Error) => log.error({ msg: 'jobs could not be recovered after restart', error: err.message }),
  );
  return {
    config, store, files, jobs, results, corrections, queue, metrics, log,
    async reportOf(resultId, stored) {
      const report = (stored ?? (await results.get(resultId))!).report;
      const saved = await corrections.list(resultId);
      return saved.length ? withCorrections(report, saved, config.reviewThreshold) : report;
    },
    async visibleResult(req, res) {
      const stored = await results.get(String(req.params.id));
      const owner = visibleOwner(config, res.locals.principal as Principal);
      if (stored && (owner === null || stored.owner === owner)) return stored;
      res.status(404).json(errorBody('RESULT_NOT_FOUND', `No result ${req.params.id}.`));
      return null;
    },
    async close() {
      await recovering;
      // Webhooks stop after the queue: the deliveries of jobs that end in the grace period go out too.
      await queue.stop(config.shutdownGraceMs);
      await stopWebhooks();
      await store.close();
    },
  };
}

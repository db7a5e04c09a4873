/** Everything the routes share: configuration, the database, the file store, the queue, metrics. */
import { join } from 'node:path';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { JobQueue } from '../jobs/queue.js';
import type { Report } from '../model/report.js';
import { openDatabase, type DB } from '../store/db.js';
import { FileStore } from '../store/files.js';
import { JobStore } from '../store/jobs.js';
import { ResultStore, type StoredResult } from '../store/results.js';
import { CorrectionStore } from '../store/corrections.js';
import { applyCorrections } from '../check/index.js';
import type { ServiceConfig } from './config.js';
import { createMetrics, type Metrics } from './metrics.js';
import { startWebhooks } from './webhooks.js';
import { visibleOwner, type Principal } from './auth.js';
import { errorBody } from './errors.js';

export interface ServiceContext {
  config: ServiceConfig;
  db: DB;
  files: FileStore;
  jobs: JobStore;
  results: ResultStore;
  corrections: CorrectionStore;
  queue: JobQueue;
  metrics: Metrics;
  log: Logger;
  /** A stored result as served: the model with its saved corrections applied. */
  reportOf(resultId: string, stored?: StoredResult): Report;
  /** The stored result if the principal may see it; otherwise answers 404 and returns null. */
  visibleResult(req: Request, res: Response): StoredResult | null;
  close(): Promise<void>;
}

export function createContext(config: ServiceConfig, log: Logger): ServiceContext {
  if (config.callbackHosts.length && !config.callbackSecret) {
    throw new Error('XXGK_CALLBACK_HOSTS is set but XXGK_CALLBACK_SECRET is not: webhooks must be signed.');
  }
  const db = openDatabase(config.dataDir);
  const files = new FileStore(join(config.dataDir, 'files'));
  const jobs = new JobStore(db);
  const results = new ResultStore(db);
  const corrections = new CorrectionStore(db);
  const queue = new JobQueue(jobs, results, files, {
    workers: config.workers, ocrWorkers: config.ocrWorkers, queueLimit: config.queueLimit,
    timeoutMs: config.jobTimeoutMs, limits: config.limits, reviewThreshold: config.reviewThreshold,
  });
  const metrics = createMetrics(queue, jobs);
  queue.on('finished', (_job, report) => {
    if (!report) return;
    metrics.pagesConverted.inc(report.source.pages);
    metrics.ocrSeconds.inc(report.timings.ocrMs / 1000);
  });
  const stopWebhooks = startWebhooks(queue, config, (m) => log.info(m));
  const recovered = queue.recover();
  if (recovered.queued) log.info({ msg: 'jobs recovered after restart', ...recovered });
  return {
    config, db, files, jobs, results, corrections, queue, metrics, log,
    reportOf(resultId, stored = results.get(resultId)!) {
      const changes = corrections.list(resultId).map((c) => ({ key: c.key, value: c.newValue }));
      if (!changes.length) return stored.report;
      return applyCorrections(stored.report, changes, config.reviewThreshold);
    },
    visibleResult(req, res) {
      const stored = results.get(String(req.params.id));
      const owner = visibleOwner(config, res.locals.principal as Principal);
      if (stored && (owner === null || stored.owner === owner)) return stored;
      res.status(404).json(errorBody('RESULT_NOT_FOUND', `No result ${req.params.id}.`));
      return null;
    },
    async close() {
      stopWebhooks();
      await queue.stop(config.shutdownGraceMs);
      db.close();
    },
  };
}

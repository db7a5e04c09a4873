/** Prometheus metrics: requests, latency, queue depth, jobs by state, OCR seconds, pages converted. */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../jobs/queue.js';
import type { JobStore } from '../store/store.js';
import type { Role } from './config.js';

export interface Metrics {
  registry: Registry;
  middleware: RequestHandler;
  pagesConverted: Counter;
  ocrSeconds: Counter;
  /** From a job's submission to its end, for the jobs that ended in this process. */
  jobSeconds: Histogram<'lane' | 'status'>;
}

/** Every series carries the process's role (`serve` or `worker`): in a cluster each process is scraped on its own. */
export function createMetrics(queue: JobQueue, jobs: JobStore, role: Role): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry, prefix: 'xxgk_process_' });
  const requests = new Counter({ name: 'xxgk_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'xxgk_http_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry],
  });
  new Gauge({
    name: 'xxgk_queue_depth', help: 'Jobs waiting for a worker, by lane', labelNames: ['lane'], registers: [registry],
    // In PostgreSQL mode, pg-boss's count for the whole cluster; NaN while the database does not answer.
    async collect() {
      for (const lane of ['main', 'ocr'] as const) this.set({ lane }, await queue.depth(lane).catch(() => NaN));
    },
  });
  new Gauge({
    name: 'xxgk_jobs', help: 'Jobs by state', labelNames: ['state'], registers: [registry],
    async collect() { for (const [state, n] of Object.entries(await jobs.countsByStatus().catch(() => ({})))) this.set({ state }, n); },
  });
  const jobSeconds = new Histogram({
    name: 'xxgk_job_duration_seconds', help: 'Jobs from submission to end, by lane and how they ended', labelNames: ['lane', 'status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600], registers: [registry],
  });
  const pagesConverted = new Counter({ name: 'xxgk_pages_converted_total', help: 'Pages converted', registers: [registry] });
  const ocrSeconds = new Counter({ name: 'xxgk_ocr_seconds_total', help: 'Seconds spent in OCR', registers: [registry] });
  const middleware: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL, keeps the label set small.
      const route = (req.route?.path as string | undefined) ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
  return { registry, middleware, pagesConverted, ocrSeconds, jobSeconds };
}

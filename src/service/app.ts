/** The HTTP service: a thin shell over the pipeline, the job queue and the store. */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { PAGE_SCALE_HEADER } from '../api/wire.js';
import { authenticate } from './auth.js';
import type { ServiceConfig } from './config.js';
import { createContext, type ServiceContext } from './context.js';
import { errorHandler, notFound } from './errors.js';
import { jobsRouter } from './routes/jobs.js';
import { healthRouter, metaRouter } from './routes/meta.js';
import { resultsRouter } from './routes/results.js';
import { correctionsRouter } from './routes/corrections.js';
import { pagesRouter } from './routes/pages.js';
import { redactRequest } from './redact.js';
import { serviceLogger } from './logger.js';
import { bodyDeadline } from './upload.js';

/** The built front end (vite build): dist/web, beside dist/service when built, from the repo when run from source. */
const webRoot = join(dirname(fileURLToPath(import.meta.url)), import.meta.url.endsWith('.ts') ? '../../dist/web' : '../web');

export interface Service {
  app: express.Express;
  ctx: ServiceContext;
}

export function createService(config: ServiceConfig, log: Logger = serviceLogger(config)): Service {
  const ctx = createContext(config, log);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(pinoHttp({
    logger: log,
    // No credential reaches a log line: Authorization and the like, key=/token= query parameters.
    serializers: { req: redactRequest },
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  }));
  app.use(helmet({
    // No upgrade-insecure-requests: on plain http it would send the page's own requests to https.
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], styleSrc: ["'self'", "'unsafe-inline'"], upgradeInsecureRequests: null } },
  }));
  if (config.corsOrigins.length) app.use(cors({ origin: config.corsOrigins, exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', PAGE_SCALE_HEADER] }));
  app.use(ctx.metrics.middleware);
  app.use(bodyDeadline(config.clientTimeoutMs));
  app.use(healthRouter());
  // The correction UI loads without a key; its API calls carry one.
  app.use(express.static(webRoot, { index: 'index.html' }));
  app.use(authenticate(config));
  app.use(metaRouter(ctx));
  app.use(jobsRouter(ctx));
  app.use(resultsRouter(ctx));
  app.use(correctionsRouter(ctx));
  app.use(pagesRouter(ctx));
  app.use(notFound);
  app.use(errorHandler(config.limits.maxBytes, (err) => log.error({ err }, 'unexpected error')));
  // The worker threads start once the service is built and its first requests answered (serve opens
  // its gate right after this returns), not while it loads: they would compete with it for the cores.
  setImmediate(() => {
    ctx.queue.startWorkers();
    ctx.queue.startPageRenderer();
  });
  return { app, ctx };
}

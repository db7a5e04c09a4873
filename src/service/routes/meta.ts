/** Health, readiness, metrics, the schema and the OpenAPI document. */
import { Router } from 'express';
import { reportSchema } from '../../model/schema.js';
import type { ServiceContext } from '../context.js';
import { errorBody } from '../errors.js';
import { ALIVE, HEALTHZ } from '../health.js';
import { openapi } from '../openapi.js';

/** /healthz stays open (liveness probes carry no key); the rest sit behind authentication. */
export function healthRouter(): Router {
  const router = Router();
  router.get(HEALTHZ, (_req, res) => { res.json(ALIVE); });
  return router;
}

export function metaRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/readyz', async (_req, res) => {
    try {
      await ctx.store.ping();
    } catch (err) {
      res.status(503).json(errorBody('NOT_READY', `The database is not available: ${(err as Error).message}`));
      return;
    }
    res.json({ status: 'ready', queue: { waiting: await ctx.queue.depth().catch(() => null), running: ctx.queue.runningCount } });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  router.get('/v1/schema', (_req, res) => { res.type('application/schema+json').send(JSON.stringify(reportSchema)); });
  router.get('/openapi.json', (_req, res) => { res.json(openapi); });
  return router;
}

/** Health, readiness, metrics, the schema and the OpenAPI document. */
import { Router } from 'express';
import { reportSchema } from '../../model/schema.js';
import type { ServiceContext } from '../context.js';
import { ALIVE, HEALTHZ, readiness } from '../health.js';
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
    const { status, body } = await readiness(ctx);
    res.status(status).json(body);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  router.get('/v1/schema', (_req, res) => { res.type('application/schema+json').send(JSON.stringify(reportSchema)); });
  router.get('/openapi.json', (_req, res) => { res.json(openapi); });
  return router;
}

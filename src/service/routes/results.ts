/** Stored results: the list for the correction UI, and one result as served. */
import { Router, type Response } from 'express';
import type { ResultList } from '../../api/wire.js';
import { visibleOwner, type Principal } from '../auth.js';
import type { ServiceContext } from '../context.js';

export function resultsRouter(ctx: ServiceContext): Router {
  const router = Router();
  const owner = (res: Response) => visibleOwner(ctx.config, res.locals.principal as Principal);

  router.get('/v1/results', async (_req, res) => {
    const body: ResultList = { results: await ctx.results.list(owner(res)) };
    res.json(body);
  });

  router.get('/v1/results/:id', async (req, res) => {
    const stored = await ctx.visibleResult(req, res);
    if (stored) res.json(await ctx.reportOf(String(req.params.id), stored));
  });

  return router;
}

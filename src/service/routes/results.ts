/** Stored results: the list for the correction UI, and one result as served. */
import { Router, type Response } from 'express';
import { visibleOwner, type Principal } from '../auth.js';
import type { ServiceContext } from '../context.js';
import { errorBody } from '../errors.js';

export function resultsRouter(ctx: ServiceContext): Router {
  const router = Router();
  const owner = (res: Response) => visibleOwner(ctx.config, res.locals.principal as Principal);

  router.get('/v1/results', (_req, res) => {
    res.json({ results: ctx.results.list(owner(res)) });
  });

  router.get('/v1/results/:id', (req, res) => {
    const stored = ctx.results.get(String(req.params.id));
    const who = owner(res);
    if (!stored || (who !== null && stored.owner !== who)) {
      res.status(404).json(errorBody('RESULT_NOT_FOUND', `No result ${req.params.id}.`));
      return;
    }
    res.json(ctx.reportOf(String(req.params.id)));
  });

  return router;
}

/** Stored results: the list for the correction UI (paged, searched, filtered to those needing review), and one result as served. */
import { Router, type Response } from 'express';
import type { ResultList } from '../../api/wire.js';
import { ConvertError } from '../../intake/errors.js';
import { visibleOwner, type Principal } from '../auth.js';
import type { ServiceContext } from '../context.js';

/** Without `limit`, the list is as long as before paging came, so older clients see what they saw. */
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;
const MAX_SEARCH = 200;

const badQuery = (message: string) => new ConvertError('BAD_QUERY', 400, message);

export function resultsRouter(ctx: ServiceContext): Router {
  const router = Router();
  const owner = (res: Response) => visibleOwner(ctx.config, res.locals.principal as Principal);

  router.get('/v1/results', async (req, res) => {
    const { limit: rawLimit, cursor, needsReview, q } = req.query;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badQuery(`limit must be a whole number from 1 to ${MAX_LIMIT}; got ${JSON.stringify(rawLimit)}.`);
    if (cursor !== undefined && (typeof cursor !== 'string' || !cursor)) throw badQuery('cursor must be the nextCursor of the page before.');
    if (needsReview !== undefined && needsReview !== 'true' && needsReview !== 'false') throw badQuery(`needsReview must be true or false; got ${JSON.stringify(needsReview)}.`);
    if (q !== undefined && (typeof q !== 'string' || q.length > MAX_SEARCH)) throw badQuery(`q must be words to search for, at most ${MAX_SEARCH} characters.`);
    const words = typeof q === 'string' ? q.toLowerCase().split(/\s+/).filter(Boolean) : [];
    const who = owner(res);
    const page = await ctx.results.list(who, { limit, cursor: cursor as string | undefined, needsReview: needsReview === 'true', words });
    if (!page) throw badQuery(`cursor ${JSON.stringify(cursor)} is not a result in this list: start again without it.`);
    const body: ResultList = { ...page, counts: await ctx.results.counts(who) };
    res.json(body);
  });

  router.get('/v1/results/:id', async (req, res) => {
    const stored = await ctx.visibleResult(req, res);
    if (stored) res.json(await ctx.reportOf(String(req.params.id), stored));
  });

  return router;
}

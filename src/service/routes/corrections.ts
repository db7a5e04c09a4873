/**
 * Corrections of a stored result: PUT saves changes made against a version (409 when someone else
 * saved since), GET lists every change with who, when, old and new.
 */
import express, { Router, type Response } from 'express';
import type { CorrectionChange, CorrectionHistory, CorrectionsPut, CorrectionsSaved } from '../../api/wire.js';
import { applyCorrections } from '../../check/index.js';
import { ConvertError } from '../../intake/errors.js';
import type { CellState } from '../../model/report.js';
import type { Principal } from '../auth.js';
import type { ServiceContext } from '../context.js';
import { errorBody } from '../errors.js';

const MAX_CHANGES = 1000;

/** What a client sent, before it is checked. */
type Unchecked<T> = { [K in keyof T]?: unknown };

export function correctionsRouter(ctx: ServiceContext): Router {
  const router = Router();
  const principal = (res: Response) => res.locals.principal as Principal;

  router.get('/v1/results/:id/corrections', async (req, res) => {
    const s = await ctx.visibleResult(req, res);
    if (!s) return;
    const body: CorrectionHistory = { resultId: String(req.params.id), version: s.version, corrections: await ctx.corrections.list(String(req.params.id)) };
    res.json(body);
  });

  router.put('/v1/results/:id/corrections', express.json({ limit: '1mb' }), async (req, res) => {
    const s = await ctx.visibleResult(req, res);
    if (!s) return;
    const body = req.body as Unchecked<CorrectionsPut>;
    if (!Number.isInteger(body?.baseVersion)) throw new ConvertError('BAD_CORRECTION', 422, 'baseVersion (the version you loaded, from GET …/corrections) must be an integer.');
    if (!Array.isArray(body.changes) || body.changes.length === 0 || body.changes.length > MAX_CHANGES) {
      throw new ConvertError('BAD_CORRECTION', 422, `changes must be a list of 1 to ${MAX_CHANGES} { key, value } objects.`);
    }
    const current = await ctx.reportOf(String(req.params.id), s);
    const cells = new Map(current.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
    const seen = new Set<string>();
    const changes = (body.changes as Unchecked<CorrectionChange>[]).map((ch) => {
      const key = typeof ch?.key === 'string' ? ch.key : '';
      const cell = cells.get(key);
      if (!cell) throw new ConvertError('BAD_CORRECTION', 422, `No cell ${JSON.stringify(ch?.key)} in this result.`);
      if (cell.state === 'missing') throw new ConvertError('BAD_CORRECTION', 422, `${key} is not printed in the document (state missing); it cannot be corrected.`);
      if (seen.has(key)) throw new ConvertError('BAD_CORRECTION', 422, `${key} is changed twice in one save.`);
      seen.add(key);
      const value = ch.value;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new ConvertError('BAD_CORRECTION', 422, `The value for ${key} must be a number, or null for a blank cell; got ${JSON.stringify(value)}.`);
      }
      const newState: CellState = value === null ? 'blank' : 'number';
      return { key, oldValue: cell.value, newValue: value, oldState: cell.state, newState, who: principal(res).name };
    });
    const version = await ctx.corrections.save(String(req.params.id), body.baseVersion as number, changes);
    if (version === null) {
      const latest = (await ctx.corrections.list(String(req.params.id))).at(-1);
      const now = (await ctx.results.get(String(req.params.id)))!.version;
      res.status(409).json(errorBody('CONFLICT', `This result was saved by ${latest?.who ?? 'someone'} at ${latest?.at ?? 'an earlier time'} since you loaded version ${body.baseVersion}; reload it (now version ${now}) and apply your changes again.`));
      return;
    }
    const saved: CorrectionsSaved = {
      resultId: String(req.params.id), version, saved: changes.length,
      // The report as served before this save, with this save's changes: not read and re-checked from scratch.
      report: applyCorrections(current, changes.map((c) => ({ key: c.key, value: c.newValue })), ctx.config.reviewThreshold),
    };
    res.json(saved);
  });

  return router;
}

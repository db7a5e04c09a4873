/**
 * Corrections of a stored result: PUT saves changes made against a version (409 when someone else
 * saved since), GET lists every change with who, when, old and new. A change sets a cell's value or
 * a report field (agency, year, title).
 */
import express, { Router, type Response } from 'express';
import { isMetaKey, type CorrectionChange, type CorrectionHistory, type CorrectionsPut, type CorrectionsSaved, type CorrectionState } from '../../api/wire.js';
import { fieldOf, fieldValue, type FieldValue } from '../../check/field-values.js';
import { withCorrections } from '../../check/fields.js';
import { correctable } from '../../check/queue.js';
import { ConvertError } from '../../intake/errors.js';
import type { CellState } from '../../model/report.js';
import type { NewCorrection } from '../../store/store.js';
import type { Principal } from '../auth.js';
import type { ServiceContext } from '../context.js';
import { errorBody } from '../errors.js';

const MAX_CHANGES = 1000;
const MAX_REVIEWER = 60;

/** What a client sent, before it is checked. */
type Unchecked<T> = { [K in keyof T]?: unknown };

const bad = (message: string) => new ConvertError('BAD_CORRECTION', 422, message);

const fieldState = (v: FieldValue): CorrectionState => (v === null ? 'blank' : typeof v === 'number' ? 'number' : 'text');

export function correctionsRouter(ctx: ServiceContext): Router {
  const router = Router();
  const principal = (res: Response) => res.locals.principal as Principal;

  /** With API keys the key's name is recorded; without, the name the reviewer's browser sends, else the service's. */
  const who = (res: Response, reviewer: unknown): string => {
    if (ctx.config.apiKeys.length || reviewer === undefined || reviewer === null || reviewer === '') return principal(res).name;
    const name = typeof reviewer === 'string' ? reviewer.replace(/\s+/g, ' ').trim() : '';
    if (!name || name.length > MAX_REVIEWER || /[\u0000-\u001f]/.test(name)) throw bad(`reviewer must be a name of 1 to ${MAX_REVIEWER} characters; got ${JSON.stringify(reviewer)}.`);
    return name;
  };

  router.get('/v1/results/:id/corrections', async (req, res) => {
    const s = await ctx.visibleResult(req, res);
    if (!s) return;
    const body: CorrectionHistory = { resultId: String(req.params.id), version: s.version, corrections: await ctx.corrections.list(String(req.params.id)) };
    res.json(body);
  });

  router.put('/v1/results/:id/corrections', express.json({ limit: '1mb' }), async (req, res) => {
    const s = await ctx.visibleResult(req, res);
    if (!s) return;
    const id = String(req.params.id);
    const body = req.body as Unchecked<CorrectionsPut>;
    if (!Number.isInteger(body?.baseVersion)) throw bad('baseVersion (the version you loaded, from GET …/corrections) must be an integer.');
    if (!Array.isArray(body.changes) || body.changes.length === 0 || body.changes.length > MAX_CHANGES) {
      throw bad(`changes must be a list of 1 to ${MAX_CHANGES} { key, value } objects.`);
    }
    const name = who(res, body.reviewer);
    const current = await ctx.reportOf(id, s);
    const cells = new Map(current.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
    const seen = new Set<string>();
    const changes = (body.changes as Unchecked<CorrectionChange>[]).map((ch): NewCorrection => {
      const key = typeof ch?.key === 'string' ? ch.key : '';
      if (seen.has(key)) throw bad(`${key} is changed twice in one save.`);
      seen.add(key);
      if (isMetaKey(key)) {
        const v = fieldValue(key, ch.value);
        if ('error' in v) throw bad(v.error);
        const old = fieldOf(current, key);
        const text = (x: FieldValue) => (typeof x === 'string' ? x : null);
        const num = (x: FieldValue) => (typeof x === 'number' ? x : null);
        return { key, oldValue: num(old), newValue: num(v.value), oldText: text(old), newText: text(v.value), oldState: fieldState(old), newState: fieldState(v.value), who: name };
      }
      const cell = cells.get(key);
      if (!cell) throw bad(`No cell ${JSON.stringify(ch?.key)} in this result.`);
      if (!correctable(cell, current.warnings)) {
        throw bad(`${key} is not printed in the document (state missing); it cannot be corrected.`);
      }
      const value = ch.value;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw bad(`The value for ${key} must be a number, or null for a blank cell; got ${JSON.stringify(value)}.`);
      }
      const newState: CellState = value === null ? 'blank' : 'number';
      return { key, oldValue: cell.value, newValue: value, oldText: null, newText: null, oldState: cell.state, newState, who: name };
    });
    // The report as served before this save, with this save's changes: not read and re-checked from scratch.
    const report = withCorrections(current, changes, ctx.config.reviewThreshold);
    const version = await ctx.corrections.save(id, body.baseVersion as number, changes, report);
    if (version === null) {
      const latest = (await ctx.corrections.list(id)).at(-1);
      const now = (await ctx.results.get(id))!.version;
      res.status(409).json(errorBody('CONFLICT', `This result was saved by ${latest?.who ?? 'someone'} at ${latest?.at ?? 'an earlier time'} since you loaded version ${body.baseVersion}; reload it (now version ${now}) and apply your changes again.`));
      return;
    }
    const saved: CorrectionsSaved = { resultId: id, version, saved: changes.length, report };
    res.json(saved);
  });

  return router;
}

/** A stored result as the results routes serve it: its saved cell corrections (ctx.reportOf) and its corrected report fields. */
import { isMetaKey } from '../api/wire.js';
import { applyFieldCorrections, savedField } from '../check/fields.js';
import type { Report } from '../model/report.js';
import type { StoredResult } from '../store/store.js';
import type { ServiceContext } from './context.js';

export async function servedReport(ctx: ServiceContext, resultId: string, stored: StoredResult): Promise<Report> {
  const report = await ctx.reportOf(resultId, stored);
  const fields = (await ctx.corrections.list(resultId)).flatMap((c) => (isMetaKey(c.key) ? [{ key: c.key, value: savedField(c) }] : []));
  return fields.length ? applyFieldCorrections(report, fields) : report;
}

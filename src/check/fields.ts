/**
 * Report fields a reviewer corrects (agency, year, title): checked as the schema holds them, and applied
 * to a report as served. A corrected field is certain and says so (`manual`), as a corrected cell does;
 * the agency's grouping key and division follow a corrected agency.
 */
import { isMetaKey, type CorrectionEntry, type MetaKey } from '../api/wire.js';
import type { Report } from '../model/report.js';
import { agencyDivision, agencyKey } from '../reconstruct/agency.js';
import { applyCorrections } from './index.js';
import type { FieldValue } from './field-values.js';

/** The field value a saved correction set. */
export const savedField = (c: Pick<CorrectionEntry, 'newText' | 'newValue'>): FieldValue => c.newText ?? c.newValue;

/** Sets corrected fields on a report (in place), the later change of a field winning. */
export function applyFieldCorrections(report: Report, changes: { key: MetaKey; value: FieldValue }[]): Report {
  const r = report.report;
  for (const { key, value } of changes) {
    const field = { confidence: 1, evidence: { source: 'manual' as const, page: null, text: value === null ? '' : String(value) } };
    if (key === 'report.year') {
      r.year = typeof value === 'number' ? value : null;
      r.fields.year = { value: r.year, ...field };
    } else if (key === 'report.title') {
      r.title = typeof value === 'string' ? value : null;
      r.fields.title = { value: r.title, ...field };
    } else {
      r.agency = typeof value === 'string' ? value : null;
      r.fields.agency = { value: r.agency, ...field };
      r.agencyKey = r.agency ? agencyKey(r.agency) : null;
      r.division = r.agency ? agencyDivision(r.agency) : null;
    }
  }
  return report;
}

/**
 * A report with corrections applied, the saved ones or a save's: cells set and the checks run again, then
 * the report fields set. In place, as applyCorrections is.
 */
export function withCorrections(report: Report, entries: Pick<CorrectionEntry, 'key' | 'newValue' | 'newText'>[], threshold: number): Report {
  const cells = entries.flatMap((c) => (isMetaKey(c.key) ? [] : [{ key: c.key, value: c.newValue }]));
  const fields = entries.flatMap((c) => (isMetaKey(c.key) ? [{ key: c.key, value: savedField(c) }] : []));
  return applyFieldCorrections(applyCorrections(report, cells, threshold), fields);
}

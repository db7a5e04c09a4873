/**
 * Which form a report is printed on, from its header labels and row wording; the year is only a
 * tie-breaker (a 2022 report on the 2019 form is gov2019).
 */
import type { TemplateId } from '../model/report.js';
import { matchKey } from '../normalize/text.js';
import { templates, type TemplateDef } from '../templates/forms.js';
import { mapGovTables } from './gov-tables.js';
import type { MappedTable } from './mapped.js';
import { mapLegacyTable } from './legacy-table.js';
import type { Token } from './tokens.js';

export interface Detection {
  template: TemplateId;
  confidence: number;
  tables: MappedTable[];
  /** What decided it, for warnings and debugging. */
  basis: 'headers' | 'rows' | 'year' | 'legacy' | 'none';
}

function signatureScore(tokens: Token[], def: TemplateDef): number {
  let score = 0;
  for (const sig of def.signatures) {
    const key = matchKey(sig.text);
    const short = key.replace(/\(.*$/, '');
    if (tokens.some((t) => t.kind === 'label' && t.key.length <= key.length + 16 && (t.key === key || t.key.includes(short)))) {
      score += sig.weight;
    }
  }
  return score;
}

const rowsFound = (tables: MappedTable[], id: string) => tables.find((t) => t.def.id === id)?.rows.length ?? 0;

export function detectTemplate(tokens: Token[], yearHint: number | null): Detection {
  const s21 = signatureScore(tokens, templates.gov2021);
  const s19 = signatureScore(tokens, templates.gov2019);
  const sL = signatureScore(tokens, templates.legacy);

  const gov21 = mapGovTables(tokens, templates.gov2021);
  const govRows = rowsFound(gov21, 'applications') + rowsFound(gov21, 'active');
  if (govRows >= 4 || s21 + s19 >= 6) {
    const margin = Math.abs(s21 - s19);
    if (margin > 0) {
      const id = s21 > s19 ? 'gov2021' : 'gov2019';
      const tables = id === 'gov2021' ? gov21 : mapGovTables(tokens, templates.gov2019);
      return { template: id, confidence: round(0.75 + 0.24 * Math.min(1, margin / 6)), tables, basis: 'headers' };
    }
    const apps = gov21.find((t) => t.def.id === 'applications');
    const split = apps?.rows.some((r) => r.key.startsWith('other.'));
    if (split) return { template: 'gov2021', confidence: 0.8, tables: gov21, basis: 'rows' };
    const id = yearHint !== null && yearHint >= 2021 ? 'gov2021' : 'gov2019';
    const tables = id === 'gov2021' ? gov21 : mapGovTables(tokens, templates.gov2019);
    return { template: id, confidence: 0.6, tables, basis: 'year' };
  }
  const legacy = mapLegacyTable(tokens, templates.legacy.tables[0]);
  if (legacy.rows.length >= 2 || sL >= 5) {
    return {
      template: 'legacy',
      confidence: round(0.5 + 0.49 * Math.min(1, (legacy.rows.length + sL) / 12)),
      tables: [legacy],
      basis: 'legacy',
    };
  }
  return { template: 'unknown', confidence: round(1 - Math.min(0.5, (s21 + s19 + sL + govRows) / 20)), tables: [], basis: 'none' };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

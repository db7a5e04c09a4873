/** The arithmetic checks (勾稽关系) of each form, expanded to the cells a document prints, and evaluated. */
import type { CellKey, CellState, CheckResult, TableId, TemplateId } from '../model/report.js';
import { legacySums, templates, type CheckDef, type TemplateDef } from './forms.js';

export interface ConcreteCheck {
  id: string;
  rule: string;
  lhs: CellKey[];
  rhs: CellKey[];
  /** `eq`: lhs = rhs; `gte`: lhs ≥ rhs. */
  relation: 'eq' | 'gte';
  soft: boolean;
}

export interface CellValue {
  state: CellState;
  value: number | null;
}

/** Row and column keys of one table as the document prints them. */
export interface PrintedTable {
  id: string;
  rows: string[];
  cols: string[];
}

function expandDef(def: CheckDef, table: PrintedTable, present: Set<CellKey>): ConcreteCheck[] {
  const out: ConcreteCheck[] = [];
  const key = (r: string, c: string) => `${table.id}.${r}.${c}`;
  const keep = (keys: CellKey[]) => keys.filter((k) => present.has(k));
  if (def.per === 'col') {
    for (const c of table.cols) {
      const lhs = keep(def.lhs.map((r) => key(r, c)));
      const rhs = keep(def.rhs.map((r) => key(r, c)));
      if (lhs.length && rhs.length) out.push({ id: `${def.id}.${c}`, rule: def.rule, lhs, rhs, relation: 'eq', soft: !!def.soft });
    }
  } else {
    for (const r of def.rows ?? table.rows) {
      const lhs = keep(def.lhs.map((c) => key(r, c)));
      const rhs = keep(def.rhs.map((c) => key(r, c)));
      if (lhs.length && rhs.length === def.rhs.length) {
        out.push({ id: `${def.id}.${r}`, rule: def.rule, lhs, rhs, relation: 'eq', soft: !!def.soft });
      }
    }
  }
  return out;
}

function legacyChecks(table: PrintedTable, present: Set<CellKey>): ConcreteCheck[] {
  const out: ConcreteCheck[] = [];
  for (const c of table.cols) {
    for (const s of legacySums) {
      const parent = `legacyIndicators.${s.parent}.${c}`;
      const children = s.children.map((k) => `legacyIndicators.${k}.${c}`).filter((k) => present.has(k));
      if (present.has(parent) && children.length >= 2) {
        out.push({
          id: `legacyIndicators.sum.${s.parent}.${c}`,
          rule: `${s.parent} = ${s.children.filter((k) => present.has(`legacyIndicators.${k}.${c}`)).join(' + ')}`,
          lhs: [parent], rhs: children, relation: 'eq', soft: true,
        });
      }
    }
  }
  if (table.cols.includes('cumulative') && table.cols.includes('thisYear')) {
    for (const r of table.rows) {
      const cum = `legacyIndicators.${r}.cumulative`;
      const year = `legacyIndicators.${r}.thisYear`;
      if (present.has(cum) && present.has(year)) {
        out.push({ id: `legacyIndicators.cumulative.${r}`, rule: 'cumulative ≥ thisYear', lhs: [cum], rhs: [year], relation: 'gte', soft: true });
      }
    }
  }
  return out;
}

export function expandChecks(template: TemplateDef | null, tables: PrintedTable[], present: Set<CellKey>): ConcreteCheck[] {
  if (!template) return [];
  const out: ConcreteCheck[] = [];
  for (const t of tables) {
    if (t.id === 'legacyIndicators') out.push(...legacyChecks(t, present));
    for (const def of template.checks.filter((d) => d.table === t.id)) out.push(...expandDef(def, t, present));
  }
  return out;
}

const sum = (keys: CellKey[], values: Map<CellKey, CellValue>) =>
  keys.reduce((s, k) => s + (values.get(k)?.value ?? 0), 0);

/** Blank counts as nothing (0) in a sum; a check with an unreadable or missing cell is not evaluated. */
export function evaluate(check: ConcreteCheck, values: Map<CellKey, CellValue>): CheckResult | null {
  for (const k of [...check.lhs, ...check.rhs]) {
    const v = values.get(k);
    if (!v || (v.state !== 'number' && v.state !== 'blank')) return null;
  }
  const lhs = round(sum(check.lhs, values));
  const rhs = round(sum(check.rhs, values));
  const holds = check.relation === 'eq' ? lhs === rhs : lhs >= rhs;
  return {
    id: check.id, rule: check.rule, holds, lhs, rhs, cells: [...check.lhs, ...check.rhs],
    ...(check.soft ? { soft: true } : {}),
  };
}

/** Sums of decimals are compared at the precision reports print (up to 6 places). */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * A check across two reports of one agency, a year apart: the forms link year N to year N−1. Like a
 * CheckDef, summed per column or per row of one table, but `lhs` is read from year N's report and
 * `rhs` from year N−1's. Both reports must be printed on one of `templates`.
 */
export interface SeriesDef {
  id: string;
  table: TableId;
  rule: string;
  per: 'col' | 'row';
  lhs: string[];
  rhs: string[];
  /** For per-row rules: the rows it applies to. */
  rows?: string[];
  templates: Exclude<TemplateId, 'unknown' | 'legacy'>[];
}

export const seriesDefs: SeriesDef[] = [
  {
    id: 'series.applications.carriedOver',
    table: 'applications',
    per: 'col',
    rule: 'carriedOver (year N) = carriedForward (year N−1)',
    lhs: ['carriedOver'],
    rhs: ['carriedForward'],
    templates: ['gov2021', 'gov2019'],
  },
  {
    id: 'series.active.previousItems',
    table: 'active',
    per: 'row',
    rule: 'previousItems (year N) = previousItems + change (year N−1)',
    lhs: ['previousItems'],
    rhs: ['previousItems', 'change'],
    rows: ['licensing', 'otherServices', 'penalty', 'coercion', 'fees'],
    templates: ['gov2019'],
  },
];

/** A series rule expanded to cell keys: `lhs` keys are year N's, `rhs` keys year N−1's. */
export interface ConcreteSeriesCheck extends ConcreteCheck {
  templates: SeriesDef['templates'];
}

/** Every series rule expanded over its table as the form defines it (the first template's columns). */
export function expandSeries(defs: SeriesDef[] = seriesDefs): ConcreteSeriesCheck[] {
  const out: ConcreteSeriesCheck[] = [];
  for (const def of defs) {
    const table = templates[def.templates[0]].tables.find((t) => t.id === def.table);
    if (!table) continue;
    const key = (r: string, c: string) => `${def.table}.${r}.${c}`;
    const pairs: [string, string[], string[]][] =
      def.per === 'col'
        ? table.columns.map((c) => [c.key, def.lhs.map((r) => key(r, c.key)), def.rhs.map((r) => key(r, c.key))])
        : (def.rows ?? table.rows.map((r) => r.key)).map((r) => [r, def.lhs.map((c) => key(r, c)), def.rhs.map((c) => key(r, c))]);
    for (const [at, lhs, rhs] of pairs) {
      out.push({ id: `${def.id}.${at}`, rule: def.rule, lhs, rhs, relation: 'eq', soft: false, templates: def.templates });
    }
  }
  return out;
}

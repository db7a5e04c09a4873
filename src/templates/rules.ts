/** The arithmetic checks (勾稽关系) of each form, expanded to the cells a document prints, and evaluated. */
import type { CellKey, CellState, CheckResult } from '../model/report.js';
import { legacySums, type CheckDef, type TemplateDef } from './forms.js';

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

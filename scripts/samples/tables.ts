/**
 * Builds the statistical tables of a report as the official forms lay them out (merged cells
 * included), from the template definitions in src/templates/forms.ts and the printed values of an
 * expected JSON.
 */
import { templates, type RowDef, type TableDef } from '../../src/templates/forms.js';
import type { Cell, Expected, TableModel } from './model.js';

/** Header texts of the forms that forms.ts does not carry (it only knows row/column labels). */
export const formText = {
  infoContent: '信息内容',
  balanceRule: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
  applicant: '申请人情况',
  organisation: '法人或其他组织',
  legacyName: '指标名称',
  legacyUnit: '单位',
  legacyCumulative: '历年累计',
};

/** Units printed in the 单位 column of the Fujian-style 附表 (templates.md §C1, 2015–2018 variant). */
const legacyUnitOf = (key: string): string =>
  /^(complaints|review|litigation)\./.test(key) ? '件' : key === 'fees.waived' ? '元' : '条';

export interface TableOptions {
  /** Printed-label overrides: `row:<table>.<row>` or `col:<table>.<col>` → label as the seed prints it. */
  labels?: Record<string, string>;
  /** Header labels printed with a line break in the middle (e.g. 商业\n企业), as some sites do. */
  headerBreaks?: string[];
}

const h = (text: string, span: { colspan?: number; rowspan?: number } = {}): Cell => ({ text, role: 'header', ...span });
const l = (text: string, span: { colspan?: number; rowspan?: number } = {}): Cell => ({ text, role: 'label', ...span });

/** The printed text of a value cell; undefined when the expected JSON says the cell is not printed. */
export function printed(exp: Expected, key: string): string | undefined {
  if (!(key in exp.cells)) return undefined;
  const t = exp.texts?.[key];
  if (t !== undefined) return t;
  const v = exp.cells[key];
  return v === null ? '' : String(v);
}

function v(exp: Expected, key: string, colspan?: number): Cell {
  const text = printed(exp, key);
  if (text === undefined) throw new Error(`value ${key} is not in the expected JSON but its row is printed`);
  return colspan && colspan > 1 ? { text, role: 'value', key, colspan } : { text, role: 'value', key };
}

function tableDef(exp: Expected, id: string): TableDef {
  if (exp.template === 'legacy') throw new Error('legacy has no form table ' + id);
  const def = templates[exp.template].tables.find((t) => t.id === id);
  if (!def) throw new Error(`template ${exp.template} has no table ${id}`);
  return def;
}

function rowPrinted(exp: Expected, table: string, row: RowDef, cols: string[]): boolean {
  return cols.some((c) => `${table}.${row.key}.${c}` in exp.cells);
}

function makeLabeller(opts: TableOptions) {
  const breaks = new Set(opts.headerBreaks ?? []);
  return {
    row: (table: string, row: RowDef) => opts.labels?.[`row:${table}.${row.key}`] ?? row.label,
    col: (table: string, key: string, label: string) => {
      const text = opts.labels?.[`col:${table}.${key}`] ?? label;
      return breaks.has(text) ? `${text.slice(0, 2)}\n${text.slice(2)}` : text;
    },
  };
}

/** 表二: stacked sub-tables, each with a full-width caption row and a 信息内容 header row. */
export function activeTable(exp: Expected, opts: TableOptions = {}): TableModel {
  const def = tableDef(exp, 'active');
  const lab = makeLabeller(opts);
  const rows = def.rows.filter((r) => rowPrinted(exp, 'active', r, r.columns ?? []));
  const width = 1 + Math.max(...rows.map((r) => (r.columns ?? []).length));
  const out: Cell[][] = [];
  let caption: string | undefined;
  for (const row of rows) {
    const cols = row.columns ?? [];
    const lastSpan = width - cols.length;
    if (row.caption !== caption) {
      caption = row.caption;
      out.push([h(caption ?? '', { colspan: width })]);
      out.push([
        h(formText.infoContent),
        ...cols.map((c, i) => {
          const col = def.columns.find((d) => d.key === c);
          if (!col) throw new Error('unknown active column ' + c);
          return h(lab.col('active', c, col.label), i === cols.length - 1 && lastSpan > 1 ? { colspan: lastSpan } : {});
        }),
      ]);
    }
    out.push([
      l(lab.row('active', row)),
      ...cols.map((c, i) => v(exp, `active.${row.key}.${c}`, i === cols.length - 1 ? lastSpan : undefined)),
    ]);
  }
  return { id: 'active', rows: out, widths: [28, 24, 24, 24] };
}

/** 表三: 3-level column header, row labels in up to 3 merged label columns. */
export function applicationsTable(exp: Expected, opts: TableOptions = {}): TableModel {
  const def = tableDef(exp, 'applications');
  const lab = makeLabeller(opts);
  const cols = def.columns.map((c) => c.key);
  const colLabel = (i: number) => lab.col('applications', def.columns[i].key, def.columns[i].label);
  const n = cols.length; // 7: six applicant columns + 总计
  const out: Cell[][] = [
    [h(formText.balanceRule, { colspan: 3, rowspan: 3 }), h(formText.applicant, { colspan: n })],
    [h(colLabel(0), { rowspan: 2 }), h(formText.organisation, { colspan: n - 2 }), h(colLabel(n - 1), { rowspan: 2 })],
    cols.slice(1, n - 1).map((_, i) => h(colLabel(i + 1))),
  ];
  const rows = def.rows.filter((r) => rowPrinted(exp, 'applications', r, cols));
  const seen = new Set<string>();
  const span = (pred: (r: RowDef) => boolean) => rows.filter(pred).length;
  for (const row of rows) {
    const groups = row.groups ?? [];
    const cells: Cell[] = [];
    const outer = groups[0];
    if (outer !== undefined && !seen.has(outer)) {
      seen.add(outer);
      cells.push(l(outer, { rowspan: span((r) => r.groups?.[0] === outer) }));
    }
    const inner = groups[1];
    if (inner !== undefined && !seen.has(inner)) {
      seen.add(inner);
      cells.push(l(inner, { rowspan: span((r) => r.groups?.[1] === inner) }));
    }
    cells.push(l(lab.row('applications', row), { colspan: 3 - groups.length }));
    for (const c of cols) cells.push(v(exp, `applications.${row.key}.${c}`));
    out.push(cells.map((c) => (c.colspan === 1 ? { text: c.text, role: c.role } : c)));
  }
  return { id: 'applications', rows: out, widths: [10, 12, 22, ...cols.map(() => 8)] };
}

/** 表四: 3-level header and one row of 15 values (复议 ×5, 直接起诉 ×5, 复议后起诉 ×5). */
export function reviewLitigationTable(exp: Expected, opts: TableOptions = {}): TableModel {
  const def = tableDef(exp, 'reviewLitigation');
  const lab = makeLabeller(opts);
  const [review, ...litigation] = def.rows;
  const cols = def.columns;
  const split = (label: string) => {
    const [group, sub] = label.split(' ');
    return { group, sub };
  };
  const litGroup = split(litigation[0].label).group;
  const colHeads = () => cols.map((c) => h(lab.col('reviewLitigation', c.key, c.label)));
  const out: Cell[][] = [
    [h(review.label, { colspan: cols.length }), h(litGroup, { colspan: cols.length * litigation.length })],
    [
      ...colHeads().map((c) => ({ ...c, rowspan: 2 })),
      ...litigation.map((r) => h(split(r.label).sub, { colspan: cols.length })),
    ],
    litigation.flatMap(() => colHeads()),
    def.rows.flatMap((r) => cols.map((c) => v(exp, `reviewLitigation.${r.key}.${c.key}`))),
  ];
  return { id: 'reviewLitigation', rows: out, widths: out[3].map((_, i) => (i % 5 === 4 ? 6 : 7)) };
}

/** Legacy 附表: 指标名称 | 单位 | YYYY | 历年累计, one row per printed indicator. */
export function legacyTable(exp: Expected): TableModel {
  const labels = exp.labels ?? {};
  const out: Cell[][] = [
    [h(formText.legacyName), h(formText.legacyUnit), h(String(exp.year)), h(formText.legacyCumulative)],
  ];
  for (const [key, label] of Object.entries(labels)) {
    out.push([
      l(label),
      l(legacyUnitOf(key)),
      v(exp, `legacyIndicators.${key}.thisYear`),
      v(exp, `legacyIndicators.${key}.cumulative`),
    ]);
  }
  return { id: 'legacyIndicators', rows: out, widths: [46, 10, 22, 22] };
}

/** The tables of a report in printed order, each with the section title it sits under (null for 附表). */
export function reportTables(exp: Expected, opts: TableOptions = {}): { title: string | null; table: TableModel }[] {
  if (exp.template === 'legacy') return [{ title: null, table: legacyTable(exp) }];
  const title = (id: string) => tableDef(exp, id).title;
  return [
    { title: title('active'), table: activeTable(exp, opts) },
    { title: title('applications'), table: applicationsTable(exp, opts) },
    { title: title('reviewLitigation'), table: reviewLitigationTable(exp, opts) },
  ];
}

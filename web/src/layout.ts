/**
 * The canonical tables laid out as the official forms print them: 表二 as its sub-tables, 表三 with
 * its merged column header and row groups, 表四 as one line of fifteen numbers under a three-level
 * header, legacy 附表 as label | unit | values. Labels come from the template data (src/templates/forms.ts)
 * and from the report's own cells; nothing here names a form's label itself.
 */
import type { CanonicalCell, CanonicalTable, CellKey, Report, TableId } from '../../src/model/report.js';
import { templates, type RowDef, type TableDef, type TemplateDef } from '../../src/templates/forms.js';

export type GridCell =
  | { kind: 'head'; text: string; rowSpan: number; colSpan: number; title?: string }
  | { kind: 'label'; text: string; rowSpan: number; colSpan: number; title?: string; unit?: boolean; group?: number }
  | { kind: 'value'; key: CellKey }
  | { kind: 'pad'; colSpan: number };

export interface FormBlock {
  caption?: string;
  /** Rows; the first `headRows` form the table's header. */
  rows: GridCell[][];
  headRows: number;
  cls: string;
}

interface FormTable {
  id: TableId;
  title: string;
  found: boolean;
  blocks: FormBlock[];
}

export interface FormLayout {
  tables: FormTable[];
  /** Value cells in document order (the order of the printed forms, row by row). */
  order: CellKey[];
}

function templateOf(report: Report): TemplateDef | null {
  return report.report.template === 'unknown' ? null : templates[report.report.template] ?? null;
}

/** The table's definition in the report's template, or in any template that has it. */
function tableDef(report: Report, id: TableId): TableDef | null {
  const own = templateOf(report)?.tables.find((t) => t.id === id);
  if (own) return own;
  for (const t of Object.values(templates)) {
    const def = t.tables.find((d) => d.id === id);
    if (def) return def;
  }
  return null;
}


interface HeadColumn {
  label: string;
  groups: string[];
  title?: string;
}

/** Header rows for columns with group paths: groups merge across columns, leaves span down. */
function headerRows(cols: HeadColumn[], lead: GridCell[] = []): GridCell[][] {
  const depth = Math.max(0, ...cols.map((c) => c.groups.length)) + 1;
  const rows: GridCell[][] = Array.from({ length: depth }, () => []);
  rows[0].push(...lead);
  const samePrefix = (a: string[], b: string[], l: number) => a.length > l && b.length > l && a.slice(0, l + 1).every((g, i) => g === b[i]);
  for (let l = 0; l < depth; l++) {
    for (let i = 0; i < cols.length; ) {
      const c = cols[i];
      if (l < c.groups.length) {
        let j = i + 1;
        while (j < cols.length && samePrefix(c.groups, cols[j].groups, l)) j++;
        rows[l].push({ kind: 'head', text: c.groups[l], rowSpan: 1, colSpan: j - i });
        i = j;
      } else {
        if (l === c.groups.length) rows[l].push({ kind: 'head', text: c.label, rowSpan: depth - l, colSpan: 1, title: c.title });
        i++;
      }
    }
  }
  return rows;
}

/** Rows of a table in the template's order, then the document's own rows (extra.<n>) in its order. */
function presentRows(table: CanonicalTable, def: TableDef | null): { key: string; def?: RowDef; cells: Map<string, CanonicalCell> }[] {
  const byRow = new Map<string, Map<string, CanonicalCell>>();
  for (const c of table.cells) {
    if (!byRow.has(c.row)) byRow.set(c.row, new Map());
    byRow.get(c.row)!.set(c.col, c);
  }
  const out: { key: string; def?: RowDef; cells: Map<string, CanonicalCell> }[] = [];
  for (const r of def?.rows ?? []) if (byRow.has(r.key)) out.push({ key: r.key, def: r, cells: byRow.get(r.key)! });
  for (const [key, cells] of byRow) if (!out.some((r) => r.key === key)) out.push({ key, cells });
  return out;
}

/** Column keys in the template's order, then any the document adds. */
function presentCols(cells: Iterable<CanonicalCell>, def: TableDef | null, allowed?: string[]): string[] {
  const have = new Set<string>();
  for (const c of cells) have.add(c.col);
  const order = allowed ?? def?.columns.map((c) => c.key) ?? [];
  const cols = order.filter((k) => have.has(k));
  for (const k of have) if (!cols.includes(k)) cols.push(k);
  return cols;
}

const colLabel = (def: TableDef | null, key: string, cells: Iterable<CanonicalCell>) => {
  const d = def?.columns.find((c) => c.key === key)?.label;
  if (d) return d;
  for (const c of cells) if (c.col === key && c.colLabel) return c.colLabel;
  return key;
};

const rowLabel = (row: { key: string; def?: RowDef; cells: Map<string, CanonicalCell> }) =>
  row.def?.label ?? [...row.cells.values()].find((c) => c.rowLabel)?.rowLabel ?? row.key;

/** The printed label when it differs from the form's, for the tooltip. */
const printedTitle = (row: { cells: Map<string, CanonicalCell> }, label: string) => {
  const printed = [...row.cells.values()].find((c) => c.state !== 'missing' && c.rowLabel)?.rowLabel;
  return printed && printed !== label ? `文档印作：${printed}` : undefined;
};

/** 表二: one small table per caption (第二十条第（一）项 …), a header row wherever the columns change. */
function activeBlocks(table: CanonicalTable, def: TableDef | null): FormBlock[] {
  const rows = presentRows(table, def);
  const blocks: FormBlock[] = [];
  const groups: { caption?: string; rows: typeof rows }[] = [];
  for (const r of rows) {
    const caption = r.def?.caption;
    const last = groups.at(-1);
    if (last && last.caption === caption) last.rows.push(r);
    else groups.push({ caption, rows: [r] });
  }
  for (const g of groups) {
    const width = Math.max(...g.rows.map((r) => presentCols(r.cells.values(), def, r.def?.columns).length));
    const block: FormBlock = { caption: g.caption, rows: [], headRows: 0, cls: 'form-active' };
    let signature = '';
    for (const r of g.rows) {
      const cols = presentCols(r.cells.values(), def, r.def?.columns);
      const sig = cols.join(',');
      if (sig !== signature) {
        signature = sig;
        block.rows.push([
          { kind: 'head', text: '', rowSpan: 1, colSpan: 1 },
          ...cols.map((k): GridCell => ({ kind: 'head', text: colLabel(def, k, r.cells.values()), rowSpan: 1, colSpan: 1 })),
          ...(cols.length < width ? [{ kind: 'pad', colSpan: width - cols.length } as GridCell] : []),
        ]);
      }
      const label = rowLabel(r);
      block.rows.push([
        { kind: 'label', text: label, rowSpan: 1, colSpan: 1, title: printedTitle(r, label) },
        ...cols.map((k): GridCell => ({ kind: 'value', key: r.cells.get(k)!.key })),
        ...(cols.length < width ? [{ kind: 'pad', colSpan: width - cols.length } as GridCell] : []),
      ]);
    }
    blocks.push(block);
  }
  return blocks;
}

/** 表三: merged column header and row groups (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密). */
function applicationsBlock(table: CanonicalTable, def: TableDef | null): FormBlock {
  const rows = presentRows(table, def);
  const cols = presentCols(table.cells, def);
  const groupsOf = (r: (typeof rows)[number]) => r.def?.groups ?? [];
  const labelDepth = Math.max(0, ...rows.map((r) => groupsOf(r).length)) + 1;
  const headCols = cols.map((k) => ({ label: colLabel(def, k, table.cells), groups: def?.columns.find((c) => c.key === k)?.groups ?? [] }));
  const depth = Math.max(0, ...headCols.map((c) => c.groups.length)) + 1;
  const head = headerRows(headCols, [{ kind: 'head', text: '', rowSpan: depth, colSpan: labelDepth }]);
  const body: GridCell[][] = rows.map((r, i) => {
    const groups = groupsOf(r);
    const out: GridCell[] = [];
    for (let l = 0; l < groups.length; l++) {
      const prefix = groups.slice(0, l + 1).join('\u0000');
      const prev = i > 0 ? groupsOf(rows[i - 1]).slice(0, l + 1).join('\u0000') : null;
      if (prev === prefix && groupsOf(rows[i - 1]).length > l) continue;
      let span = 1;
      while (i + span < rows.length && groupsOf(rows[i + span]).length > l && groupsOf(rows[i + span]).slice(0, l + 1).join('\u0000') === prefix) span++;
      out.push({ kind: 'label', text: groups[l], rowSpan: span, colSpan: 1, group: l });
    }
    const label = rowLabel(r);
    out.push({ kind: 'label', text: label, rowSpan: 1, colSpan: labelDepth - groups.length, title: printedTitle(r, label) });
    for (const k of cols) {
      const c = r.cells.get(k);
      out.push(c ? { kind: 'value', key: c.key } : { kind: 'pad', colSpan: 1 });
    }
    return out;
  });
  return { rows: [...head, ...body], headRows: head.length, cls: 'form-applications' };
}

/** 表四: the three rows printed as one line, headed 行政复议 | 行政诉讼 › 未经复议直接起诉 | 复议后起诉. */
function reviewBlock(table: CanonicalTable, def: TableDef | null): FormBlock {
  const rows = presentRows(table, def);
  const flat: { col: HeadColumn; key: CellKey }[] = [];
  for (const r of rows) {
    const groups = rowLabel(r).split(/\s+/).filter(Boolean);
    for (const k of presentCols(r.cells.values(), def)) flat.push({ col: { label: colLabel(def, k, r.cells.values()), groups }, key: r.cells.get(k)!.key });
  }
  const head = headerRows(flat.map((f) => f.col));
  return { rows: [...head, flat.map((f): GridCell => ({ kind: 'value', key: f.key }))], headRows: head.length, cls: 'form-review' };
}

/** Legacy 附表: indicator | unit | 本年度 | 历年累计, rows as printed. */
function legacyBlock(table: CanonicalTable, def: TableDef | null): FormBlock {
  const rows = presentRows(table, null);
  const cols = presentCols(table.cells, def);
  const head: GridCell[] = [
    { kind: 'head', text: '指标', rowSpan: 1, colSpan: 1 },
    { kind: 'head', text: '单位', rowSpan: 1, colSpan: 1 },
    ...cols.map((k): GridCell => ({ kind: 'head', text: colLabel(def, k, table.cells), rowSpan: 1, colSpan: 1 })),
  ];
  const body = rows.map((r): GridCell[] => {
    const unit = [...r.cells.values()].find((c) => c.unit)?.unit ?? '';
    return [
      { kind: 'label', text: rowLabel(r), rowSpan: 1, colSpan: 1, title: r.key },
      { kind: 'label', text: unit, rowSpan: 1, colSpan: 1, unit: true },
      ...cols.map((k): GridCell => {
        const c = r.cells.get(k);
        return c ? { kind: 'value', key: c.key } : { kind: 'pad', colSpan: 1 };
      }),
    ];
  });
  return { rows: [head, ...body], headRows: 1, cls: 'form-legacy' };
}

/** Any other table: row label and one column per column key. */
function plainBlock(table: CanonicalTable, def: TableDef | null): FormBlock {
  const rows = presentRows(table, def);
  const cols = presentCols(table.cells, def);
  const head: GridCell[] = [{ kind: 'head', text: '', rowSpan: 1, colSpan: 1 }, ...cols.map((k): GridCell => ({ kind: 'head', text: colLabel(def, k, table.cells), rowSpan: 1, colSpan: 1 }))];
  const body = rows.map((r): GridCell[] => [
    { kind: 'label', text: rowLabel(r), rowSpan: 1, colSpan: 1 },
    ...cols.map((k): GridCell => {
      const c = r.cells.get(k);
      return c ? { kind: 'value', key: c.key } : { kind: 'pad', colSpan: 1 };
    }),
  ]);
  return { rows: [head, ...body], headRows: 1, cls: 'form-plain' };
}

export function buildLayout(report: Report): FormLayout {
  const tables: FormTable[] = report.tables.map((t) => {
    const def = tableDef(report, t.id);
    const blocks =
      t.id === 'active' ? activeBlocks(t, def)
        : t.id === 'applications' ? [applicationsBlock(t, def)]
          : t.id === 'reviewLitigation' ? [reviewBlock(t, def)]
            : t.id === 'legacyIndicators' ? [legacyBlock(t, def)]
              : [plainBlock(t, def)];
    return { id: t.id, title: t.title || def?.title || t.id, found: t.found, blocks };
  });
  const order: CellKey[] = [];
  for (const t of tables) for (const b of t.blocks) for (const row of b.rows) for (const c of row) if (c.kind === 'value') order.push(c.key);
  // Cells the layout did not place (should not happen) still take part, at the end.
  const placed = new Set(order);
  for (const t of report.tables) for (const c of t.cells) if (!placed.has(c.key)) order.push(c.key);
  return { tables, order };
}

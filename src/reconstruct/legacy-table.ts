/**
 * Legacy 附表 / 统计表 (before 2019): 指标名称 | 单位 | value columns. Rows are whatever the
 * province printed; known indicators get their canonical key, the rest `row.<n>`.
 */
import { matchKey, cleanPrinted, labelCore } from '../normalize/text.js';
import type { ColumnDef, TableDef } from '../templates/forms.js';
import { legacyColumns, legacyIndicators, legacyUnits } from '../templates/forms.js';
import { fitRow } from './fit.js';
import type { MappedRow, MappedTable } from './gov-tables.js';
import type { Token } from './tokens.js';

const INDICATOR_HEADER = /^(统计)?指(标)?(名称)?$/;
const UNIT_HEADER = /^(计量)?单位$/;

function findHeader(tokens: Token[]): { end: number; columns: ColumnDef[] } | null {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'label' || !INDICATOR_HEADER.test(tokens[i].key)) continue;
    const columns: ColumnDef[] = [];
    let j = i + 1;
    let sawUnit = false;
    for (; j < Math.min(tokens.length, i + 8); j++) {
      const t = tokens[j];
      const text = matchKey(t.text);
      if (UNIT_HEADER.test(text)) { sawUnit = true; continue; }
      if (t.kind === 'blank') continue;
      const col = legacyColumns.find((c) => c.pattern.test(text));
      if (!col) break;
      columns.push({ key: col.key, label: cleanPrinted(t.text), unit: '' });
    }
    if (columns.length > 0 || sawUnit) {
      return { end: j, columns: columns.length ? columns : [{ key: 'thisYear', label: '本年度', unit: '' }] };
    }
  }
  return null;
}

export function legacyKey(label: string): string | null {
  const core = labelCore(matchKey(label));
  return legacyIndicators.find((d) => d.pattern.test(core))?.key ?? null;
}

export function mapLegacyTable(tokens: Token[], def: TableDef): MappedTable {
  const header = findHeader(tokens);
  if (!header) return { def, found: false, rows: [] };
  const rows: MappedRow[] = [];
  const used = new Set<string>();
  let i = header.end;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind !== 'label') { i++; continue; }
    let j = i + 1;
    let unit: string | null = null;
    if (j < tokens.length && tokens[j].kind === 'label' && legacyUnits.includes(tokens[j].key)) unit = tokens[j++].text.trim();
    const values: Token[] = [];
    while (j < tokens.length && tokens[j].kind !== 'label' && values.length < header.columns.length + 2) {
      values.push(tokens[j]);
      if (tokens[j].rowEnd && tokens[j].structured) { j++; break; }
      j++;
    }
    if (!values.some((v) => v.kind === 'number')) {
      // Group rows (一、主动公开情况 ——) carry no numbers; anything else ends the table.
      if (values.length > 0 || /^[一二三四五六七八九十]+、/.test(t.key)) { i = j; continue; }
      break;
    }
    let key = legacyKey(t.text);
    if (!key || used.has(key)) key = `row.${rows.length + 1}`;
    used.add(key);
    rows.push({
      key,
      label: cleanPrinted(t.text),
      labelToken: t,
      labelScore: key.startsWith('row.') ? 0.8 : 1,
      columns: header.columns.map((c) => ({ ...c, unit: unit ?? '' })),
      readings: fitRow(values, header.columns.length),
    });
    i = j;
  }
  return { def, found: rows.length > 0, rows };
}

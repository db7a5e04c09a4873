/**
 * Legacy 附表 / 统计表 (before 2019): 指标名称 | 单位 | value columns. Rows are whatever the
 * province printed; known indicators get their canonical key, the rest `row.<n>`.
 */
import { matchKey, cleanPrinted, labelCore } from '../normalize/text.js';
import type { ColumnDef, TableDef } from '../templates/forms.js';
import { legacyColumns, legacyIndicators, legacyUnits } from '../templates/forms.js';
import { fitRow } from './fit.js';
import type { MappedRow, MappedTable } from './mapped.js';
import type { Token } from './tokens.js';

const INDICATOR_HEADER = /^(统计)?指(标)?(名称)?$/;
const UNIT_HEADER = /^(计量)?单位$/;
/** Statistical forms (定西 2008) number their indicators in a 代码 column: 01, 02 … */
const CODE_HEADER = /^(代码|代号|编码)$/;
/** …and letter their columns in a row under the header: 甲 乙 丙 1 2. */
const COLUMN_LETTER = /^[甲乙丙丁戊己]$/;

interface LegacyHeader {
  end: number;
  columns: ColumnDef[];
  /** Each row starts with its indicator code, which is not a value. */
  codeColumn: boolean;
  /** The table prints a unit column (计量单位). */
  unitColumn: boolean;
}

function findHeader(tokens: Token[]): LegacyHeader | null {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'label' || !INDICATOR_HEADER.test(tokens[i].key)) continue;
    const columns: ColumnDef[] = [];
    let j = i + 1;
    let sawUnit = false;
    let codeColumn = false;
    for (; j < Math.min(tokens.length, i + 8); j++) {
      const t = tokens[j];
      if (t.kind === 'blank') continue;
      // A header word spaced over two cells (计量 单位, 历年 累计) is read as one.
      // A year heading a column (2018) is a number token: its match key is its text.
      const keyOf = (x: Token) => (x.kind === 'label' ? x.key : matchKey(x.text));
      const joined = j + 1 < tokens.length && t.kind === 'label' && tokens[j + 1].kind === 'label' ? t.key + tokens[j + 1].key : '';
      const isHeader = (k: string) => UNIT_HEADER.test(k) || CODE_HEADER.test(k) || legacyColumns.some((c) => c.pattern.test(k));
      const spaced = !isHeader(keyOf(t)) && joined !== '' && isHeader(joined);
      const key = spaced ? joined : keyOf(t);
      const text = spaced ? `${t.text}${tokens[j + 1].text}` : t.text;
      if (spaced) j++;
      if (UNIT_HEADER.test(key)) { sawUnit = true; continue; }
      if (CODE_HEADER.test(key)) { codeColumn = true; continue; }
      const col = legacyColumns.find((c) => c.pattern.test(key));
      if (!col) break;
      columns.push({ key: col.key, label: cleanPrinted(text), unit: '' });
    }
    if (columns.length > 0 || sawUnit) {
      // The column-letter row: its letters, then the value columns numbered 1, 2 …
      if (j < tokens.length && COLUMN_LETTER.test(tokens[j].key)) {
        while (j < tokens.length && COLUMN_LETTER.test(tokens[j].key)) j++;
        for (let n = 1; j < tokens.length && tokens[j].kind === 'number' && tokens[j].number!.value === n; n++) j++;
      }
      return { end: j, columns: columns.length ? columns : [{ key: 'thisYear', label: '本年度', unit: '' }], codeColumn, unitColumn: sawUnit };
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
    let label = t.text;
    if (j < tokens.length && tokens[j].kind === 'label' && legacyUnits.includes(tokens[j].key)) unit = tokens[j++].text.trim();
    else if (header.unitColumn) {
      // The unit glued to the label (主动公开文件数条): a crawler dropped the cell boundary. Matched on
      // the key, so a traditional 條 is a unit too; the label keeps its printed characters.
      const glued = legacyUnits.find((u) => t.key.endsWith(u));
      const printed = glued ? [...label.trim()].slice(0, -glued.length).join('') : '';
      if (glued && legacyKey(printed)) { unit = glued; label = printed; }
    }
    const values: Token[] = [];
    while (j < tokens.length && tokens[j].kind !== 'label' && values.length < header.columns.length + 2) {
      values.push(tokens[j]);
      if (tokens[j].rowEnd && tokens[j].structured) { j++; break; }
      j++;
    }
    if (header.codeColumn && values.length > header.columns.length && /^\d{1,3}$/.test(values[0].text.trim())) values.shift();
    if (!values.some((v) => v.kind === 'number')) {
      // Group rows (一、主动公开情况 ——) carry no numbers; anything else ends the table.
      if (values.length > 0 || /^[一二三四五六七八九十]+、/.test(t.key)) { i = j; continue; }
      break;
    }
    let key = legacyKey(label);
    if (!key || used.has(key)) key = `row.${rows.length + 1}`;
    used.add(key);
    rows.push({
      key,
      label: cleanPrinted(label),
      labelToken: t,
      labelScore: key.startsWith('row.') ? 0.8 : 1,
      columns: header.columns.map((c) => ({ ...c, unit: unit ?? '' })),
      readings: fitRow(values, header.columns.length),
    });
    i = j;
  }
  return { def, found: rows.length > 0, rows };
}

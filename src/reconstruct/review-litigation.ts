/**
 * 表四 (行政复议、行政诉讼): the form prints one table whose header names three groups of five columns
 * (行政复议 | 行政诉讼 › 未经复议直接起诉, 复议后起诉) over one row of 15 numbers. Reports also print it as
 * three tables of five columns, each under its group's name, or as two (行政复议 | 行政诉讼 with its two
 * sub-groups). Every group's values go under the group its header names: the table is read as blocks
 * (header rows, then value rows), and each block's header says which groups its values are.
 */
import { matchKey, ocrFold } from '../normalize/text.js';
import type { TableDef } from '../templates/forms.js';
import { fitRow, type RowReading } from './fit.js';
import type { MappedRow, MappedTable } from './mapped.js';
import { unreadableValue, type Token } from './tokens.js';

/** How far after the 行政复议 header cell its first column header (结果维持) must come. */
const HEADER_REACH = 40;
/** …or how far before it, when the groups are printed as row labels under the column header. */
const HEADER_ROW_REACH = 12;

/** The group names of the form, from its row labels: 行政复议 · 行政诉讼 未经复议直接起诉 · 行政诉讼 复议后起诉. */
interface GroupNames {
  /** Folded leaf name (行政复议, 未经复议直接起诉, 复议后起诉) → row key. */
  leaves: { name: string; row: string }[];
  /** Folded parent name (行政诉讼) → the rows under it, in printed order. */
  parents: { name: string; rows: string[] }[];
}

const fold = (s: string) => ocrFold(matchKey(s));

function groupNames(def: TableDef): GroupNames {
  const leaves: GroupNames['leaves'] = [];
  const parents: GroupNames['parents'] = [];
  for (const row of def.rows) {
    const words = row.label.split(/\s+/).map(fold);
    leaves.push({ name: words[words.length - 1], row: row.key });
    for (const p of words.slice(0, -1)) {
      const known = parents.find((x) => x.name === p);
      if (known) known.rows.push(row.key);
      else parents.push({ name: p, rows: [row.key] });
    }
  }
  return { leaves, parents };
}

interface Mention {
  at: number;
  /** A leaf names its row; a parent stands for its rows unless the block names them itself. */
  leaf?: string;
  parent?: string[];
}

/** The groups a header text names, in printed order (a flattened header may hold them all). */
function mentions(key: string, names: GroupNames): Mention[] {
  const text = ocrFold(key);
  const found: Mention[] = [];
  const taken: [number, number][] = [];
  const overlaps = (a: number, b: number) => taken.some(([x, y]) => a < y && x < b);
  // Longer names first: 复议后起诉 holds no 行政复议, but 行政复议后起诉 would.
  const all = [
    ...names.leaves.map((l) => ({ name: l.name, m: { leaf: l.row } as Omit<Mention, 'at'> })),
    ...names.parents.map((p) => ({ name: p.name, m: { parent: p.rows } as Omit<Mention, 'at'> })),
  ].sort((a, b) => b.name.length - a.name.length);
  for (const { name, m } of all) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      if (overlaps(at, at + name.length)) continue;
      taken.push([at, at + name.length]);
      found.push({ at, ...m });
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

/** Header words of 表四: group and column names and their halves (结果 / 维持), units and brackets. */
function headerVocabulary(def: TableDef, names: GroupNames): string[] {
  const words = new Set<string>();
  for (const n of [...names.leaves.map((l) => l.name), ...names.parents.map((p) => p.name)]) words.add(n);
  for (const c of def.columns) {
    const k = fold(c.label);
    words.add(k);
    if (k.length >= 4) { words.add(k.slice(0, 2)); words.add(k.slice(2)); }
  }
  for (const w of ['总', '计', '情况', '单位', '件', '表', '案件', '数']) words.add(w);
  return [...words].sort((a, b) => b.length - a.length);
}

function isHeaderText(key: string, vocabulary: string[]): boolean {
  let rest = ocrFold(key);
  for (const w of vocabulary) rest = rest.split(w).join('');
  return rest.replace(/[()（）:：,、\d一二三四五六七八九十.\-—]/g, '').length <= 1;
}

/** Where 表四 starts: the last header cell naming its first group (行政复议) followed by its first column header. */
function findStart(tokens: Token[], def: TableDef, names: GroupNames, vocabulary: string[]): number {
  const firstRow = names.leaves[0].row;
  const first = fold(def.columns[0].label);
  // `pdftotext -layout` breaks the header cells over lines: 结果 on one, 维持 on the next.
  const firstBroken = first.slice(0, 2);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind !== 'label') continue;
    const key = ocrFold(t.key);
    // The header's first cell names 行政复议 (a sub-table's title may add to it: （一）行政复议情况); a
    // flattened page may glue the whole header into one line. A section heading or prose is no header.
    if (!mentions(t.key, names).some((m) => m.leaf === firstRow)) continue;
    if (!isHeaderText(t.key, vocabulary) && !key.includes(first)) continue;
    if (key.includes(first)) return i;
    const isFirst = (t: Token) => ocrFold(t.key).startsWith(first) || ocrFold(t.key) === firstBroken;
    for (let j = i + 1; j < Math.min(tokens.length, i + HEADER_REACH); j++) if (isFirst(tokens[j])) return i;
    // Groups printed as row labels under one column header (结果维持 | … above 行政复议 | 1 | 1 …).
    for (let j = i - 1; j >= Math.max(0, i - HEADER_ROW_REACH); j--) if (isFirst(tokens[j])) return j;
  }
  return -1;
}

interface Block {
  mentions: Mention[];
  values: Token[];
}

/** The rows a block's values belong to, in printed order; null when its header names no group. */
function blockRows(block: Block): string[] | null {
  if (!block.mentions.length) return null;
  const leaves = new Set(block.mentions.flatMap((m) => (m.leaf ? [m.leaf] : [])));
  const rows: string[] = [];
  for (const m of block.mentions) {
    const named = m.leaf ? [m.leaf] : m.parent!.some((r) => leaves.has(r)) ? [] : m.parent!;
    for (const r of named) if (!rows.includes(r)) rows.push(r);
  }
  return rows;
}

/** Values without the empty cells that pad a row (colspan) at either end. */
function trimmedCount(values: Token[]): number {
  let a = 0;
  let b = values.length;
  while (a < b && values[a].kind === 'blank') a++;
  while (b > a && values[b - 1].kind === 'blank') b--;
  return b - a;
}

/**
 * Header rows (labels, and the blanks of their spans) and value rows (numbers and blanks) alternate
 * from `start`: each run of header rows and the value rows after it is a block. A label that is not
 * 表四's header ends the table once values have been read.
 */
function readBlocks(tokens: Token[], start: number, names: GroupNames, vocabulary: string[]): Block[] {
  const blocks: Block[] = [];
  let ended = false;
  const addHeader = (labels: Token[]) => {
    const found = labels.flatMap((t) => mentions(t.key, names));
    const last = blocks.at(-1);
    if (!last || last.values.length) blocks.push({ mentions: found, values: [] });
    else last.mentions.push(...found);
  };
  const addValues = (values: Token[]) => {
    const last = blocks.at(-1);
    if (!last) blocks.push({ mentions: [], values: [...values] });
    else last.values.push(...values);
  };
  // A row reads as header cells, then values from its first value on: a number, or a value cell read
  // wrong (〇 as text, a watermark glyph) that names no group (行政复议 | 1 | 1 | 〇 | 0 | 2).
  const isValue = (t: Token) => t.kind === 'number' || (unreadableValue(t) && !mentions(t.key, names).length);
  const takeSegment = (seg: Token[]) => {
    if (!seg.length || ended) return;
    const firstValue = seg.findIndex(isValue);
    const head = (firstValue < 0 ? seg : seg.slice(0, firstValue)).filter((t) => t.kind === 'label');
    if (!head.length) return addValues(seg);
    if (!head.every((t) => isHeaderText(t.key, vocabulary))) {
      if (blocks.some((b) => b.values.some((v) => v.kind === 'number'))) ended = true;
      return;
    }
    addHeader(head);
    // The values start after the last header cell (the blanks of a span before them included).
    if (firstValue >= 0) addValues(seg.slice(seg.lastIndexOf(head.at(-1)!) + 1));
  };
  let segment: Token[] = [];
  for (let j = start; j < tokens.length && !ended; j++) {
    const t = tokens[j];
    segment.push(t);
    if (!t.structured || t.rowEnd) { takeSegment(segment); segment = []; }
  }
  takeSegment(segment);
  return blocks;
}

interface ValueGroup {
  rows: string[];
  values: Token[];
}

/** The rows each block's values fill: the groups its header names, or what its header lost. */
function assignGroups(blocks: Block[], def: TableDef): ValueGroup[] {
  const width = def.columns.length;
  const assigned = new Set<string>();
  const unassigned = () => def.rows.map((r) => r.key).filter((k) => !assigned.has(k));
  let previous: ValueGroup | null = null;
  const groups: ValueGroup[] = [];
  for (const block of blocks) {
    let keys = blockRows(block);
    if (!keys) {
      // A header that names no group (repeated after a page break): the values continue the block before.
      if (previous) { previous.values.push(...block.values); continue; }
      keys = unassigned();
    }
    keys = keys.filter((k) => !assigned.has(k));
    if (!keys.length) break;
    // A header whose group names were lost (broken over lines) but whose values fill every group left.
    const left = unassigned();
    if (trimmedCount(block.values) === left.length * width && keys.length < left.length) keys = left;
    for (const k of keys) assigned.add(k);
    previous = { rows: keys, values: [...block.values] };
    groups.push(previous);
  }
  return groups;
}

/** A group's values fitted as one line, cut into its rows (chosen together: one `joint`). */
function groupRows(g: ValueGroup, gi: number, def: TableDef): MappedRow[] {
  const width = def.columns.length;
  const readings: RowReading[] = fitRow(g.values, g.rows.length * width);
  return def.rows.filter((row) => g.rows.includes(row.key)).map((row) => {
    const r = g.rows.indexOf(row.key);
    return {
      key: row.key,
      joint: `${def.id}.${gi}`,
      label: row.label,
      labelToken: null,
      labelScore: 1,
      columns: def.columns,
      readings: readings.map((rd) => ({ slots: rd.slots.slice(r * width, (r + 1) * width), note: rd.note })),
    };
  });
}

export function mapReviewLitigation(tokens: Token[], def: TableDef): MappedTable {
  const names = groupNames(def);
  const vocabulary = headerVocabulary(def, names);
  const start = findStart(tokens, def, names, vocabulary);
  if (start < 0) return { def, found: false, rows: [] };
  const groups = assignGroups(readBlocks(tokens, start, names, vocabulary), def);
  return { def, found: true, rows: groups.flatMap((g, gi) => groupRows(g, gi, def)) };
}

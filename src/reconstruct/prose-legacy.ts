/**
 * Prose-only legacy reports (templates.md §C4): many reports before 2019 print no table, only
 * sentences (2018年度主动公开政府信息共有57条). When no table of a known form is found, the figures
 * the prose states under an unambiguous wording (forms.ts legacyProseIndicators) become the
 * legacyIndicators cells, with evidence `prose`. A figure stated twice with two values is left out.
 */
import type { LayoutDocument } from '../layout/types.js';
import type { CellKey, DraftCell, DraftTable } from '../model/report.js';
import { proseText } from '../normalize/text.js';
import { legacyColumns, legacyProseFiller, legacyProseIndicators, legacyProseUnits, templates } from '../templates/forms.js';
import type { CanonicalDraft, CellBasis } from './canonical.js';

type LegacyCol = (typeof legacyColumns)[number]['key'];

interface ProseFigure {
  key: string;
  col: LegacyCol;
  value: number;
  unit: string;
  /** The words before the figure and the figure, as the cell's printed text. */
  text: string;
  label: string;
  page: number;
}

/** Clauses end at sentence and list punctuation; 、 joins items that share the clause's 累计. */
const CLAUSE_END = /[。；;，,：:！!？?]/;
const FIGURE = new RegExp(`(?<![\\d.])(\\d+)(${legacyProseUnits.join('|')})`, 'g');
const CUMULATIVE = legacyColumns.find((c) => c.key === 'cumulative')!.pattern;

/** The document's running text with white space removed (PDF lines break mid-clause), and where each page starts. */
function runningText(doc: LayoutDocument): { text: string; pageAt: (offset: number) => number } {
  let text = '';
  const starts: { offset: number; page: number }[] = [];
  for (const b of doc.blocks) {
    if (b.kind !== 'line') continue;
    starts.push({ offset: text.length, page: b.page });
    text += proseText(b.text);
  }
  const pageAt = (offset: number) => {
    let page = starts[0]?.page ?? 1;
    for (const s of starts) if (s.offset <= offset) page = s.page;
    return page;
  };
  return { text, pageAt };
}

function proseFigures(doc: LayoutDocument): ProseFigure[] {
  const { text, pageAt } = runningText(doc);
  const found: ProseFigure[] = [];
  let clauseStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !CLAUSE_END.test(text[i])) continue;
    const clause = text.slice(clauseStart, i);
    let segmentStart = 0;
    for (const m of clause.matchAll(FIGURE)) {
      const segment = clause.slice(segmentStart, m.index).replace(/^[、与和及]+/, '');
      const printed = segment + m[0];
      segmentStart = m.index + m[0].length;
      const label = segment.replace(legacyProseFiller, '');
      const def = legacyProseIndicators.find((d) => d.pattern.test(label));
      if (!def) continue;
      found.push({
        key: def.key,
        col: CUMULATIVE.test(clause.slice(0, m.index)) ? 'cumulative' : 'thisYear',
        value: Number(m[1]),
        unit: m[2],
        text: printed,
        label: label.match(def.pattern)![0],
        page: pageAt(clauseStart + m.index),
      });
    }
    clauseStart = i + 1;
  }
  // One value per indicator and column, or none: two different values leave it unknown.
  const byCell = new Map<string, ProseFigure[]>();
  for (const f of found) byCell.set(`${f.key}.${f.col}`, [...(byCell.get(`${f.key}.${f.col}`) ?? []), f]);
  return [...byCell.values()].filter((fs) => fs.every((f) => f.value === fs[0].value)).map((fs) => fs[0]);
}

/** The legacyIndicators table read from the prose, or null when the prose names fewer than two figures. */
export function proseLegacyDraft(doc: LayoutDocument): CanonicalDraft | null {
  const figures = proseFigures(doc);
  if (figures.length < 2) return null;
  const def = templates.legacy.tables[0];
  const colLabel = (col: LegacyCol) => def.columns.find((c) => c.key === col)!.label;
  const basis = new Map<CellKey, CellBasis>();
  const cells: DraftCell[] = figures.map((f) => {
    const key = `${def.id}.${f.key}.${f.col}`;
    basis.set(key, { labelScore: 1, placement: 1, readingShare: 1, note: 'exact' });
    return {
      key, row: f.key, col: f.col, rowLabel: f.label, colLabel: colLabel(f.col),
      value: f.value, unit: f.unit, unitSource: 'cell', text: f.text, state: 'number',
      evidence: { page: f.page, bbox: null, source: 'prose', genericCell: null },
      flags: [], alternatives: [],
    };
  });
  const table: DraftTable = { id: def.id, title: def.title, found: true, page: figures[0].page, genericTable: null, cells };
  return {
    tables: [table],
    basis,
    warnings: [{
      code: 'PROSE_ONLY',
      message: `No statistical table was found; ${cells.length} figures were read from the prose onto the legacy indicators. Review them against the text.`,
    }],
  };
}

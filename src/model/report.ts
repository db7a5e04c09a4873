/** TypeScript view of the canonical model `xxgk/report@1` (docs: canonical-model.md, schema: report.schema.json). */
import type { BBox } from '../layout/types.js';

export const MODEL_ID = 'xxgk/report@1';

/** `${table}.${row}.${col}`: an opaque handle, never parsed back. */
export type CellKey = string;
export type TableId = 'active' | 'applications' | 'reviewLitigation' | 'legacyIndicators';
export type TemplateId = 'gov2021' | 'gov2019' | 'legacy' | 'unknown';
export type Route = 'text' | 'html' | 'docx' | 'doc' | 'pdf-text' | 'pdf-ocr' | 'pdf-mixed' | 'image-ocr';
export type CellState = 'number' | 'blank' | 'missing' | 'illegible';
export type EvidenceSource = 'markup' | 'text-layer' | 'ocr' | 'prose' | 'manual';

export interface Evidence {
  page: number | null;
  bbox: BBox | null;
  source: EvidenceSource;
  ocrConfidence?: number;
  /** [row, col] of the generic-table cell the value was read from. */
  genericCell?: [number, number] | null;
}

export interface Alternative {
  value: number | null;
  confidence: number;
  why: string;
  /**
   * What offers it: another `split` of glued digits (reconstruction), or a value that makes failing
   * `check`s hold (the check stage, which derives these again whenever it runs).
   */
  source: 'split' | 'check';
}

/** A cell's flag: a check it is in failed (`check:<check id>`), set by the check stage. */
export type CheckFlag = `check:${string}`;

export const checkFlag = (checkId: string): CheckFlag => `check:${checkId}`;

export interface CanonicalCell {
  key: CellKey;
  row: string;
  col: string;
  rowLabel: string;
  colLabel: string;
  value: number | null;
  unit: string;
  unitSource?: 'header' | 'cell' | 'assumed';
  text: string;
  state: CellState;
  confidence: number;
  evidence: Evidence;
  flags: CheckFlag[];
  alternatives: Alternative[];
}

/** A cell as reconstruction places it, before the check stage gives it its confidence. */
export type DraftCell = Omit<CanonicalCell, 'confidence'>;

export interface CanonicalTable {
  id: TableId;
  title: string;
  found: boolean;
  page: number | null;
  genericTable: number | null;
  cells: CanonicalCell[];
}

/** A table as reconstruction builds it: its cells have no confidence yet. */
export interface DraftTable extends Omit<CanonicalTable, 'cells'> {
  cells: DraftCell[];
}

export interface CheckResult {
  id: string;
  rule: string;
  /** The check in the form's printed words (本年新收… + 上年结转… = …), for reviewers; absent in older results. */
  statement?: string;
  holds: boolean;
  lhs: number;
  rhs: number;
  cells: CellKey[];
  /** Soft checks may fail in consistent reports (legacy channels, prose); they weigh less. */
  soft?: boolean;
}

export interface GenericCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  kind: 'columnHeader' | 'rowHeader' | 'content';
  confidence: number;
  bbox: BBox | null;
  page?: number;
}

export interface GenericTable {
  index: number;
  page: number;
  bbox: BBox | null;
  rows: number;
  cols: number;
  caption: string | null;
  continuedFrom: number | null;
  cells: GenericCell[];
}

export interface Section {
  heading: string;
  text: string;
  page: number;
}

export interface Warning {
  code: string;
  message: string;
  page?: number;
  /** The cells it puts in doubt (a row whose values could not be placed, a table that could not be read): the review queue takes them, missing or not. */
  cells?: CellKey[];
}

/** Where a report field was read: the title line, the file's metadata (PDF info, <title>), a crawler's
 * header field, a labelled field printed on the page (来源：…), the running text, or another field; or
 * set by a reviewer (`manual`, as a corrected cell's evidence). */
export type MetaSource = 'title' | 'metadata' | 'header-field' | 'page-field' | 'prose' | 'derived' | 'manual';

export interface MetaEvidence {
  source: MetaSource;
  page: number | null;
  /** The text the value was read from, as printed (simplified). */
  text: string;
}

/** A report field with its confidence and evidence, like a cell's; a value not found is null at confidence 0. */
export interface MetaField<T> {
  value: T | null;
  confidence: number;
  evidence: MetaEvidence | null;
}

/** A GB/T 2260 administrative division: `code` is the deepest level named (county, else city, else province). */
export interface Division {
  code: string;
  province: string;
  city: string | null;
  county: string | null;
}

export interface Report {
  model: typeof MODEL_ID;
  id: string;
  source: {
    filename: string;
    mediaType: string;
    bytes: number;
    sha256: string;
    pages: number;
    route: Route;
    ocr: null | { engine: string; languages: string[]; pages: number[] };
  };
  report: {
    title: string | null;
    agency: string | null;
    year: number | null;
    publishedOn: string | null;
    template: TemplateId;
    templateConfidence: number;
    /** The four values above with their confidence and evidence. */
    fields: { title: MetaField<string>; agency: MetaField<string>; year: MetaField<number>; publishedOn: MetaField<string> };
    /** The agency's name normalised for grouping: one key for one agency across years and formats. */
    agencyKey: string | null;
    /** The division the agency's name starts with, when it names one that the division table identifies. */
    division: Division | null;
  };
  tables: CanonicalTable[];
  checks: CheckResult[];
  genericTables: GenericTable[];
  sections: Section[];
  summary: { cells: number; filled: number; lowConfidence: number; checksFailed: number; confidence: number };
  warnings: Warning[];
  timings: { totalMs: number; ocrMs: number };
}

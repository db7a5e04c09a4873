/**
 * What the table mappers (national forms, 表四, legacy 附表) hand the canonical builder: the form's
 * rows they found, each with its printed label and every plausible reading of its values.
 */
import type { ColumnDef, TableDef } from '../templates/forms.js';
import type { RowReading } from './fit.js';
import type { Token } from './tokens.js';

export interface MappedRow {
  key: string;
  label: string;
  labelToken: Token | null;
  labelScore: number;
  columns: ColumnDef[];
  readings: RowReading[];
  /** Rows read together from one printed line (表四): their readings are chosen as one. */
  joint?: string;
  /** Unit named by the column header (采购总金额（单位：万元）), for money columns. */
  headerUnit?: string | null;
  /**
   * The row was placed by a guess: its label matched only tolerantly and the form's structure does
   * not confirm it (it is not the row the form prints next, or its values do not fill its columns).
   */
  guess?: boolean;
}

export interface MappedTable {
  def: TableDef;
  found: boolean;
  rows: MappedRow[];
}

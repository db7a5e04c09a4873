/**
 * CSV as RFC 4180 says and Excel reads: fields quoted when they hold a comma, a quote, CR or LF
 * (quotes doubled), records ended by CRLF, UTF-8 with a byte-order mark so Excel opens Chinese text
 * correctly.
 */

export type CsvValue = string | number | boolean | null | undefined;

export const BOM = '\uFEFF';

/** One field: numbers as JavaScript prints them (non-finite → empty), null/undefined → empty. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** A whole document: the BOM (unless `bom: false`), then one CRLF-terminated record per row. */
export function toCsv(rows: Iterable<readonly CsvValue[]>, options: { bom?: boolean } = {}): string {
  let out = options.bom === false ? '' : BOM;
  for (const r of rows) out += csvRecord(r);
  return out;
}

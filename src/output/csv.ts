/**
 * CSV as RFC 4180 says and Excel reads: fields quoted when they hold a comma, a quote, CR or LF
 * (quotes doubled), records ended by CRLF, UTF-8 with a byte-order mark so Excel opens Chinese text
 * correctly. `parseCsv` reads the same back (for tests and for tools that take a dataset in).
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

/** Parses RFC 4180 text (a leading BOM is dropped; CRLF, LF or CR end records). Every field is a string. */
export function parseCsv(text: string): string[][] {
  if (text.startsWith(BOM)) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (fieldStarted || field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

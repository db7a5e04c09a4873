/**
 * Reads back the workbooks src/output/xlsx.ts writes: every sheet by name, as rows of strings (numbers
 * as written, booleans as 1/0, an absent cell as ''), so a test can hold a sheet against its CSV. Only
 * what that writer produces (inline strings, no shared-string table) is understood.
 */
import { readZip } from '../../scripts/samples/zip.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]);
}

/** `A` → 0, `AA` → 26. */
function columnIndex(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

function sheetRows(xml: string): string[][] {
  const rows: string[][] = [];
  for (const [, attrs, body] of xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/gs)) {
    const row: string[] = [];
    for (const [, ref, inner] of body.matchAll(/<c r="([A-Z]+)\d+"[^>]*>(.*?)<\/c>/gs)) {
      const text = /<t[^>]*>(.*?)<\/t>/s.exec(inner)?.[1] ?? /<v>(.*?)<\/v>/s.exec(inner)?.[1] ?? '';
      row[columnIndex(ref)] = unescape(text);
    }
    rows[Number(attrs) - 1] = Array.from(row, (v) => v ?? '');
  }
  return Array.from(rows, (r) => r ?? []);
}

/** Sheet name → its rows, in the workbook's order. */
export async function readXlsx(bytes: Buffer): Promise<Map<string, string[][]>> {
  const entries = new Map((await readZip(bytes)).map((e) => [e.name, e.data.toString('utf8')]));
  const workbook = entries.get('xl/workbook.xml') ?? '';
  const sheets = new Map<string, string[][]>();
  for (const [, name, id] of workbook.matchAll(/<sheet name="([^"]+)" sheetId="\d+" r:id="rId(\d+)"\/>/g)) {
    sheets.set(unescape(name), sheetRows(entries.get(`xl/worksheets/sheet${id}.xml`) ?? ''));
  }
  return sheets;
}

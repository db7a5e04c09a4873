/**
 * A crawler's text export opens with a header of fields about the page (标题: …, 发布时间: …,
 * 发布机构: …, 原文链接: …), often closed by a rule line before the body. The fields are what the page
 * declared about itself, not the report's text: they are handed over as printed, and the
 * reconstruction reads the title, date and agency from them (reconstruct/metadata.ts).
 */
import type { DeclaredField } from '../layout/types.js';

/** `name: value`, the name a short run of CJK characters (any crawler's field names, either script). */
const FIELD = /^\s*([\u3400-\u9fff]{2,6})\s*[:：]\s*(.*)$/;
const RULE = /^\s*[=＝\-—]{3,}\s*\S{0,4}\s*[=＝\-—]*\s*$/;
/** A header is this many fields among the first lines. */
const MIN_FIELDS = 3;
const MAX_HEADER_LINES = 16;
/** A rule this close after the last field closes the header (a note may stand between them). */
const MAX_NOTE_LINES = 2;

/** The header's fields, and the lines after it (all of them when there is none). */
export function splitCrawlHeader(lines: string[]): { declared: DeclaredField[] | null; body: string[] } {
  const fields: DeclaredField[] = [];
  let firstField = -1;
  let lastField = -1;
  for (let i = 0; i < Math.min(lines.length, MAX_HEADER_LINES); i++) {
    const m = FIELD.exec(lines[i]);
    if (m) { fields.push({ name: m[1], value: m[2].trim() }); if (firstField < 0) firstField = i; lastField = i; continue; }
    if (RULE.test(lines[i]) || i - lastField > MAX_NOTE_LINES) break;
  }
  if (fields.length < MIN_FIELDS) return { declared: null, body: lines };
  const rule = lines.slice(lastField + 1, lastField + 2 + MAX_NOTE_LINES).findIndex((l) => RULE.test(l));
  // Lines above the first field are the page's own (a report's title printed over its date and source).
  return { declared: fields, body: [...lines.slice(0, firstField), ...lines.slice(rule < 0 ? lastField + 1 : lastField + 2 + rule)] };
}

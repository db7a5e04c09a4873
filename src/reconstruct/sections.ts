/** The report's numbered sections (一、总体情况 … 六、其他需要报告的事项) with their prose. */
import type { LayoutDocument } from '../layout/types.js';
import type { Section } from '../model/report.js';
import { cleanPrinted, matchKey } from '../normalize/text.js';
import { sectionHeadingPattern as HEADING, templates } from '../templates/forms.js';
import { labelScore } from './labels.js';

const MAX_HEADING_CHARS = 40;

/** Row labels that look like headings (一、本年新收…, 四、结转下年度…). */
const ROW_LABELS = templates.gov2021.tables.flatMap((t) => t.rows.map((r) => matchKey(r.label)));

function isHeading(text: string, marked: boolean): boolean {
  const t = cleanPrinted(text);
  if (t.length > MAX_HEADING_CHARS || !(HEADING.test(t) || (marked && t.length <= 30))) return false;
  const key = matchKey(t);
  return !ROW_LABELS.some((l) => labelScore(key, l) >= 0.85);
}

export function extractSections(doc: LayoutDocument): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  for (const b of doc.blocks) {
    if (b.kind !== 'line') continue;
    if (isHeading(b.text, !!b.heading && b.heading > 1) && HEADING.test(cleanPrinted(b.text))) {
      current = { heading: cleanPrinted(b.text), text: '', page: b.page };
      sections.push(current);
    } else if (current) {
      current.text += (current.text ? '\n' : '') + b.text.trim();
    }
  }
  return sections;
}

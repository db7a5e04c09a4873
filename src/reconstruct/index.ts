/** Reconstruction: from the layout to generic tables, the template, canonical cells and metadata. */
import type { LayoutDocument } from '../layout/types.js';
import type { GenericTable, Report, Section, Warning } from '../model/report.js';
import { labelCore, matchKey } from '../normalize/text.js';
import { templates, type TemplateDef } from '../templates/forms.js';
import { buildCanonical, type CanonicalDraft } from './canonical.js';
import { genericTables } from './generic.js';
import { extractMetadata, type ReportMeta } from './metadata.js';
import { proseLegacyDraft } from './prose-legacy.js';
import { extractSections } from './sections.js';
import { detectTemplate } from './template-detect.js';
import { tokenize } from './tokens.js';

export interface Reconstruction extends CanonicalDraft {
  template: TemplateDef | null;
  report: Report['report'];
  meta: ReportMeta;
  genericTables: GenericTable[];
  sections: Section[];
}

export function reconstruct(doc: LayoutDocument): Reconstruction {
  const { tables: generic, byBlock } = genericTables(doc);
  const tokens = tokenize(doc, byBlock);
  const meta = extractMetadata(doc);
  const detection = detectTemplate(tokens, meta.year);
  let templateId = detection.template;
  let templateConfidence = detection.confidence;
  let template = templateId === 'unknown' ? null : templates[templateId];
  let draft = buildCanonical(detection.tables, template);
  // No table at all in a report from before the 2019 form: the figures its prose states, if any.
  const prose = !template && (meta.year === null || meta.year < 2019) ? proseLegacyDraft(doc) : null;
  if (prose) {
    draft = prose;
    template = templates.legacy;
    templateId = 'legacy';
    templateConfidence = 0.3;
  }
  const sections = extractSections(doc);
  const warnings = markUnreadTables(draft, sections);
  if (!template) warnings.push({ code: 'TEMPLATE_UNKNOWN', message: 'No statistical table of a known form was found in the document.' });
  return {
    ...draft,
    warnings,
    template,
    meta,
    report: {
      title: meta.title,
      agency: meta.agency,
      year: meta.year,
      publishedOn: meta.publishedOn,
      template: templateId,
      templateConfidence,
    },
    genericTables: generic,
    sections,
  };
}

/**
 * A table the form has, that the document titles in a section heading (四、政府信息公开行政复议、行政诉讼
 * 情况) but that could not be read, is not missing from the document: its cells stay `missing`, with
 * the basis `unread` (low confidence), and the warning says so instead of TABLE_NOT_FOUND.
 */
function markUnreadTables(draft: CanonicalDraft, sections: Section[]): Warning[] {
  const headings = sections.map((s) => labelCore(matchKey(s.heading)));
  const unread = new Set(draft.tables.filter((t) => !t.found && headings.some((h) => h.includes(labelCore(matchKey(t.title))))).map((t) => t.title));
  for (const t of draft.tables) {
    if (!unread.has(t.title)) continue;
    for (const c of t.cells) draft.basis.set(c.key, { labelScore: 1, placement: 1, readingShare: 1, note: 'unread' });
  }
  return [
    ...draft.warnings.filter((w) => !(w.code === 'TABLE_NOT_FOUND' && [...unread].some((u) => w.message.includes(u)))),
    ...[...unread].map((title) => ({
      code: 'TABLE_NOT_READ',
      message: `The document has a section ${title}, but its table could not be read: its cells are missing and need checking against the document.`,
    })),
  ];
}

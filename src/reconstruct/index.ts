/** Reconstruction: from the layout to generic tables, the template, canonical cells and metadata. */
import type { LayoutDocument } from '../layout/types.js';
import type { GenericTable, Report, Section, Warning } from '../model/report.js';
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
  const sections = extractSections(doc);
  let draft = buildCanonical(detection.tables, template, sections.map((s) => s.heading));
  // No table at all in a report from before the 2019 form: the figures its prose states, if any.
  const prose = !template && (meta.year === null || meta.year < 2019) ? proseLegacyDraft(doc) : null;
  if (prose) {
    draft = prose;
    template = templates.legacy;
    templateId = 'legacy';
    templateConfidence = 0.3;
  }
  const warnings = [...draft.warnings];
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
      fields: meta.fields,
      agencyKey: meta.agencyKey,
      division: meta.division,
    },
    genericTables: generic,
    sections,
  };
}


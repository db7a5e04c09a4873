/** Reconstruction: from the layout to generic tables, the template, canonical cells and metadata. */
import type { LayoutDocument } from '../layout/types.js';
import type { GenericTable, Report, Section, Warning } from '../model/report.js';
import { templates, type TemplateDef } from '../templates/forms.js';
import { buildCanonical, type CanonicalDraft } from './canonical.js';
import { genericTables } from './generic.js';
import { extractMetadata, type ReportMeta } from './metadata.js';
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
  const template = detection.template === 'unknown' ? null : templates[detection.template];
  const draft = buildCanonical(detection.tables, template);
  const warnings: Warning[] = [...draft.warnings];
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
      template: detection.template,
      templateConfidence: detection.confidence,
    },
    genericTables: generic,
    sections: extractSections(doc),
  };
}

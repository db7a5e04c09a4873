/**
 * Report title, agency, statistics year and publication date, each with a confidence and its evidence:
 * from the title line, the fields a file or page declares (发布机构：…), and, last and at low
 * confidence, the running text. An agency is a whole name or null, never a sentence fragment.
 */
import type { LayoutDocument } from '../layout/types.js';
import type { Division, MetaEvidence, MetaField, MetaSource, Report } from '../model/report.js';
import { cleanPrinted, toSimplified } from '../normalize/text.js';
import { agencyDivision, agencyKey, nameForm, nameKind, townDoubt } from './agency.js';
import { divisionNamesIn, isDivisionName } from './divisions.js';

export interface ReportMeta {
  title: string | null;
  agency: string | null;
  year: number | null;
  publishedOn: string | null;
  fields: Report['report']['fields'];
  agencyKey: string | null;
  division: Division | null;
}

/**
 * Confidence by where a value was read. Measured over the samples (every format of every labelled
 * document): title and declared fields were right on every born-digital sample; OCR misreads a
 * proper noun's character now and then with high character confidence (岩垅乡 → 岩城乡), so what OCR
 * read weighs OCR_WEIGHT as much; a title that names only its division (同心县2023年…) does not say
 * which of its bodies reports (the 人民政府 or its 办公室: 4 of 12 such samples were the office's), 0.7;
 * a guess from the running text stays under 0.5.
 */
const CONFIDENCE = {
  titleField: 0.95, titleLine: 0.9, titleGeneric: 0.5, titleMetadata: 0.7,
  agencyInTitle: 0.95, divisionInTitleNamed: 0.9, divisionInTitle: 0.7,
  agencyHeader: 0.9, agencyPage: 0.85, proseGovernment: 0.45, proseDivision: 0.3,
  yearInTitle: 0.95, yearInText: 0.6, yearFromDate: 0.4,
  dateHeader: 0.95, datePage: 0.85,
  townMended: 0.6,
};
const OCR_WEIGHT = 0.8;
/** A name whose 乡镇 its county does not have (in the division table, which may be older than the name). */
const STRANGE_TOWN_WEIGHT = 0.6;

const TITLE = /(政府)?信息公开(工作)?年度报告|信息公开.{0,6}年报/;
/** A declared field that names the page's title. */
const TITLE_FIELD = /^(标题|题名|名称|文章标题)$/;
/** A labelled field line (主题分类：…), or a table row flattened with pipes: never the title itself. */
const FIELD_LINE = /^[\u4e00-\u9fff]{2,6}\s*[:：]|\|/;
const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*年度?/;
/** Where a title's agency prefix ends: the year, or the report's kind when no year comes first. */
const AFTER_AGENCY = /(?:19|20)\d{2}\s*年|(?:政府)?信息公开|政务公开/;
const AGENCY_LABEL = '信息来源|来源|发布机构|发文机关|发布单位|发布部门';
const FIELD_AGENCY = new RegExp(`(?:${AGENCY_LABEL})[ \\t]*[:：][ \\t]*([^\\s|:：]{2,40})`);
/** A table cell that is only an agency label: its value is the next cell. */
const AGENCY_LABEL_CELL = new RegExp(`^(?:${AGENCY_LABEL})\\s*[:：]?$`);
const PUBLISHED = /(?:发布|发表|成文|生成|公开)(?:日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
/** Labelled fields are printed above the report: read them among its first blocks only. */
const FIELD_BLOCKS = 60;
const FIELD_CELLS = 200;
/** The running text searched for division names, when nothing better names the agency. */
const PROSE_NAMES_CHARS = 30_000;
/** A bare division's government as the text names it (…卫东区人民政府), with up to 10 characters before it. */
const GOVERNMENT_OF = (division: string) => new RegExp(`([\\u4e00-\\u9fff]{0,10})${division.replace(/[()]/g, '\\$&')}(人民政府|管理委员会|管委会)`, 'g');

const SEPARATOR = '\u0001';
/** A piece of the document's text, simplified, with its page and whether OCR read it. */
interface Piece { text: string; page: number; ocr: boolean }
/** A value found, before it becomes a field. */
interface Found<T> { value: T; confidence: number; evidence: MetaEvidence; ocr?: boolean }

const none = <T>(): MetaField<T> => ({ value: null, confidence: 0, evidence: null });
const field = <T>(f: Found<T> | null): MetaField<T> => (f ? { value: f.value, confidence: Math.round(f.confidence * 1000) / 1000, evidence: f.evidence } : none<T>());
const evidence = (source: MetaSource, page: number | null, text: string): MetaEvidence => ({ source, page, text });
const weigh = (confidence: number, ocr: boolean) => (ocr ? confidence * OCR_WEIGHT : confidence);

function pad(n: string): string {
  return n.padStart(2, '0');
}

/** Lines and table cells, in order, simplified (at most 200 000 characters). */
function pieces(doc: LayoutDocument): Piece[] {
  const raw: { text: string; page: number; ocr: boolean }[] = [];
  let chars = 0;
  outer: for (const b of doc.blocks) {
    for (const t of b.kind === 'line' ? [b] : b.cells) {
      raw.push({ text: t.text, page: t.page, ocr: b.source === 'ocr' });
      if ((chars += t.text.length) > 200_000) break outer;
    }
  }
  // Normalised in one go (per piece, a table of 40 000 rows took three times as long), split back at a
  // separator that is no white space and that normalising keeps.
  const texts = toSimplified(cleanPrinted(raw.map((r) => r.text.replaceAll(SEPARATOR, ' ')).join(SEPARATOR))).split(SEPARATOR);
  return raw.map((r, i) => ({ ...r, text: (texts[i] ?? '').trim() }));
}

/** The page and OCR flag of the first piece that holds `s`. */
function whereIs(all: Piece[], s: string): Piece | null {
  return all.find((p) => p.text.includes(s)) ?? null;
}

/**
 * The printed title: a line naming the report (a title split over lines, agency on one and `2024年…
 * 年度报告` on the next, is joined back). One that names a year beats one that does not (主题分类's
 * value 区政府信息公开工作年度报告 is no title); a declared title beats a printed one, and document
 * metadata, often a generic 政府信息公开工作年度报告, comes last.
 */
function findTitle(doc: LayoutDocument, declaredTitle: string | null): Found<string> | null {
  if (declaredTitle) return { value: declaredTitle, confidence: CONFIDENCE.titleField, evidence: evidence('header-field', null, declaredTitle) };
  // Table cells too: a plain text's lines may have been read as one stream of cells, title included.
  const lines = doc.blocks.slice(0, 80).flatMap((b) => (b.kind === 'line' ? [b] : b.cells.slice(0, 200)).map((t) => ({ text: cleanPrinted(t.text), page: t.page, ocr: b.source === 'ocr' })));
  let generic: Found<string> | null = null;
  for (let i = 0; i < lines.length; i++) {
    const { text, page, ocr } = lines[i];
    if (text.length < 6 || text.length > 80 || FIELD_LINE.test(text) || !TITLE.test(toSimplified(text))) continue;
    let title = text.replace(/^[#\s]+/, '');
    const previous = i > 0 ? lines[i - 1].text : null;
    const startsWithYear = /^((?:19|20)\d{2}\s*年|政府信息公开|信息公开)/.test(title);
    if (startsWithYear && previous && previous.length <= 30 && !/[。，,；;：:|]/.test(previous)) title = `${previous}${title}`;
    if (YEAR_IN_TITLE.test(title)) return { value: title, confidence: weigh(CONFIDENCE.titleLine, ocr), evidence: evidence('title', page, title), ocr };
    generic ??= { value: title, confidence: weigh(CONFIDENCE.titleGeneric, ocr), evidence: evidence('title', page, title), ocr };
  }
  const meta = cleanPrinted(doc.metaTitle ?? '');
  if (meta.length >= 6 && meta.length <= 80 && TITLE.test(toSimplified(meta)) && (!generic || YEAR_IN_TITLE.test(meta))) {
    return { value: meta, confidence: CONFIDENCE.titleMetadata, evidence: evidence('metadata', null, meta) };
  }
  return generic;
}

/** Agency names the file or page declares: crawler header fields, then labelled fields among the first blocks. */
function declaredAgencies(doc: LayoutDocument, declared: string[]): Found<string>[] {
  const out: Found<string>[] = [];
  const add = (raw: string, source: MetaSource, page: number | null, text: string, ocr: boolean) => {
    const name = nameForm(raw);
    if (nameKind(name, false)) out.push({ value: name, confidence: weigh(source === 'header-field' ? CONFIDENCE.agencyHeader : CONFIDENCE.agencyPage, ocr), evidence: evidence(source, page, text), ocr });
  };
  for (const line of declared) {
    const m = FIELD_AGENCY.exec(line);
    if (m) add(m[1], 'header-field', null, line, false);
  }
  for (const b of doc.blocks.slice(0, FIELD_BLOCKS)) {
    const ocr = b.source === 'ocr';
    if (b.kind === 'line') {
      const text = toSimplified(cleanPrinted(b.text));
      const m = FIELD_AGENCY.exec(text);
      if (m) add(m[1], 'page-field', b.page, text, ocr);
      continue;
    }
    for (const label of b.cells.slice(0, FIELD_CELLS)) {
      if (!AGENCY_LABEL_CELL.test(toSimplified(cleanPrinted(label.text)))) continue;
      const value = b.cells.find((c) => c.row === label.row && c.col === label.col + label.colSpan);
      if (value) add(value.text, 'page-field', value.page, `${cleanPrinted(label.text)}${cleanPrinted(value.text)}`, ocr);
    }
  }
  return out;
}

/**
 * A title's bare division (卫东区) named in full where the document names its government (发布机构：
 * 卫东区人民政府, 洪江市岩垅乡人民政府 in the text): a declared name first, else the text's most frequent.
 */
function governmentOf(division: string, declared: Found<string>[], all: Piece[]): Found<string> | null {
  const pattern = GOVERNMENT_OF(division);
  const own = (text: string): string[] => [...text.matchAll(pattern)].map((m) => {
    // Keep of the characters before it only the divisions it lies in (主办洪江市岩垅乡… → 洪江市岩垅乡…).
    let before = m[1];
    while (before && !isDivisionName(before)) before = before.slice(1);
    return `${before}${division}${m[2]}`;
  });
  const named = declared.find((d) => own(d.value).includes(d.value));
  if (named) return { ...named, confidence: weigh(CONFIDENCE.divisionInTitleNamed, named.ocr ?? false) };
  const counts = new Map<string, { n: number; piece: Piece }>();
  for (const p of all) for (const name of own(p.text)) counts.set(name, { n: (counts.get(name)?.n ?? 0) + 1, piece: counts.get(name)?.piece ?? p });
  const best = [...counts].sort((a, b) => b[1].n - a[1].n || b[0].length - a[0].length)[0];
  return best ? { value: best[0], confidence: weigh(CONFIDENCE.divisionInTitleNamed, best[1].piece.ocr), evidence: evidence('prose', best[1].piece.page, best[0]), ocr: best[1].piece.ocr } : null;
}

/**
 * The name a title starts with: before its year or the report's kind (信息公开…), with 关于 around it
 * and a leading year dropped (2019年某县政府信息公开…), and 人民政府 made whole where 政府信息公开 split it.
 */
function agencyInTitle(title: string): string {
  // What stands before the first CJK character or year is OCR's noise or a list mark.
  const t = nameForm(title).replace(/^[^\u3400-\u9fff\d]+/, '').replace(/^关于/, '').replace(/^(?:19|20)\d{2}年度?/, '');
  return t.split(AFTER_AGENCY)[0].replace(/关于$/, '').replace(/人民$/, '人民政府');
}

function findAgency(title: Found<string> | null, declared: Found<string>[], all: Piece[]): Found<string> | null {
  if (title) {
    const prefix = agencyInTitle(title.value);
    const kind = nameKind(prefix, true);
    const ocr = title.ocr ?? false;
    if (kind === 'agency') return { value: prefix, confidence: weigh(CONFIDENCE.agencyInTitle, ocr), evidence: title.evidence };
    if (kind === 'division') {
      const full = governmentOf(prefix, declared, all);
      // The name read twice by OCR is no surer than once: weighed once, for either reading.
      if (full) return { ...full, confidence: ocr && !full.ocr ? weigh(full.confidence, true) : full.confidence };
      return { value: prefix, confidence: weigh(CONFIDENCE.divisionInTitle, ocr), evidence: title.evidence };
    }
  }
  if (declared.length > 0) return declared[0];
  // Nothing names the agency: the division the text names most often is a guess, and says so. Of
  // divisions named as often, the lowest (a county's report names its province, rarely the reverse).
  const counts = new Map<string, number>();
  for (const name of divisionNamesIn(all.map((p) => p.text).join('\n'), PROSE_NAMES_CHARS)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const level = (name: string) => {
    const d = agencyDivision(name);
    return !d || d.county ? 3 : d.city ? 2 : 1;
  };
  const best = [...counts].sort((a, b) => b[1] - a[1] || level(b[0]) - level(a[0]))[0];
  if (!best) return null;
  const government = `${best[0]}人民政府`;
  const piece = whereIs(all, government);
  if (piece) return { value: government, confidence: weigh(CONFIDENCE.proseGovernment, piece.ocr), evidence: evidence('prose', piece.page, government) };
  const at = whereIs(all, best[0]);
  return { value: best[0], confidence: weigh(CONFIDENCE.proseDivision, at?.ocr ?? false), evidence: evidence('prose', at?.page ?? null, best[0]) };
}

/**
 * An agency whose 乡镇 its county lacks: OCR's reading is mended to the county's 乡镇 one character
 * away, if there is just one; a printed name is kept, with less confidence.
 */
function checkTown(agency: Found<string> | null): Found<string> | null {
  const doubt = agency ? townDoubt(agency.value) : null;
  if (!agency || !doubt) return agency;
  if (doubt.mended && agency.ocr) return { ...agency, value: doubt.mended, confidence: CONFIDENCE.townMended };
  return { ...agency, confidence: agency.confidence * STRANGE_TOWN_WEIGHT };
}

function findPublished(declared: string, all: Piece[]): Found<string> | null {
  const date = (m: RegExpExecArray) => {
    const [month, day] = [Number(m[2]), Number(m[3])];
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? `${m[1]}-${pad(m[2])}-${pad(m[3])}` : null;
  };
  const d = PUBLISHED.exec(declared);
  if (d && date(d)) return { value: date(d)!, confidence: CONFIDENCE.dateHeader, evidence: evidence('header-field', null, d[0]) };
  // A label and its date may be two table cells (发布日期： | 2024-01-22): searched across pieces.
  const starts: number[] = [];
  let at = 0;
  for (const p of all) {
    starts.push(at);
    at += p.text.length + 1;
  }
  for (const m of all.map((p) => p.text).join('\n').matchAll(new RegExp(PUBLISHED, 'g'))) {
    const value = date(m);
    if (!value) continue;
    let i = starts.length - 1;
    while (starts[i] > m.index) i--;
    return { value, confidence: weigh(CONFIDENCE.datePage, all[i].ocr), evidence: evidence('page-field', all[i].page, m[0].replace(/\s+/g, ' ')) };
  }
  return null;
}

function findYear(title: Found<string> | null, published: Found<string> | null, all: Piece[]): Found<number> | null {
  const ty = title ? YEAR_IN_TITLE.exec(toSimplified(title.value)) : null;
  if (title && ty && Number(ty[1]) >= 1990) {
    return { value: Number(ty[1]), confidence: weigh(CONFIDENCE.yearInTitle, title.ocr ?? false), evidence: title.evidence };
  }
  const counts = new Map<number, { n: number; piece: Piece }>();
  for (const p of all) {
    for (const m of p.text.matchAll(/((?:19|20)\d{2})\s*年/g)) {
      const y = Number(m[1]);
      if (y >= 1990 && y <= 2100) counts.set(y, { n: (counts.get(y)?.n ?? 0) + 1, piece: counts.get(y)?.piece ?? p });
    }
  }
  let best: [number, { n: number; piece: Piece }] | null = null;
  for (const entry of counts) if (!best || entry[1].n > best[1].n) best = entry;
  if (best) return { value: best[0], confidence: weigh(CONFIDENCE.yearInText, best[1].piece.ocr), evidence: evidence('prose', best[1].piece.page, `${best[0]}年`) };
  if (published) return { value: Number(published.value.slice(0, 4)) - 1, confidence: CONFIDENCE.yearFromDate, evidence: evidence('derived', published.evidence.page, published.evidence.text) };
  return null;
}

export function extractMetadata(doc: LayoutDocument): ReportMeta {
  // Fields the file declares (a crawler's header) are the page's own word: read first, by the same
  // patterns as the body. A declared report title beats a printed one.
  const fields = (doc.declared ?? []).map((f) => ({ name: toSimplified(f.name), value: cleanPrinted(f.value) }));
  const declaredLines = fields.map((f) => `${f.name}:${f.value}`);
  const declaredTitle = fields.find((f) => TITLE_FIELD.test(f.name) && TITLE.test(toSimplified(f.value)))?.value ?? null;
  const all = pieces(doc);
  const title = findTitle(doc, declaredTitle);
  const agency = checkTown(findAgency(title, declaredAgencies(doc, declaredLines), all));
  const published = findPublished(`${declaredLines.join('\n')}\n`, all);
  const year = findYear(title, published, all);
  return {
    title: title?.value ?? null,
    agency: agency?.value ?? null,
    year: year?.value ?? null,
    publishedOn: published?.value ?? null,
    fields: { title: field(title), agency: field(agency), year: field(year), publishedOn: field(published) },
    agencyKey: agency ? agencyKey(agency.value) : null,
    division: agency ? agencyDivision(agency.value) : null,
  };
}

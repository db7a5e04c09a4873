/** Report title, agency, statistics year and publication date, from the title line and page metadata. */
import type { LayoutDocument } from '../layout/types.js';
import { cleanPrinted, toSimplified } from '../normalize/text.js';

export interface ReportMeta {
  title: string | null;
  agency: string | null;
  year: number | null;
  publishedOn: string | null;
}

const TITLE = /(政府)?信息公开(工作)?年度报告|信息公开.{0,6}年报/;
/** A declared field that names the page's title. */
const TITLE_FIELD = /^(标题|题名|名称|文章标题)$/;
const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*年度?/;
const FIELD_AGENCY = /(?:信息来源|来源|发布机构|发文机关|发布单位)[ \t]*[:：][ \t]*([^\s|:：]{2,40})/;
const PUBLISHED = /(?:发布|发表|成文|生成|公开)(?:日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
/** Place and body names, for reports whose title is missing: the most frequent one names the agency. */
const ADMIN_NAME = /[\u4e00-\u9fff]{2,6}?(?:自治州|自治县|工区|新区|街道|管委会|省|市|区|县|乡|镇)/g;
const NOT_A_NAME = /^(全|本|我|各|该|辖|城|社|地|片|园|小|景|山|市区|县区|城区)/;

function pad(n: string): string {
  return n.padStart(2, '0');
}

/** Text of the document for metadata: lines and table cells, in order, simplified. */
function documentText(doc: LayoutDocument): string {
  const parts: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'line') parts.push(b.text);
    else for (const c of b.cells) parts.push(c.text);
  }
  return toSimplified(cleanPrinted(parts.join('\n').slice(0, 200_000)).replace(/ (?=\S)/g, ' ')) + '\n';
}

/** A title split over lines (agency on one, `2024年…年度报告` on the next) is joined back. */
function findTitle(doc: LayoutDocument): string | null {
  const lines = doc.blocks.slice(0, 80).filter((b) => b.kind === 'line').map((b) => cleanPrinted(b.text));
  // The printed title first: document metadata is often a generic 政府信息公开工作年度报告.
  const candidates: { text: string; previous: string | null }[] = [
    ...lines.map((text, i) => ({ text, previous: i > 0 ? lines[i - 1] : null })),
    { text: cleanPrinted(doc.metaTitle ?? ''), previous: null },
  ];
  for (const { text, previous } of candidates) {
    if (text.length < 6 || text.length > 80 || !TITLE.test(toSimplified(text))) continue;
    const title = text.replace(/^[#\s]+/, '');
    const startsWithYear = /^((?:19|20)\d{2}\s*年|政府信息公开|信息公开)/.test(title);
    if (startsWithYear && previous && previous.length <= 30 && !/[。，,；;：:]/.test(previous)) return `${previous}${title}`;
    return title;
  }
  return null;
}

function mostFrequent(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) { best = v; n = c; }
  return best;
}

export function extractMetadata(doc: LayoutDocument): ReportMeta {
  // Fields the file declares (a crawler's header) are the page's own word: read first, by the same
  // patterns as the body. A declared report title beats a printed one.
  const fields = (doc.declared ?? []).map((f) => ({ name: toSimplified(f.name), value: cleanPrinted(f.value) }));
  const declared = fields.map((f) => `${f.name}:${f.value}`).join('\n') + '\n';
  const declaredTitle = fields.find((f) => TITLE_FIELD.test(f.name) && TITLE.test(toSimplified(f.value)))?.value ?? null;
  const title = declaredTitle ?? findTitle(doc);
  const text = documentText(doc);
  const simpleTitle = title ? toSimplified(title) : null;

  const pub = PUBLISHED.exec(declared) ?? PUBLISHED.exec(text);
  const publishedOn = pub ? `${pub[1]}-${pad(pub[2])}-${pad(pub[3])}` : null;

  let year: number | null = null;
  const ty = simpleTitle ? YEAR_IN_TITLE.exec(simpleTitle) : null;
  if (ty) year = Number(ty[1]);
  else {
    const years = [...text.matchAll(/((?:19|20)\d{2})\s*年/g)].map((m) => m[1]);
    const y = mostFrequent(years);
    year = y ? Number(y) : publishedOn ? Number(publishedOn.slice(0, 4)) - 1 : null;
  }

  let agency: string | null = null;
  if (simpleTitle) {
    const prefix = simpleTitle.replace(/^关于/, '').split(YEAR_IN_TITLE)[0].trim();
    if (prefix.length >= 2 && !TITLE.test(prefix)) agency = prefix;
  }
  if (!agency) agency = (FIELD_AGENCY.exec(declared) ?? FIELD_AGENCY.exec(text))?.[1] ?? null;
  if (!agency) {
    const names = [...text.matchAll(ADMIN_NAME)].map((m) => m[0]).filter((n) => !NOT_A_NAME.test(n));
    agency = mostFrequent(names);
  }
  return { title, agency, year, publishedOn };
}

/**
 * A crawler's text export opens with a header of fields about the page (标题, 发布时间, 发布机构,
 * 原文链接 …) and a rule before the body. The fields are what the page declared about itself: the
 * title, the publishing date and agency come from them; the rest (links, local paths) is not the
 * report's text.
 */
import type { DeclaredMeta } from '../layout/types.js';

const FIELD = /^\s*(标题|標題|发布时间|發布時間|发布日期|发布机构|發布機構|文号|文號|栏目|欄目|原文链接|原文鏈接|本地目录|來源|来源)\s*[:：]\s*(.*)$/;
const RULE = /^\s*[=＝\-—]{3,}\s*(正文)?\s*[=＝\-—]*\s*$/;
/** A header is this many fields among the first lines, before the body starts. */
const MIN_FIELDS = 3;
const MAX_HEADER_LINES = 16;
const DATE = /((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;

export interface CrawlSplit {
  declared: DeclaredMeta | null;
  /** The lines after the header (all of them when there is none). */
  body: string[];
}

export function splitCrawlHeader(lines: string[]): CrawlSplit {
  const fields = new Map<string, string>();
  let end = -1;
  for (let i = 0; i < Math.min(lines.length, MAX_HEADER_LINES); i++) {
    const m = FIELD.exec(lines[i]);
    if (m) { fields.set(m[1], m[2].trim()); end = i; continue; }
    if (RULE.test(lines[i]) && fields.size > 0) { end = i; break; }
    // A note between the fields (页面链接与图片详见 links.tsv) is part of the header; prose ends it.
    if (fields.size === 0 || lines[i].length > 60) break;
    end = i;
  }
  if (fields.size < MIN_FIELDS) return { declared: null, body: lines };
  const get = (...names: string[]) => names.map((n) => fields.get(n)).find((v) => v) || undefined;
  const date = DATE.exec(get('发布时间', '發布時間', '发布日期') ?? '');
  const pad = (n: string) => n.padStart(2, '0');
  return {
    declared: {
      title: get('标题', '標題'),
      agency: get('发布机构', '發布機構', '来源', '來源'),
      publishedOn: date ? `${date[1]}-${pad(date[2])}-${pad(date[3])}` : undefined,
    },
    body: lines.slice(end + 1),
  };
}

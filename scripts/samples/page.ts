/**
 * Turns a seed text into a page: title, prose paragraphs and section headings from the seed, the
 * flattened tables replaced by form tables built from the expected JSON, plus site chrome.
 */
import * as OpenCC from 'opencc-js';
import type { Block, Expected, Page, TableModel } from './model.js';
import type { SeedSpec } from './seeds.js';
import { reportTables } from './tables.js';

const trim = (s: string) => s.replace(/^[\s\u00a0\u3000\ufeff]+|[\s\u00a0\u3000]+$/g, '');
const sectionHeading = /^[一二三四五六七八九十]{1,2}、\S/;
const squash = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, '');

export function buildPage(spec: SeedSpec, seedText: string, exp: Expected): Page {
  const toSimplified = spec.traditional ? OpenCC.Converter({ from: 'tw', to: 'cn' }) : (s: string) => s;
  const lines = seedText.split(/\r?\n/).map((raw) => trim(toSimplified(raw)).replace(/^#+\s*/, ''));

  const tables = reportTables(exp, { labels: spec.labels, headerBreaks: spec.headerBreaks });
  const titles = new Set(tables.flatMap((t) => (t.title === null ? [] : [squash(t.title)])));

  let title = spec.title;
  const blocks: Block[] = [];
  const footer: string[] = [];
  let inTables = false;
  let placeholder = -1;
  for (const line of lines) {
    if (!line) continue;
    if (inTables && spec.tables.to.test(line)) inTables = false;
    if (!inTables && placeholder < 0 && spec.tables.from.test(line)) {
      inTables = true;
      placeholder = blocks.length;
    }
    if (spec.titleLine?.test(line)) {
      title ??= line;
      continue;
    }
    if (spec.footerLines.some((re) => re.test(line))) {
      footer.push(line);
      continue;
    }
    if (spec.dropLines.some((re) => re.test(line))) continue;
    if (inTables) {
      // Inside the flattened tables only the section headings survive; the cells come from the form.
      if (titles.has(squash(line))) {
        blocks.push({ kind: 'h2', text: line });
      }
      continue;
    }
    for (const ins of spec.insertHeadings ?? []) if (ins.before.test(line)) blocks.push({ kind: 'h2', text: ins.text });
    blocks.push({ kind: sectionHeading.test(line) ? 'h2' : 'p', text: line });
  }
  if (!title) throw new Error(`${spec.id}: no title`);
  if (placeholder < 0) throw new Error(`${spec.id}: table region not found`);

  // Place each table after its section heading when the seed prints it, else at the table region
  // (with the section heading the seed lost).
  const headingOf = (t: string | null) =>
    t === null ? -1 : blocks.findIndex((b) => b.kind === 'h2' && squash(b.text) === squash(t));
  const unplaced: Block[] = [];
  const after = new Map<number, TableModel>();
  for (const { title: t, table } of tables) {
    const i = headingOf(t);
    if (i >= 0) after.set(i, table);
    else {
      if (t !== null) unplaced.push({ kind: 'h2', text: t });
      unplaced.push({ kind: 'table', table });
    }
  }
  const article: Block[] = [{ kind: 'h1', text: title }];
  blocks.forEach((b, i) => {
    if (i === placeholder) article.push(...unplaced);
    article.push(b);
    const t = after.get(i);
    if (t) article.push({ kind: 'table', table: t });
  });
  if (placeholder === blocks.length) article.push(...unplaced);

  return {
    lang: 'zh-CN',
    title,
    location: '当前位置',
    breadcrumb: ['首页', '政务公开', '年度报告'],
    tools: ['字体', '大', '中', '小', '打印本页', '关闭窗口'],
    meta: spec.meta,
    blocks: article,
    footer: footer.length ? footer : (spec.footer ?? []),
  };
}

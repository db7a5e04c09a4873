/**
 * Regenerates samples/crawled/: every HTML sample of samples/manifest.json as a site crawler saves
 * it (issue 11, "read reports as crawlers save them"). The shape is that of the real exports in
 * ../shared/fixtures/real/text/ (copied to samples/crawled/real/): an 8-line header (标题, 发布时间,
 * 文号, 发布机构, 栏目, 原文链接, 本地目录, the links.tsv note), a `==== 正文 ====` rule, then the
 * whole page body on ONE line with every tag stripped and no final newline.
 *
 *   <name>.spaced.txt   every block and cell boundary (and <br> in a cell) is one space
 *   <name>.glued.txt    table cells (and <br> in a cell) joined with nothing (`规章000行政规范性文件303`);
 *                       blocks outside the cells get one space or nothing, varied per boundary, except
 *                       that two digits are never glued across a block boundary (that would change a value)
 *   <name>.glued.json   expected values, only where they differ from the seed's (see below)
 *   manifest.json       every generated file and every real export, as the other manifests list them
 *
 * An empty cell writes nothing in either style: crawlers print no placeholder. Per file, and
 * deterministically (hash of the output name), the body starts with the page chrome (breadcrumb and
 * 索引号 box, ending with the site's 附件下载 box), with the article's title and tool line, or with
 * the article's first heading; and the header's 发布机构 is empty, the agency, or its parent government.
 * The header's URL is on example.gov.cn: the pages are generated, not crawled.
 *
 * Expected values and levels. The expected values of a crawled export are those of the document,
 * which are the seed's, as samples/perturbed/ does it (its dropped-blanks samples keep a blank the text
 * lost as null: the converter is scored against the document and its confidence must say it could not
 * know). Two things the text can no longer carry are dealt with honestly:
 * - a glued run does not delimit a cell's raw text: in `0000` (0, 0 and a cell printed `00`) the values
 *   are still all 0, but not which cell printed `00`. `texts` entries beginning or ending with a digit
 *   are dropped from a glued export's expected file (written beside it as <name>.glued.json);
 * - a blank cell vanishes in both styles, so the values of its row cannot be attributed (seed 002 prints
 *   （一）予以公开 as six blanks and a total 0: the export keeps one `0` for seven cells). The expected
 *   values stay the document's (null: blank) and the sample is level 2, the dropped-blanks level.
 * Levels (0 clean, 1 mild, 2 hard, as elsewhere): a spaced export is level 0 when no blank cell was
 * lost (every value stands between spaces in the form's order: it must convert exactly, like a
 * born-digital text); a glued export is level 1 (as samples/perturbed/*.glued.txt: the digits of a
 * row are split by the form's column counts and arithmetic, which can be ambiguous, e.g. 11|11|11 in
 * `111111`); either is level 2 when a blank cell was lost. The real exports are level 0: the spaced
 * ones are plain, and the glued ones (pingtan-czj-2021, pingtan-gaj-2022) split uniquely (one digit
 * per cell, see their notes) — they must convert exactly.
 * The manifest's route is `text-crawled`: src/eval/corpus.ts reads these as route `text` (what the
 * converter reports) and `npm run eval` reports them as a group of their own.
 *
 * Run: node --import tsx scripts/make-crawled-samples.ts   (deterministic: the same inputs give the same bytes)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import iconv from 'iconv-lite';
import * as OpenCC from 'opencc-js';
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { Expected } from '../src/eval/expected.js';

const root = join(import.meta.dirname, '..');
const samples = join(root, 'samples');
const out = join(samples, 'crawled');

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

interface ManifestEntry { file: string; seed: string; expected: string; route: string; variant: string; degradation?: number }

/** Where each seed's report would be published: a site path, the agency's parent government. */
const SITES: Record<string, { path: string; parent: string }> = {
  '000_ac416d85e5af171b': { path: 'zwgk/zfxxgk/wdq', parent: '平顶山市人民政府' },
  '001_c47c3146309e273f': { path: 'zwgk/zfxxgk/ypq/cmx', parent: '南平市延平区人民政府' },
  '002_428db422c0ca7d7e': { path: 'zwgk/zfxxgk/yhgq', parent: '南阳市人民政府' },
  '003_7d78940555e26d72': { path: 'zwgk/zfxxgk/txx/zfbgs', parent: '同心县人民政府' },
  '004_a98acada5b20935e': { path: 'zwgk/zfxxgk/hjs/ylx', parent: '洪江市人民政府' },
};

/**
 * The real exports copied from ../shared/fixtures/real/text/ (SOURCES.md there): how each separates
 * its cells. Their expected values are samples/expected/<name>.json.
 */
const REAL: Record<string, 'spaced' | 'glued'> = {
  'pingtan-czj-2009': 'spaced',
  'pingtan-gaj-2013': 'spaced',
  'pingtan-jjf-2019': 'spaced',
  'pingtan-czj-2021': 'glued',
  'pingtan-gaj-2022': 'glued',
};

/** A deterministic pseudo-random sequence seeded by a name, so the samples regenerate byte for byte. */
function random(name: string): () => number {
  let s = createHash('sha256').update(name).digest().readUInt32BE(0) % 2 ** 31;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const isElement = (n: Node): n is Element => 'tagName' in n;
const childrenOf = (n: Node): Node[] => ('childNodes' in n ? (n.childNodes as Node[]) : []);
const classOf = (el: Element) => el.attrs.find((a) => a.name === 'class')?.value.split(/\s+/) ?? [];

function find(n: Node, pred: (el: Element) => boolean): Element | undefined {
  for (const c of childrenOf(n)) {
    if (isElement(c) && pred(c)) return c;
    const hit = find(c, pred);
    if (hit) return hit;
  }
  return undefined;
}
const byClass = (n: Node, cls: string) => find(n, (el) => classOf(el).includes(cls));
const byTag = (n: Node, tag: string) => find(n, (el) => el.tagName === tag);

/** What separates a piece of text from the one before it, weakest first. */
type Sep = 'br' | 'cell' | 'block';
const strength: Record<Sep, number> = { br: 1, cell: 2, block: 3 };
interface Piece { text: string; before: Sep }

const SKIP = new Set(['head', 'script', 'style', 'noscript', 'template']);
const BLOCK = new Set(['address', 'article', 'aside', 'blockquote', 'body', 'center', 'div', 'dl', 'dt', 'dd', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'ul']);
const CELL = new Set(['tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup']);

/**
 * The text of some subtrees as a crawler strips it: runs of HTML white space are one space, and each
 * text piece records the strongest boundary (block, table cell, <br> in a cell) since the previous one.
 * A table's own start and end are block boundaries; an empty cell yields no piece at all.
 */
function pieces(roots: Node[], skip: Set<Node> = new Set()): Piece[] {
  const list: Piece[] = [];
  let text = '';
  let pending: Sep = 'block';
  let tableDepth = 0;
  const boundary = (sep: Sep) => {
    const t = text.replace(/^ +| +$/g, '');
    if (t) {
      list.push({ text: t, before: pending });
      pending = sep;
    } else if (strength[sep] > strength[pending]) pending = sep;
    text = '';
  };
  const walk = (n: Node) => {
    if (skip.has(n)) return;
    if (n.nodeName === '#text') {
      text += (n as DefaultTreeAdapterMap['textNode']).value.replace(/[ \t\n\r\f]+/g, ' ');
      return;
    }
    if (!isElement(n) || SKIP.has(n.tagName)) return;
    const tag = n.tagName;
    const sep: Sep | null = tag === 'table' ? 'block' : tableDepth > 0 ? (CELL.has(tag) ? 'cell' : tag === 'br' ? 'br' : BLOCK.has(tag) ? 'cell' : null) : BLOCK.has(tag) || tag === 'br' ? 'block' : null;
    if (sep) boundary(sep);
    if (tag === 'table') tableDepth++;
    for (const c of childrenOf(n)) walk(c);
    if (tag === 'table') tableDepth--;
    if (sep) boundary(sep);
  };
  for (const r of roots) {
    boundary('block');
    walk(r);
  }
  boundary('block');
  return list;
}

type Style = 'spaced' | 'glued';
const digitEnd = /\d$/;
const digitStart = /^\d/;

/** One line of text from the pieces, in a crawler's style. */
function oneLine(list: Piece[], style: Style, rnd: () => number): string {
  // How often a glued export keeps a space between blocks: per file, from never to mostly.
  const pSpace = [0, 0.3, 0.6][Math.floor(rnd() * 3)];
  let line = '';
  list.forEach((p, i) => {
    if (i > 0) {
      let sep = ' ';
      if (style === 'glued' && p.before !== 'block') sep = '';
      else if (style === 'glued' && !(digitEnd.test(line) && digitStart.test(p.text))) sep = rnd() < pSpace ? ' ' : '';
      line += sep;
    }
    line += p.text;
  });
  return line;
}

type Chrome = 'page' | 'article' | 'content';

interface Page { title: string; lang: string; body: string; agency: string; date: string }

function readPage(bytes: Buffer, chrome: Chrome, rnd: () => number, style: Style): Page {
  const head = bytes.subarray(0, 2048).toString('latin1');
  const charset = /charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  const doc = parse(iconv.decode(bytes, charset));
  const html = byTag(doc, 'html')!;
  const lang = html.attrs.find((a) => a.name === 'lang')?.value ?? 'zh-CN';
  const title = pieces([byTag(doc, 'title')!]).map((p) => p.text).join('');
  const wrap = byClass(doc, 'wrap');
  const article = byClass(doc, 'article');
  if (!wrap || !article) throw new Error('page without .wrap or .article');
  const meta = new Map<string, string>();
  for (const tr of pieces([byClass(doc, 'meta')!]).reduce<string[][]>((rows, p) => {
    if (p.text.endsWith('：')) rows.push([p.text.slice(0, -1)]);
    else rows.at(-1)?.push(p.text);
    return rows;
  }, [])) meta.set(tr[0], tr[1] ?? '');
  let list: Piece[];
  if (chrome === 'page') list = [...pieces([wrap]), { text: '附件下载', before: 'block' }];
  else if (chrome === 'article') list = pieces([article]);
  else list = pieces([article], new Set([byTag(article, 'h1')!, byClass(article, 'tools')!]));
  return { title, lang, body: oneLine(list, style, rnd), agency: meta.get('发布机构') ?? '', date: meta.get('发布日期') ?? '' };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The crawler's 8-line header and rule, with the body on the line after. */
function exportText(seed: string, page: Page, rnd: () => number): string {
  const site = SITES[seed];
  if (!site) throw new Error(`${seed}: no site in SITES`);
  const year = Number(/(\d{4})年/.exec(page.title)?.[1]);
  if (!year) throw new Error(`${seed}: no year in the title "${page.title}"`);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(page.date) ? page.date : `${year + 1}-${pad(1 + Math.floor(rnd() * 3))}-${pad(1 + Math.floor(rnd() * 28))}`;
  // Older pages carry 00:00 (the CMS stored dates only).
  const time = rnd() < 0.3 ? '00:00' : `${pad(8 + Math.floor(rnd() * 11))}:${pad(Math.floor(rnd() * 60))}`;
  const toPage = page.lang === 'zh-TW' ? OpenCC.Converter({ from: 'cn', to: 'tw' }) : (s: string) => s;
  const agency = page.agency || page.title.replace(/\d{4}年.*$/, '');
  const publisher = ['', agency, toPage(site.parent)][Math.floor(rnd() * 3)];
  const id = 10000 + Math.floor(rnd() * 90000);
  const ym = date.slice(0, 7).replace('-', '');
  const dir = `${site.path}/zfxxgknb/${ym}`;
  return [
    `标题: ${page.title}`,
    `发布时间: ${date} ${time}`,
    '文号: ',
    `发布机构: ${publisher}`,
    '栏目: 政府信息公开年报',
    `原文链接: https://www.example.gov.cn/${dir}/t${date.replace(/-/g, '')}_${id}.htm`,
    `本地目录: ${dir}/${id}_${page.title}`,
    '页面链接与图片详见 links.tsv(同目录)',
    '==================== 正文 ====================',
    page.body,
  ].join('\n');
}

function write(rel: string, data: string): void {
  const path = join(samples, rel);
  mkdirSync(dirname(path), { recursive: true });
  const same = existsSync(path) && readFileSync(path, 'utf8') === data;
  if (!same) writeFileSync(path, data);
  console.log(`${same ? 'unchanged' : 'wrote    '} ${relative(root, path)}  ${Buffer.byteLength(data)} B`);
}

const manifest: Required<ManifestEntry>[] = [];
const html = (JSON.parse(readFileSync(join(samples, 'manifest.json'), 'utf8')) as ManifestEntry[]).filter((m) => m.route === 'html');
const written = new Set<string>();
for (const m of html) {
  const name = m.file.replace(/^html\//, '').replace(/\.html$/, '');
  const bytes = readFileSync(join(samples, m.file));
  const exp = JSON.parse(readFileSync(join(samples, m.expected), 'utf8')) as Expected;
  const lostBlank = Object.values(exp.cells).includes(null);
  for (const style of ['spaced', 'glued'] as const) {
    const rel = `crawled/${name}.${style}.txt`;
    const rnd = random(`${name}.${style}`);
    const chrome = (['page', 'article', 'content'] as const)[Math.floor(rnd() * 3)];
    const page = readPage(bytes, chrome, rnd, style);
    const text = exportText(m.seed, page, rnd);
    if (text.split('\n').length !== 10) throw new Error(`${rel}: the body is not one line`);
    write(rel, text);
    written.add(rel);
    let expected = m.expected;
    if (style === 'glued' && exp.texts) {
      const texts = Object.fromEntries(Object.entries(exp.texts).filter(([, t]) => !digitStart.test(t) && !digitEnd.test(t)));
      if (Object.keys(texts).length !== Object.keys(exp.texts).length) {
        expected = `crawled/${name}.${style}.json`;
        const derived: Expected = { ...exp, texts: Object.keys(texts).length ? texts : undefined, source: `samples/${rel}` };
        write(expected, `${JSON.stringify(derived, null, 1)}\n`);
        written.add(expected);
      }
    }
    const degradation = lostBlank ? 2 : style === 'spaced' ? 0 : 1;
    manifest.push({ file: rel, seed: m.seed, expected, route: 'text-crawled', variant: `${m.variant}-${style}`, degradation });
    console.log(`          ${chrome}, ${page.body.length} characters, level ${degradation}${expected === m.expected ? '' : `, expected ${expected}`}`);
  }
}

// The real exports: listed when their text and expected file are in the repo.
const realDir = join(out, 'real');
for (const [name, style] of Object.entries(REAL)) {
  const rel = `crawled/real/${name}.txt`;
  if (!existsSync(join(samples, rel))) {
    console.log(`missing   samples/${rel} (copy it from ../shared/fixtures/real/text/)`);
    continue;
  }
  if (!existsSync(join(samples, 'expected', `${name}.json`))) throw new Error(`samples/expected/${name}.json is missing`);
  manifest.push({ file: rel, seed: name, expected: `expected/${name}.json`, route: 'text-crawled', variant: `real-${style}`, degradation: 0 });
}
for (const f of existsSync(realDir) ? readdirSync(realDir) : []) {
  if (!(f.replace(/\.txt$/, '') in REAL)) throw new Error(`samples/crawled/real/${f} is not listed in REAL`);
}

// Files of an earlier run that this one did not write (a derived expected file no longer needed).
for (const f of existsSync(out) ? readdirSync(out) : []) {
  if (/\.(txt|json)$/.test(f) && f !== 'manifest.json' && !written.has(`crawled/${f}`)) {
    unlinkSync(join(out, f));
    console.log(`removed   samples/crawled/${f}`);
  }
}

manifest.sort((a, b) => a.file.localeCompare(b.file));
write('crawled/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);

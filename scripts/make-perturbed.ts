/**
 * Regenerates samples/perturbed/: the gov seeds flattened the ways crawlers break them, so that
 * confidence is measured on text that can be read wrong:
 * - `glued`: every row's digits run together with no delimiter (BeautifulSoup get_text of a table);
 * - `dropped-blanks`: one cell per line, some zeros printed as blanks, and the blank lines lost, so
 *   the values of a row shift and the converter cannot know where.
 * Expected values are written beside each file. Run: node --import tsx scripts/make-perturbed.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Expected } from '../src/eval/expected.js';
import { templates, type TableDef } from '../src/templates/forms.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'samples/perturbed');
const seeds = ['000_ac416d85e5af171b', '002_428db422c0ca7d7e', '003_7d78940555e26d72', '004_a98acada5b20935e'];

const HEADERS: Record<string, string[]> = {
  applications: ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况', '自然人', '法人或其他组织', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'],
  reviewLitigation: ['行政复议', '行政诉讼', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '未经复议直接起诉', '复议后起诉', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
};

/** A deterministic pseudo-random sequence, so the samples regenerate byte for byte. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

interface Row { groups: string[]; label: string; keys: string[]; caption?: string; header?: string[] }

/**
 * The rows the expected values print, in the form's order, with the column headers of 表二's
 * sub-tables. `groups` are the merged group labels that start at this row, as a flattened table
 * prints them: once, before the group's first row.
 */
function rowsOf(table: TableDef, exp: Expected): Row[] {
  const rows: Row[] = [];
  const open = new Set<string>();
  for (const r of table.rows) {
    const cols = r.columns ?? table.columns.map((c) => c.key);
    const keys = cols.map((c) => `${table.id}.${r.key}.${c}`);
    if (!keys.some((k) => k in exp.cells)) continue;
    const header = r.columns ? ['信息内容', ...r.columns.map((c) => table.columns.find((x) => x.key === c)!.label)] : undefined;
    const groups = (r.groups ?? []).filter((g) => !open.has(g));
    for (const g of groups) open.add(g);
    rows.push({ groups, label: r.label, keys, caption: r.caption, header });
  }
  return rows;
}

const printed = (exp: Expected, key: string) => exp.texts?.[key] ?? (exp.cells[key] === null ? '' : String(exp.cells[key]));

function glued(exp: Expected): string {
  const tpl = templates[exp.template];
  const lines: string[] = [`${exp.agencyIncludes}${exp.year}年政府信息公开工作年度报告`, '二、主动公开政府信息情况'];
  let caption = '';
  for (const table of tpl.tables) {
    if (table.id === 'applications') lines.push('三、收到和处理政府信息公开申请情况', HEADERS.applications.join(''));
    if (table.id === 'reviewLitigation') {
      lines.push('四、政府信息公开行政复议、行政诉讼情况', HEADERS.reviewLitigation.join(''));
      const keys = table.rows.flatMap((r) => table.columns.map((c) => `${table.id}.${r.key}.${c.key}`));
      lines.push(keys.map((k) => printed(exp, k)).join(''));
      continue;
    }
    for (const row of rowsOf(table, exp)) {
      if (row.caption && row.caption !== caption) {
        caption = row.caption;
        lines.push(`${row.caption}${row.header!.join('')}`);
      }
      lines.push(`${row.groups.join('')}${row.label}${row.keys.map((k) => printed(exp, k)).join('')}`);
    }
  }
  lines.push('五、存在的主要问题及改进情况', '无。');
  return `${lines.join('\n')}\n`;
}

/** Some zeros become blanks (expected null), and the flattening drops blank cells. */
function droppedBlanks(exp: Expected, rnd: () => number): { text: string; expected: Expected } {
  const cells = { ...exp.cells };
  for (const [k, v] of Object.entries(cells)) if (v === 0 && k.startsWith('applications.') && rnd() < 0.15) cells[k] = null;
  const expected: Expected = { ...exp, cells, texts: undefined, failingChecks: [] };
  const tpl = templates[exp.template];
  const lines: string[] = [`${exp.agencyIncludes}${exp.year}年政府信息公开工作年度报告`];
  for (const table of tpl.tables) {
    if (table.id === 'reviewLitigation') {
      lines.push(...HEADERS.reviewLitigation);
      lines.push(...table.rows.flatMap((r) => table.columns.map((c) => printed(expected, `${table.id}.${r.key}.${c.key}`))).filter((t) => t !== ''));
      continue;
    }
    if (table.id === 'applications') lines.push(...HEADERS.applications);
    let caption = '';
    for (const row of rowsOf(table, expected)) {
      if (row.caption && row.caption !== caption) lines.push((caption = row.caption), ...row.header!);
      lines.push(...row.groups, row.label, ...row.keys.map((k) => printed(expected, k)).filter((t) => t !== ''));
    }
  }
  return { text: `${lines.join('\n\n')}\n`, expected };
}

interface Entry { file: string; seed: string; expected: string; route: 'text'; variant: string; degradation: number }
const manifest: Entry[] = [];
mkdirSync(out, { recursive: true });
seeds.forEach((seed, i) => {
  const exp = JSON.parse(readFileSync(join(root, 'samples/expected', `${seed}.json`), 'utf8')) as Expected;
  writeFileSync(join(out, `${seed}.glued.txt`), glued(exp));
  manifest.push({ file: `perturbed/${seed}.glued.txt`, seed, expected: `expected/${seed}.json`, route: 'text', variant: 'glued', degradation: 1 });
  const dropped = droppedBlanks(exp, random(i + 1));
  writeFileSync(join(out, `${seed}.dropped-blanks.txt`), dropped.text);
  writeFileSync(join(out, `${seed}.dropped-blanks.json`), `${JSON.stringify({ ...dropped.expected, source: `samples/perturbed/${seed}.dropped-blanks.txt` }, null, 1)}\n`);
  manifest.push({ file: `perturbed/${seed}.dropped-blanks.txt`, seed, expected: `perturbed/${seed}.dropped-blanks.json`, route: 'text', variant: 'dropped-blanks', degradation: 2 });
});
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const m of manifest) console.log(`wrote samples/${m.file}`);

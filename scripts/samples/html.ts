/** Renders a sample page as a government-site article page: breadcrumb, metadata box, article, footer. */
import type { Cell, Page, TableModel } from './model.js';

export type Charset = 'utf-8' | 'gbk';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cellText = (s: string) => s.split('\n').map(esc).join('<br>');

function td(c: Cell): string {
  const attrs = [c.colspan && c.colspan > 1 ? ` colspan="${c.colspan}"` : '', c.rowspan && c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''].join('');
  return `<td${attrs} align="center" valign="middle">${cellText(c.text)}</td>`;
}

function formTable(t: TableModel): string {
  const rows = t.rows.map((r) => `<tr>${r.map(td).join('')}</tr>`);
  // Pixel widths (of a 640 px table): LibreOffice's HTML import sizes the DOCX grid from them, while
  // percentages are mostly overridden by content widths (long labels squeezed, 191 wrapped as 19/1).
  const cols = t.widths ? [`<colgroup>${t.widths.map((w) => `<col width="${Math.round(w * 6.4)}">`).join('')}</colgroup>`] : [];
  return [`<table border="1" cellspacing="0" cellpadding="4" width="100%" class="xxgk-table">`, ...cols, '<tbody>', ...rows, '</tbody>', '</table>'].join('\n');
}

function metaTable(meta: [string, string][]): string {
  const rows = meta.map(([k, v]) => `<tr><td class="k">${esc(k)}：</td><td class="v">${esc(v)}</td></tr>`);
  return ['<table class="meta" border="0" cellspacing="0" cellpadding="2">', '<tbody>', ...rows, '</tbody>', '</table>'].join('\n');
}

const style = `body{margin:0;font-family:"Microsoft YaHei","SimSun","Noto Sans CJK SC",sans-serif;font-size:14px;color:#333;background:#f4f4f4}
.wrap{width:1000px;margin:0 auto;background:#fff;padding:10px 30px 30px}
.crumb{font-size:12px;color:#666;border-bottom:1px solid #ddd;padding:8px 0}
.crumb a{color:#666;text-decoration:none}
table.meta{width:100%;margin:12px 0;background:#f7f9fb;border:1px solid #e0e6ee;font-size:12px}
table.meta td.k{width:90px;text-align:right;color:#888}
h1{font-size:22px;text-align:center;color:#1a4f8b;margin:20px 0 8px}
.tools{text-align:center;font-size:12px;color:#999;margin-bottom:16px}
h2{font-size:16px;margin:18px 0 8px}
p{line-height:1.9;text-indent:2em;margin:6px 0}
table.xxgk-table{border-collapse:collapse;margin:10px 0 16px}
table.xxgk-table td{min-width:3em;border:1px solid #000;text-align:center;vertical-align:middle;font-size:13px;padding:4px}
.footer{width:1000px;margin:0 auto;text-align:center;font-size:12px;color:#666;padding:16px 30px;border-top:3px solid #1a4f8b}
.footer p{text-indent:0;margin:2px 0}`;

function tools(t: string[]): string {
  const [font, big, mid, small, print, close] = t.map(esc);
  return `<div class="tools">【${font}：<a href="#">${big}</a> <a href="#">${mid}</a> <a href="#">${small}</a>】　<a href="#">${print}</a>　<a href="#">${close}</a></div>`;
}

export function renderHtml(page: Page, charset: Charset): string {
  const head =
    charset === 'utf-8'
      ? '<meta charset="utf-8">'
      : '<meta http-equiv="Content-Type" content="text/html; charset=gbk">';
  const crumb = page.breadcrumb.map((b) => `<a href="#">${esc(b)}</a>`).join(' &gt; ');
  const body: string[] = [];
  for (const b of page.blocks) {
    if (b.kind === 'table') body.push(formTable(b.table));
    else if (b.kind === 'h1') body.push(`<h1>${esc(b.text)}</h1>`, tools(page.tools));
    else body.push(`<${b.kind}>${esc(b.text)}</${b.kind}>`);
  }
  return [
    '<!DOCTYPE html>',
    `<html lang="${page.lang}">`,
    '<head>',
    head,
    `<title>${esc(page.title)}</title>`,
    `<style>\n${style}\n</style>`,
    '</head>',
    '<body>',
    '<div class="wrap">',
    `<div class="crumb">${esc(page.location)}：${crumb}</div>`,
    metaTable(page.meta),
    '<div class="article">',
    ...body,
    '</div>',
    '</div>',
    '<div class="footer">',
    ...page.footer.map((f) => `<p>${esc(f)}</p>`),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

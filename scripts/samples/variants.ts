/** Variants of a page as real sites serve them: GBK-encoded, and traditional-character mirrors. */
import iconv from 'iconv-lite';
import * as OpenCC from 'opencc-js';
import { mapPageText, type Page } from './model.js';

/** Encode an HTML string in GBK; fails if a character has no GBK code (it would turn into "?"). */
export function encodeGbk(html: string): Buffer {
  const buf = iconv.encode(html, 'gbk');
  const back = iconv.decode(buf, 'gbk');
  if (back !== html) {
    const i = [...html].findIndex((ch, k) => ch !== [...back][k]);
    throw new Error(`character not encodable in GBK near: ${JSON.stringify([...html].slice(Math.max(0, i - 10), i + 10).join(''))}`);
  }
  return buf;
}

/**
 * A traditional-character mirror of a page: every text converted cn → tw (tables too), then the
 * prose edits (pinyin after characters, full-width digits) applied to paragraphs only.
 */
export function traditionalPage(page: Page, edits: { find: string; replace: string }[]): Page {
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const out = mapPageText(page, toTraditional);
  out.lang = 'zh-TW';
  for (const e of edits) {
    const block = out.blocks.find((b) => b.kind === 'p' && b.text.includes(e.find));
    if (!block || block.kind === 'table') throw new Error(`traditional edit: "${e.find}" not found in the prose`);
    block.text = block.text.replace(e.find, e.replace);
  }
  return out;
}

/**
 * src/extract/html.ts sets long runs of plain text aside before parse5 sees them (parse5 builds text a
 * character at a time: a 49 MB run cost seconds of GC). A page reads the same as when its runs are short:
 * the same runs cut by empty comments, which parse5 reads as the same text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractHtml } from '../src/extract/html.js';
import { defaultLimits } from '../src/intake/limits.js';

const RUN = 100_000;
/** Prose with spaces, sentence ends and a line break, `length` characters. */
const prose = (length: number, seed: string) => `${seed}年度共受理申请 12 件。\n其中 当面申请 3 件；`.repeat(Math.ceil(length / 24)).slice(0, length);
/** The same text cut every 30 000 characters by an empty comment: no run is long. */
const cut = (s: string) => s.match(/[\s\S]{1,30000}/g)!.join('<!---->');

const runs = {
  paragraph: prose(RUN, '甲'),
  cell: prose(RUN, '乙'),
  title: prose(RUN, '丙'), // in <head>, which is not read: only its parsing must not change
  fostered: prose(RUN, '丁'),
  spaced: `   \n ${prose(RUN, '戊')}  \n`,
  // After the long opening tags Word writes, and after an inline image whose data URI is itself a long run.
  word: prose(RUN, '己'),
};
const dataUri = `data:image/png;base64,${'QUFB'.repeat(RUN / 4)}`;

function page(t: (s: string) => string): Buffer {
  return Buffer.from(`<!doctype html><html><head><title>${t(runs.title)}</title></head><body>
    <p>${t(runs.paragraph)}</p>
    <table><tr><td>主动公开</td><td>${t(runs.cell)}</td></tr></table>
    <table>${t(runs.fostered)}<tr><td>12</td></tr></table>
    <pre>${t(runs.spaced)}</pre>
    <p class="MsoNormal" style="text-indent:2em;line-height:150%;mso-char-indent-count:2.0"><img src="${dataUri}">${t(runs.word)}</p>
    <p>尾段</p>
  </body></html>`);
}

test('long runs of text read as the same text cut short', () => {
  const long = extractHtml(page((s) => s), null, defaultLimits);
  const short = extractHtml(page(cut), null, defaultLimits);
  assert.deepEqual(long, short);
  const text = long.blocks.map((b) => (b.kind === 'line' ? b.text : b.cells.map((c) => c.text).join('|'))).join('\n');
  for (const seed of ['甲', '乙', '丁', '戊', '己']) assert.ok(text.split(`${seed}年度`).length > 3000, `${seed}'s run is read`);
  assert.ok(text.includes('尾段'), 'what follows a long run after a long tag is read');
});

test('a run holding a character reference or a placeholder-like character is read as parse5 reads it', () => {
  const withEntity = `<p>${prose(RUN, '甲')}&amp;${prose(RUN, '乙')}</p>`;
  const withMark = `<p>${prose(RUN, '甲')}\ufdd0${prose(RUN, '乙')}</p>`;
  for (const html of [withEntity, withMark]) {
    assert.deepEqual(extractHtml(Buffer.from(html), null, defaultLimits), extractHtml(Buffer.from(cut(html)), null, defaultLimits));
  }
});

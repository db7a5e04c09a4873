/**
 * Text normalisation for matching. The printed text is always kept as it was; these functions give
 * the forms that labels and numbers are compared in.
 */
import { createRequire } from 'node:module';
import { TRADITIONAL_CHARS, TRADITIONAL_PHRASES } from './traditional-chars.js';

const TRADITIONAL = new Set(TRADITIONAL_CHARS);
const PHRASE_START = new Set(TRADITIONAL_PHRASES.map((p) => String.fromCodePoint(p.codePointAt(0)!)));

/** Whether OpenCC's t→cn conversion could change `s`: it holds one of the characters or phrases it converts. */
function hasTraditional(s: string): boolean {
  let phraseStart = false;
  for (const c of s) {
    if (TRADITIONAL.has(c)) return true;
    phraseStart ||= PHRASE_START.has(c);
  }
  return phraseStart && TRADITIONAL_PHRASES.some((p) => s.includes(p));
}

type Convert = (s: string) => string;
/** opencc-js's declarations do not resolve under NodeNext (they would be `any`): the one call used here. */
type OpenCC = { Converter(options: { from: 't'; to: 'cn' }): Convert };

let openccT2cn: Convert | undefined;

/**
 * OpenCC builds its dictionaries when it is loaded (about 50 ms of a process's start), and most reports are
 * printed in simplified characters: it is loaded, synchronously, the first time a text needs it.
 */
function t2cn(s: string): string {
  if (!openccT2cn) openccT2cn = (createRequire(import.meta.url)('opencc-js/t2cn') as OpenCC).Converter({ from: 't', to: 'cn' });
  return openccT2cn(s);
}

/** Over-conversions that site converters make and OpenCC does not undo (templates.md §D). */
const FIXUPS: [RegExp, string][] = [[/谘/g, '咨']];

/** Pinyin injected after a CJK character by some mirror sites: 數(shù), 公(gong)開. */
const PINYIN_AFTER_CJK = /(?<=[\u3400-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]/g;

/** Unicode compatibility folding: Kangxi radicals (⼀ → 一), full-width digits and punctuation. */
export function nfkc(s: string): string {
  return s.normalize('NFKC');
}

export function stripPinyin(s: string): string {
  return s.replace(PINYIN_AFTER_CJK, '');
}

/**
 * `fn` with its results kept, for the last 50 000 distinct texts of up to 4 M characters in all: a report
 * looks the same labels up again and again, and a page that repeats its text (a crawler's save) repeats
 * whole lines.
 */
export function remembered(fn: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  let chars = 0;
  return (s) => {
    let out = cache.get(s);
    if (out === undefined) {
      out = fn(s);
      if (cache.size >= 50_000 || chars > 4_000_000) {
        cache.clear();
        chars = 0;
      }
      cache.set(s, out);
      chars += s.length + out.length;
    }
    return out;
  };
}

export const toSimplified = remembered((s) => {
  let out = hasTraditional(s) ? t2cn(s) : s;
  for (const [re, to] of FIXUPS) out = out.replace(re, to);
  return out;
});

/** Printed text made readable: NFKC, pinyin removed, runs of white space folded. Characters stay. */
export function cleanPrinted(s: string): string {
  return stripPinyin(nfkc(s)).replace(/\s+/g, ' ').trim();
}

/** Running prose as figures are read from it: simplified, all white space gone (PDF lines break anywhere). */
export function proseText(s: string): string {
  return toSimplified(stripPinyin(nfkc(s))).replace(/\s+/g, '');
}

/** Text in the form labels are compared in: simplified, no spaces, unified punctuation. */
export const matchKey = remembered((s) => {
  let t = toSimplified(stripPinyin(nfkc(s)));
  t = t
    .replace(/\s+/g, '')
    .replace(/[“”"'‘’「」『』〃]/g, '')
    .replace(/[〔【\[]/g, '(')
    .replace(/[〕】\]]/g, ')')
    .replace(/[，,]/g, ',')
    .replace(/[。]/g, ',')
    .replace(/[；;]/g, ';')
    .replace(/[：:]/g, ':')
    // Numbering as the form prints it (1. 一、), whatever converters made of it (1、 1, 一. 一,).
    .replace(/^(\d+)[、.．,]/, '$1.')
    .replace(/^([一二三四五六七八九十]+)[.．、,]/, '$1、')
    // Inside a label, ASCII exports print 、 as a comma (逾期不补正,行政机关…).
    .replace(/(?<!^[一二三四五六七八九十]+)、/g, ',');
  return t;
});

/** The label without its numbering (一、 （一） 1. 其中：), for a second, looser comparison. */
export function labelCore(key: string): string {
  return key
    .replace(/^其中[:]?/, '')
    .replace(/^[一二三四五六七八九十]+、/, '')
    .replace(/^\([一二三四五六七八九十]+\)/, '')
    .replace(/^\d+[.、),]/, '')
    .replace(/^\(\d+\)/, '');
}

export function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Dice coefficient on character bigrams: 1 for equal strings, 0 for nothing in common. */
/** `A` and `B`: the strings' bigrams when the caller keeps them (one side compared with many). */
export function similarity(a: string, b: string, A?: Map<string, number>, B?: Map<string, number>): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  A ??= bigrams(a);
  B ??= bigrams(b);
  let shared = 0;
  for (const [g, n] of A) shared += Math.min(n, B.get(g) ?? 0);
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

/**
 * Characters OCR engines read as their look-alikes (己 for 已, 末 for 未, 土 for 士 …), folded to one of
 * each pair. Only for comparing a printed label with the form's (both sides folded); never for text
 * that is kept or matched against patterns.
 */
const OCR_LOOKALIKES: [RegExp, string][] = [
  [/[己巳]/g, '已'],
  [/末/g, '未'],
  [/土/g, '士'],
  [/曰/g, '日'],
  [/[千干]/g, '于'],
  [/入/g, '人'],
];

export function ocrFold(s: string): string {
  let t = s;
  for (const [re, to] of OCR_LOOKALIKES) t = t.replace(re, to);
  return t;
}

/** Levenshtein distance between two strings, or `max + 1` as soon as it exceeds `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

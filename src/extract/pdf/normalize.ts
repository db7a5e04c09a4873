/**
 * Character normalisation for text-layer text: NFKC (folds the Kangxi radicals U+2F00–U+2FDF that
 * Chrome-made PDFs use for 一 二 人 自 …, full-width digits and punctuation), plus the CJK Radicals
 * Supplement forms that NFKC leaves alone but fonts map ordinary characters to (⻓ for 长, ⻔ for 门 …).
 */
const SUPPLEMENT: Record<string, string> = {
  '\u2e9f': '母', '\u2ea0': '民', '\u2ec4': '西', '\u2ec5': '见', '\u2ec6': '角', '\u2ec9': '贝', '\u2eca': '足', '\u2ecb': '车',
  '\u2ed1': '長', '\u2ed3': '长', '\u2ed4': '门', '\u2ed7': '雨', '\u2ed8': '青', '\u2ed9': '韦', '\u2eda': '页', '\u2edb': '风',
  '\u2edc': '飞', '\u2edd': '食', '\u2ee1': '首', '\u2ee2': '马', '\u2ee3': '骨', '\u2ee4': '鬼', '\u2ee5': '鱼', '\u2ee6': '鸟',
  '\u2ee7': '卤', '\u2ee8': '麦', '\u2ee9': '黄', '\u2eea': '黾', '\u2eec': '齐', '\u2eee': '齿', '\u2ef0': '龙', '\u2ef3': '龟',
};
const SUPPLEMENT_ANY = /[\u2e80-\u2eff]/;
const SUPPLEMENT_ALL = /[\u2e80-\u2eff]/g;

export function normalizeText(s: string): string {
  const t = s.normalize('NFKC');
  return SUPPLEMENT_ANY.test(t) ? t.replace(SUPPLEMENT_ALL, (c) => SUPPLEMENT[c] ?? c) : t;
}

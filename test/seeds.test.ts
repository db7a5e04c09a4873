/** The five seeds, through the HTTP API and the CLI, give exactly their expected values. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemaErrors } from '../src/model/validate.js';
import { convertVia, testApp } from './support/app.js';
import { assertExpected } from './support/assert-expected.js';
import { expectedFor, sample, samplesDir, seeds } from './support/fixtures.js';
import { CLI, cliConvert, run } from './support/process.js';

const { app } = testApp();

for (const seed of seeds) {
  test(`seed ${seed} converts to its expected values`, async () => {
    const report = await convertVia(app, sample(`seeds/${seed}.txt`), `${seed}.txt`, 'text/plain');
    assertExpected(report, expectedFor(seed), seed);
    assert.equal(report.source.route, 'text');
    assert.ok(report.sections.length >= 1, 'the numbered sections are found');
    for (const t of report.tables) for (const c of t.cells) assert.equal(c.evidence.source, 'markup');
  });
}

test('the CLI prints the same model for a seed', async () => {
  const seed = seeds[3];
  const report = await cliConvert(join(samplesDir, 'seeds', `${seed}.txt`));
  assert.deepEqual(schemaErrors(report), []);
  assertExpected(report, expectedFor(seed), `${seed} via the CLI`);
  assert.equal(report.report.publishedOn, '2024-01-22');
  assert.equal(report.report.title, '同心县人民政府办公室2023年政府信息公开工作年度报告');
  assert.deepEqual(report.sections.map((s) => s.heading), [
    '一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况', '五、存在的问题及改进情况', '六、其他需要报告的事项',
  ]);
});

test('the CLI says what is wrong with an unreadable file and exits non-zero', async () => {
  const f = await run([...CLI, 'convert', '/nonexistent/report.pdf']);
  assert.equal(f.code, 1);
  assert.match(f.stderr, /Cannot read \/nonexistent\/report.pdf: ENOENT/);
});

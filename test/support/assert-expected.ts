/** Asserts a conversion gives exactly a sample's expected values. */
import assert from 'node:assert/strict';
import { compare, type Expected } from '../../src/eval/expected.js';
import type { Report } from '../../src/model/report.js';

export function assertExpected(report: Report, expected: Expected, what: string): void {
  const { cells, problems } = compare(report, expected);
  const wrong = cells.filter((c) => !c.right).map((c) => `${c.key}: expected ${c.expected}, got ${c.got} (${c.state})`);
  assert.deepEqual([...problems, ...wrong], [], `${what} differs from its expected values`);
  assert.ok(cells.length >= Object.keys(expected.cells).length);
}

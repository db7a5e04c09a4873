/** The scoring code of `npm run eval`, on hand-made results with known answers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auroc, ece, metrics, reliabilityBins, type Scored } from '../src/eval/metrics.js';

const cell = (confidence: number, right: boolean): Scored => ({ confidence, right });

test('accuracy, bins and the high-confidence shares of a known set', () => {
  // 8 cells at 0.95 (7 right), 2 at 0.25 (1 right).
  const cells = [...Array.from({ length: 7 }, () => cell(0.95, true)), cell(0.95, false), cell(0.25, true), cell(0.25, false)];
  const m = metrics(cells);
  assert.equal(m.accuracy, 0.8);
  assert.equal(m.bins[9].count, 8);
  assert.equal(m.bins[9].accuracy, 7 / 8);
  assert.equal(m.bins[2].count, 2);
  assert.equal(m.bins[2].accuracy, 0.5);
  assert.equal(m.at90.count, 8);
  assert.equal(m.at90.accuracy, 7 / 8);
  assert.equal(m.at99.count, 0);
  assert.equal(m.wrongBelowHalf, 0.5);
  // ECE = 0.8·|0.875 − 0.95| + 0.2·|0.5 − 0.25| = 0.06 + 0.05
  assert.ok(Math.abs(m.ece - 0.11) < 1e-12, `ece ${m.ece}`);
});

test('AUROC: perfect ranking 1, reversed 0, ties 0.5, one class null', () => {
  assert.equal(auroc([cell(0.9, true), cell(0.8, true), cell(0.1, false)]), 1);
  assert.equal(auroc([cell(0.1, true), cell(0.9, false)]), 0);
  assert.equal(auroc([cell(0.5, true), cell(0.5, false)]), 0.5);
  // 2 right (0.9, 0.4), 2 wrong (0.6, 0.2): pairs right>wrong = (0.9>0.6, 0.9>0.2, 0.4>0.2) = 3 of 4.
  assert.equal(auroc([cell(0.9, true), cell(0.4, true), cell(0.6, false), cell(0.2, false)]), 0.75);
  assert.equal(auroc([cell(0.9, true)]), null);
});

test('a perfectly calibrated set has ECE 0; confidence 1 lands in the top bin', () => {
  const cells = [cell(1, true), cell(1, true), cell(0.5, true), cell(0.5, false)];
  assert.equal(ece(cells), 0);
  assert.equal(reliabilityBins([cell(1, true)])[9].count, 1);
});

test('calibration by histogram binning: fitted per evidence group, shrunk toward the raw estimate', async () => {
  const { calibrate, fitCalibration } = await import('../src/check/confidence.js');
  // 20 cells of one group at raw 0.85: 10 right. The bin's accuracy pulls 0.85 down to (10 + 5·0.85) / 25.
  const raw = { p: 0.85, group: 'ocr|exact|none' };
  const table = fitCalibration(Array.from({ length: 20 }, (_, i) => ({ raw, right: i < 10 })), 'test');
  assert.equal(table.groups['ocr|exact|none'][8].n, 20);
  assert.equal(calibrate(raw, table), Math.round(((10 + 5 * 0.85) / 25) * 10000) / 10000);
  // A group or bin never seen keeps its raw estimate.
  assert.equal(calibrate({ p: 0.42, group: 'ocr|exact|none' }, table), 0.42);
  assert.equal(calibrate({ p: 0.42, group: 'markup|glued|held' }, table), 0.42);
});

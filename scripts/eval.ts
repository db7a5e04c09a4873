/**
 * `npm run eval`: converts every labelled sample, scores every cell against its expected value,
 * and reports accuracy and calibration per route and degradation level (the route a sample's manifest
 * names: crawler exports are `text-crawled`, a group of their own, though the converter reads them as
 * `text`). Writes docs/accuracy.md and docs/reliability.svg. Exits 1 when a born-digital sample is not exact.
 * `--route text,html` limits the run to those routes (converter or manifest routes: `--route text`
 * includes the crawler exports, `--route text-crawled` runs them alone); `--fit` refits the
 * calibration on the train split.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus, type Sample } from '../src/eval/corpus.js';
import { compare, type CellOutcome, type Expected } from '../src/eval/expected.js';
import { metrics, type Metrics, type Scored } from '../src/eval/metrics.js';
import { reliabilitySvg } from '../src/eval/svg.js';
import { calibrate, fitCalibration, type RawConfidence } from '../src/check/confidence.js';
import { convert } from '../src/pipeline.js';

const root = join(import.meta.dirname, '..');

interface DocResult {
  sample: Sample;
  /** Raw confidence and evidence group per cell key, for fitting and re-calibrating. */
  raw: Map<string, RawConfidence>;
  cells: CellOutcome[];
  problems: string[];
  templateRight: boolean;
  error?: string;
  ms: number;
}

async function run(sample: Sample): Promise<DocResult> {
  const expected = JSON.parse(readFileSync(sample.expected, 'utf8')) as Expected;
  const t0 = performance.now();
  let raw = new Map<string, RawConfidence>();
  try {
    const report = await convert(readFileSync(sample.path), { filename: sample.path.split('/').pop(), explain: (r) => (raw = r) });
    const { cells, problems } = compare(report, expected);
    return { sample, raw, cells, problems, templateRight: report.report.template === expected.template, ms: performance.now() - t0 };
  } catch (err) {
    const cells = Object.entries(expected.cells).map(([key, v]) => ({ key, expected: v, got: null, state: 'absent' as const, confidence: 0, right: false }));
    return { sample, raw, cells, problems: [`conversion failed: ${(err as Error).message}`], templateRight: false, error: (err as Error).message, ms: performance.now() - t0 };
  }
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const num = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));

function groupRow(name: string, docs: DocResult[], m: Metrics): string {
  const exact = docs.filter((d) => d.cells.every((c) => c.right) && d.problems.length === 0).length;
  const templates = docs.filter((d) => d.templateRight).length;
  return `| ${name} | ${docs.length} | ${m.cells} | ${pct(m.accuracy)} | ${exact}/${docs.length} | ${templates}/${docs.length} | ${num(m.ece)} | ${num(m.auroc)} | ${pct(m.wrongBelowHalf)} | ${pct(m.at90.accuracy)} (${m.at90.count}) | ${pct(m.at99.accuracy)} (${m.at99.count}) |`;
}

const scored = (docs: DocResult[]): Scored[] => docs.flatMap((d) => d.cells.map((c) => ({ confidence: c.confidence, right: c.right })));

// `npm run eval -- --route text,html` limits the run to some routes (a quick look; docs are still written).
const routeArg = process.argv.indexOf('--route');
const routes = routeArg > 0 ? new Set(process.argv[routeArg + 1].split(',')) : null;
const corpus = loadCorpus(root).filter((s) => !routes || routes.has(s.route) || routes.has(s.group));
const results: DocResult[] = [];
for (const s of corpus) results.push(await run(s));

// `--fit`: fit the calibration on the train split only, write it, and score everything with it.
if (process.argv.includes('--fit')) {
  const train = results.filter((r) => r.sample.split === 'train').flatMap((r) => r.cells.filter((c) => r.raw.has(c.key)).map((c) => ({ raw: r.raw.get(c.key)!, right: c.right })));
  const table = fitCalibration(train, `train split: ${results.filter((r) => r.sample.split === 'train').length} documents, ${train.length} cells, ${new Date().toISOString().slice(0, 10)}`);
  writeFileSync(join(root, 'src/check/calibration.json'), `${JSON.stringify(table, null, 1)}\n`);
  for (const r of results) for (const c of r.cells) { const raw = r.raw.get(c.key); if (raw) c.confidence = calibrate(raw, table); }
  console.log(`calibration fitted on ${train.length} training cells: src/check/calibration.json`);
}

const groups = new Map<string, DocResult[]>();
for (const r of results) {
  const key = `${r.sample.group} · level ${r.sample.degradation}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
const header = [
  '| group | documents | cells | cell accuracy | exact documents | template right | ECE | AUROC | wrong cells < 0.5 | accuracy ≥ 0.9 (n) | accuracy ≥ 0.99 (n) |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
const groupRows = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, docs]) => groupRow(k, docs, metrics(scored(docs))));
const splitRows = (['train', 'test'] as const).map((split) => {
  const docs = results.filter((r) => r.sample.split === split);
  return groupRow(`**${split}** split`, docs, metrics(scored(docs)));
});
const overall = metrics(scored(results));
const heldOut = metrics(scored(results.filter((r) => r.sample.split === 'test')));
const wrong = results.flatMap((r) => r.cells.filter((c) => !c.right).map((c) => ({ doc: r.sample.id, ...c })));
const problems = results.flatMap((r) => r.problems.map((p) => `- ${r.sample.id}: ${p}`));

const lines = [
  '# Accuracy and calibration', '',
  `Measured by \`npm run eval\` on ${new Date().toISOString().slice(0, 10)} over ${results.length} labelled documents (${overall.cells} cells).`,
  'A cell is right when its value and state both equal the expected ones; cells the document does not print must come out `missing`.',
  'Documents are split by source (`src/eval/corpus.ts`): the train split is what the confidence model may be tuned on, the test split is held out.', '',
  '## By route and degradation level', '', ...header, ...groupRows, groupRow('**all**', results, overall), ...splitRows, '',
  '## Reliability (held-out test split)', '', '![reliability diagram](reliability.svg)', '',
  '| confidence bin | cells | mean confidence | accuracy |', '|---|---|---|---|',
  ...heldOut.bins.filter((b) => b.count).map((b) => `| ${b.lower.toFixed(1)}–${b.upper.toFixed(1)} | ${b.count} | ${b.meanConfidence.toFixed(4)} | ${b.accuracy.toFixed(4)} |`), '',
  '## Wrong cells', '',
  ...(wrong.length
    ? ['| document | key | expected | got | state | confidence |', '|---|---|---|---|---|---|', ...wrong.map((w) => `| ${w.doc} | ${w.key} | ${w.expected ?? '(not printed)'} | ${w.got ?? ''} | ${w.state} | ${w.confidence} |`)]
    : ['None.']), '',
  '## Other problems', '', ...(problems.length ? problems : ['None.']), '',
];
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs/accuracy.md'), lines.join('\n'));
writeFileSync(join(root, 'docs/reliability.svg'), reliabilitySvg(heldOut.bins, `held-out cells: ${heldOut.cells}, ECE ${heldOut.ece.toFixed(3)}`));
console.log(lines.slice(0, 8 + groupRows.length + 4).join('\n'));
console.log(`\n${wrong.length} wrong cells, ${problems.length} other problems; docs/accuracy.md written.`);

const notExact = results.filter((r) => r.sample.bornDigital && (r.problems.length || r.cells.some((c) => !c.right)));
if (notExact.length) {
  console.error(`Born-digital samples that are not exact: ${notExact.map((r) => r.sample.id).join(', ')}`);
  process.exitCode = 1;
}

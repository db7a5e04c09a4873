/** The labelled samples the evaluation runs over: the repo's samples (crawler exports included) and, when present, the real PDFs beside it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Sample {
  /** Path relative to the repo (or `shared/…` for files read from ../shared). */
  id: string;
  path: string;
  expected: string;
  seed: string;
  /** The route the converter must take (what `report.source.route` says). */
  route: string;
  /**
   * What `npm run eval` reports the sample under: the manifest's route, which may name a family of
   * inputs within one converter route (`text-crawled`: crawler exports, read by the `text` route).
   */
  group: string;
  variant: string;
  /** 0 for born-digital files and clean renderings; higher for degraded scans and perturbed text. */
  degradation: number;
  bornDigital: boolean;
  /** Calibration is fitted on `train` and reported on `test`: never the same source document. */
  split: 'train' | 'test';
}

/** One line of a samples manifest; `file` and `expected` are relative to samples/. */
interface ManifestEntry { file: string; seed: string; expected: string; route: string; variant: string; degradation?: number }

/** Source documents whose samples fit the confidence model; every other document is held out. */
export const TRAIN_SEEDS = new Set(['000_ac416d85e5af171b', '002_428db422c0ca7d7e', 'huaian-hongze-2024']);

const BORN_DIGITAL = new Set(['text', 'html', 'docx', 'doc', 'pdf-text']);

/**
 * Manifest routes that are a group of their own in the evaluation, and the converter route they take.
 * Crawler exports (samples/crawled/, scripts/make-crawled-samples.ts) are text: the real exports and
 * the spaced ones at level 0 are born-digital (they must convert exactly); glued exports (level 1) and
 * exports that lost a blank cell (level 2) are degraded text, like samples/perturbed/.
 */
const GROUP_ROUTES: Record<string, string> = { 'text-crawled': 'text' };

function fromManifest(root: string, dir: string): Sample[] {
  const file = join(root, dir, 'manifest.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as ManifestEntry[]).map((m) => {
    return sample(m.seed, join(root, 'samples', m.file), join(root, 'samples', m.expected), `samples/${m.file}`, m.route, m.variant, m.degradation ?? 0);
  });
}

function sample(seed: string, path: string, expected: string, id: string, group: string, variant: string, degradation: number): Sample {
  const route = GROUP_ROUTES[group] ?? group;
  return { id, path, expected, seed, route, group, variant, degradation, bornDigital: BORN_DIGITAL.has(route) && degradation === 0, split: TRAIN_SEEDS.has(seed) ? 'train' : 'test' };
}

export function loadCorpus(root: string): Sample[] {
  const list: Sample[] = [];
  const seeds = ['000_ac416d85e5af171b', '001_c47c3146309e273f', '002_428db422c0ca7d7e', '003_7d78940555e26d72', '004_a98acada5b20935e'];
  for (const s of seeds) list.push(sample(s, join(root, 'samples/seeds', `${s}.txt`), join(root, 'samples/expected', `${s}.json`), `samples/seeds/${s}.txt`, 'text', 'seed', 0));
  const prose = '001_c47c3146309e273f';
  list.push(sample(prose, join(root, 'samples/prose', `${prose}.prose.txt`), join(root, 'samples/expected', `${prose}.prose.json`), `samples/prose/${prose}.prose.txt`, 'text', 'prose-only', 0));
  list.push(...fromManifest(root, 'samples'));
  list.push(...fromManifest(root, 'samples/pdf'));
  list.push(...fromManifest(root, 'samples/perturbed'));
  list.push(...fromManifest(root, 'samples/layout'));
  list.push(...fromManifest(root, 'samples/scans'));
  list.push(...fromManifest(root, 'samples/crawled'));
  const real = join(root, '../shared/fixtures/real');
  for (const name of ['huaian-city-2024', 'huaian-hongze-2024']) {
    const path = join(real, `${name}.pdf`);
    if (existsSync(path)) list.push(sample(name, path, join(root, 'samples/expected', `${name}.json`), `shared/${name}.pdf`, 'pdf-text', 'real', 0));
  }
  return list;
}

/** Accuracy and calibration measures over scored cells: reliability bins, ECE, AUROC. */

export interface Scored {
  confidence: number;
  right: boolean;
}

export interface Bin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Metrics {
  cells: number;
  accuracy: number;
  bins: Bin[];
  /** Expected calibration error: |accuracy − confidence| per bin, weighted by the bin's share. */
  ece: number;
  /** Probability that a random right cell scores above a random wrong one (null without both kinds). */
  auroc: number | null;
  /** Share of wrong cells with confidence < 0.5 (null when nothing is wrong). */
  wrongBelowHalf: number | null;
  /** Accuracy of the cells at or above 0.9 and 0.99, with their counts. */
  at90: { count: number; accuracy: number | null };
  at99: { count: number; accuracy: number | null };
}

export function reliabilityBins(cells: Scored[], n = 10): Bin[] {
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ lower: i / n, upper: (i + 1) / n, count: 0, meanConfidence: 0, accuracy: 0 }));
  for (const c of cells) {
    const b = bins[Math.min(n - 1, Math.floor(c.confidence * n))];
    b.count++;
    b.meanConfidence += c.confidence;
    b.accuracy += c.right ? 1 : 0;
  }
  for (const b of bins) {
    if (b.count) {
      b.meanConfidence /= b.count;
      b.accuracy /= b.count;
    }
  }
  return bins;
}

export function ece(cells: Scored[], n = 10): number {
  if (!cells.length) return 0;
  return reliabilityBins(cells, n).reduce((s, b) => s + (b.count / cells.length) * Math.abs(b.accuracy - b.meanConfidence), 0);
}

/** AUROC by ranks (Mann–Whitney U), ties counted as half. */
export function auroc(cells: Scored[]): number | null {
  const pos = cells.filter((c) => c.right).length;
  const neg = cells.length - pos;
  if (!pos || !neg) return null;
  const sorted = [...cells].sort((a, b) => a.confidence - b.confidence);
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].confidence === sorted[i].confidence) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].right) rankSum += avgRank;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function accuracyAbove(cells: Scored[], t: number) {
  const sel = cells.filter((c) => c.confidence >= t);
  return { count: sel.length, accuracy: sel.length ? sel.filter((c) => c.right).length / sel.length : null };
}

export function metrics(cells: Scored[]): Metrics {
  const wrong = cells.filter((c) => !c.right);
  return {
    cells: cells.length,
    accuracy: cells.length ? (cells.length - wrong.length) / cells.length : 1,
    bins: reliabilityBins(cells),
    ece: ece(cells),
    auroc: auroc(cells),
    wrongBelowHalf: wrong.length ? wrong.filter((c) => c.confidence < 0.5).length / wrong.length : null,
    at90: accuracyAbove(cells, 0.9),
    at99: accuracyAbove(cells, 0.99),
  };
}

/** Small statistics and rounding over coordinates, shared by the PDF and OCR geometry. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Round to 0.01 pt: enough for layout, keeps JSON small. */
export function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Cluster sorted-or-not values: members closer than `tol` to the running mean join one cluster. */
export function clusterValues(values: readonly number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let sum = 0;
  let count = 0;
  for (const v of sorted) {
    if (count > 0 && v - sum / count > tol) {
      out.push(sum / count);
      sum = 0;
      count = 0;
    }
    sum += v;
    count++;
  }
  if (count > 0) out.push(sum / count);
  return out;
}

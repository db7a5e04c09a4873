/** A reliability diagram as a small standalone SVG: accuracy per confidence bin against the diagonal. */
import type { Bin } from './metrics.js';

export function reliabilitySvg(bins: Bin[], caption: string): string {
  const size = 320;
  const pad = 40;
  const plot = size - 2 * pad;
  const x = (v: number) => pad + v * plot;
  const y = (v: number) => size - pad - v * plot;
  const total = bins.reduce((s, b) => s + b.count, 0) || 1;
  const bars = bins.filter((b) => b.count).map((b) => {
    const w = (b.upper - b.lower) * plot;
    const opacity = (0.35 + 0.65 * Math.sqrt(b.count / total)).toFixed(2);
    return `<rect x="${x(b.lower).toFixed(1)}" y="${y(b.accuracy).toFixed(1)}" width="${(w - 2).toFixed(1)}" height="${(b.accuracy * plot).toFixed(1)}" fill="#2b6cb0" fill-opacity="${opacity}"><title>${b.lower.toFixed(1)}–${b.upper.toFixed(1)}: ${b.count} cells, mean confidence ${b.meanConfidence.toFixed(3)}, accuracy ${b.accuracy.toFixed(3)}</title></rect>`;
  });
  const ticks = [0, 0.5, 1].map((t) => `<text x="${x(t)}" y="${size - pad + 16}" text-anchor="middle">${t}</text><text x="${pad - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<rect x="${pad}" y="${pad}" width="${plot}" height="${plot}" fill="none" stroke="#999"/>
${bars.join('\n')}
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#c53030" stroke-dasharray="4 3"/>
${ticks.join('\n')}
<text x="${size / 2}" y="${size - 8}" text-anchor="middle">confidence</text>
<text x="12" y="${size / 2}" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">accuracy</text>
<text x="${size / 2}" y="${pad - 14}" text-anchor="middle">${caption}</text>
</svg>
`;
}

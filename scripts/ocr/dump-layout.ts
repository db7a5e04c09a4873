/**
 * Prints the OCR layout of an image or scanned PDF: lines and grid cells with confidences.
 * Run: node --import tsx scripts/ocr/dump-layout.ts FILE [--pdf-pages 1,2]
 */
import { readFileSync } from 'node:fs';
import { defaultLimits } from '../../src/intake/limits.js';
import { extractImage } from '../../src/extract/image.js';
import { closeOcrPool } from '../../src/extract/ocr/pool.js';
import type { LayoutDocument } from '../../src/layout/types.js';

const file = process.argv[2];
const bytes = readFileSync(file);
try {
  const t0 = performance.now();
  let doc: LayoutDocument;
  if (file.endsWith('.pdf')) {
    const { ocrPages } = await import('../../src/extract/pdf/render.js');
    const res = await ocrPages(bytes, [], defaultLimits);
    doc = { pages: [], blocks: res.pages.flatMap((p) => p.blocks.map((b) => ('grid' in b ? b.grid : b))), warnings: res.pages.flatMap((p) => p.warnings) };
  } else {
    doc = await extractImage(bytes, defaultLimits);
  }
  console.log(`ms ${Math.round(performance.now() - t0)} pages ${doc.pages.length}`, JSON.stringify(doc.warnings));
  for (const b of doc.blocks) {
    if (b.kind === 'line') console.log(`L p${b.page} ${b.confidence.toFixed(2)} ${b.text}`);
    else {
      console.log(`GRID p${b.page} ${b.rows}x${b.cols} cont=${b.continuedFrom}`);
      for (const c of b.cells) console.log(`   [${c.row},${c.col} ${c.rowSpan}x${c.colSpan}] ${c.confidence.toFixed(2)} ${JSON.stringify(c.text)}`);
    }
  }
} finally {
  await closeOcrPool();
}

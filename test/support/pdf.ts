/** Small PDFs written by hand, for the PDF tests (errors, JavaScript, huge images, merges). */

/** A PDF from object bodies (object i + 1 = objs[i]); ASCII only, so string length = byte length. */
export function buildPdf(objs: string[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

export function stream(content: string): string {
  return `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
}

/**
 * A document of A4 pages with the given content streams; Helvetica as /F1 (objects 4… are `extraObjs`,
 * object 4 is the page's /Im1); `fonts` replaces the page's font dictionary entries.
 */
export function docWithPages(contents: string[], catalogExtra = '', extraObjs: string[] = [], fonts = '/F1 3 0 R'): Uint8Array {
  const n = contents.length;
  const first = 4 + extraObjs.length;
  const kids = contents.map((_, i) => `${first + 2 * i} 0 R`).join(' ');
  const objs = [
    `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`,
    `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...extraObjs,
  ];
  contents.forEach((c, i) => {
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << ${fonts} >> /XObject << /Im1 4 0 R >> >> /Contents ${first + 2 * i + 1} 0 R >>`);
    objs.push(stream(c));
  });
  return buildPdf(objs);
}

export function text(x: number, y: number, s: string, size = 10, font = 'F1'): string {
  return `BT /${font} ${size} Tf ${x} ${y} Td (${s}) Tj ET\n`;
}

/** A ToUnicode CMap stream mapping single-byte codes to the given UTF-16 hex values. */
export function toUnicode(map: [number, string][]): string {
  const lines = map.map(([code, uni]) => `<${code.toString(16).padStart(2, '0')}> <${uni}>`).join('\n');
  return stream(
    `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Test-UCS def\n/CMapType 2 def\n` +
      `1 begincodespacerange\n<00> <FF>\nendcodespacerange\n${map.length} beginbfchar\n${lines}\nendbfchar\n` +
      `endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`,
  );
}

/** Upper-case letters A–Z mapped to consecutive code points from `base` (hex). */
export function lettersTo(base: number): [number, string][] {
  return Array.from({ length: 26 }, (_, i) => [0x41 + i, (base + i).toString(16).padStart(4, '0')] as [number, string]);
}

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A ruled table: column edges `xs`, row edges from `top` down by `h`, texts per row (PDF coordinates). */
export function ruledTable(xs: number[], top: number, h: number, rows: string[][]): string {
  let s = '0.5 w\n';
  const bottom = top - h * rows.length;
  for (let r = 0; r <= rows.length; r++) s += `${xs[0]} ${top - r * h} m ${xs[xs.length - 1]} ${top - r * h} l S\n`;
  for (const x of xs) s += `${x} ${top} m ${x} ${bottom} l S\n`;
  rows.forEach((row, r) => row.forEach((t, c) => (s += text(xs[c] + 4, top - r * h - h + 6, t))));
  return s;
}

/**
 * One pass over a page's operator list (pdf.js 5): ruling lines, text glyphs and image placements.
 *
 * Text is positioned here rather than taken from getTextContent: that call loses vertical text drawn
 * under a flipped text matrix (WPS writes `三、本年度办理结果` down a narrow cell that way and pdf.js
 * keeps only `三、本`) and costs a second parse of the content stream. Showing text is show-text.ts,
 * painting paths path-marks.ts, the other operators' handlers operator-scan.ts.
 */
import type { Matrix } from './geometry.js';
import { OperatorScan } from './operator-scan.js';
import type { FontInfo, OpsTable, PageScan } from './scan-state.js';

export type { FontInfo, OpsTable, PageScan } from './scan-state.js';

/**
 * `viewport` maps PDF user space to top-left page points; `fontOf` resolves a font id from `setFont`.
 * One switch hands each operator to its handler (no per-operator lookup or closure: this is the hot loop
 * of PDF extraction); operators the scan does not need fall through to the image check.
 */
export function scanPage(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, OPS: OpsTable, viewport: Matrix, fontOf: (id: string) => FontInfo | null): PageScan {
  const s = new OperatorScan(OPS, viewport, fontOf);
  for (let i = 0, n = fnArray.length; i < n; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      // Graphics state, forms and transparency groups.
      case OPS.save: s.save(); break;
      case OPS.restore: s.restore(); break;
      case OPS.transform: s.transform(args); break;
      case OPS.paintFormXObjectBegin: s.beginForm(args); break;
      case OPS.paintFormXObjectEnd: s.restore(); break;
      case OPS.beginGroup: s.beginGroup(); break;
      case OPS.endGroup: s.restore(); break;
      // Paint: colour and opacity.
      case OPS.setStrokeRGBColor: s.setStrokeRGB(args?.[0]); break;
      case OPS.setFillRGBColor: s.setFillRGB(args?.[0]); break;
      case OPS.setStrokeColorN:
      case OPS.setStrokeColorSpace: s.setStrokeOther(); break;
      case OPS.setFillColorN:
      case OPS.setFillColorSpace: s.setFillOther(); break;
      case OPS.setGState: s.setGState(args?.[0]); break;
      // Text objects and text state.
      case OPS.beginText: s.beginText(); break;
      case OPS.endText: s.endText(); break;
      case OPS.setFont: s.setFont(args?.[0], args?.[1]); break;
      case OPS.setCharSpacing: s.setCharSpacing(args?.[0]); break;
      case OPS.setWordSpacing: s.setWordSpacing(args?.[0]); break;
      case OPS.setHScale: s.setHScale(args?.[0]); break;
      case OPS.setLeading: s.setLeading(args?.[0]); break;
      case OPS.setTextRenderingMode: s.setRenderMode(args?.[0]); break;
      case OPS.setTextRise: s.setRise(args?.[0]); break;
      // Text positioning and showing.
      case OPS.setTextMatrix: s.setTextMatrix(args?.[0]); break;
      case OPS.moveText: s.moveText(args); break;
      case OPS.setLeadingMoveText: s.setLeadingMoveText(args); break;
      case OPS.nextLine: s.nextLine(); break;
      case OPS.showText:
      case OPS.showSpacedText: s.show(args?.[0]); break;
      // Paths and images.
      case OPS.constructPath: s.constructPath(args); break;
      default: if (s.imageOps.has(fn)) s.placeImage();
    }
  }
  return s.finish();
}

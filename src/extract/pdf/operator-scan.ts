/** The handlers of a page's operator scan (scan.ts): the state between operators and what each operator does to it. */
import { apply, IDENTITY, multiply, type Matrix } from './geometry.js';
import { joinSegments } from './rules.js';
import { paintPath, tracePath } from './path-marks.js';
import { emptyMarks, initialState, type FontInfo, type Marks, type OpsTable, type PageScan, type State } from './scan-state.js';
import { showText } from './show-text.js';
import { TextCollector } from './text-runs.js';

/** The scan's state between operators and the handlers that change it, one per operator or group. */
export class OperatorScan {
  private st: State = initialState();
  private readonly stack: State[] = [];
  private readonly marks: Marks = emptyMarks();
  private readonly text = new TextCollector();
  private readonly strokeOps: Set<number>;
  private readonly fillOps: Set<number>;
  private readonly endPath: number;
  readonly imageOps: Set<number>;

  constructor(OPS: OpsTable, private readonly viewport: Matrix, private readonly fontOf: (id: string) => FontInfo | null) {
    this.strokeOps = new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
    this.fillOps = new Set([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
    this.imageOps = new Set(
      [OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat, OPS.paintInlineImageXObjectGroup, OPS.paintImageMaskXObjectGroup, OPS.paintSolidColorImageMask].filter(
        (x) => x !== undefined,
      ),
    );
    this.endPath = OPS.endPath;
  }

  // q, and the start of a form XObject or transparency group, save the state; Q and their ends restore it.
  save(): void {
    this.stack.push(this.st);
    this.st = { ...this.st };
  }

  restore(): void {
    this.st = this.stack.pop() ?? this.st;
  }

  transform(args: unknown): void {
    const m = toMatrix(args);
    if (m) this.st.ctm = multiply(this.st.ctm, m);
  }

  /** A form XObject draws in its own state, under its matrix. */
  beginForm(args: unknown[] | null): void {
    this.save();
    this.transform(args?.[0]);
  }

  /** A transparency group starts with opaque paint and is composited at the alpha current now. */
  beginGroup(): void {
    const st = this.st;
    this.stack.push(st);
    this.st = { ...st, groupAlpha: st.groupAlpha * st.fillAlpha, fillAlpha: 1, strokeAlpha: 1 };
  }

  setStrokeRGB(color: unknown): void {
    this.st.strokeWhite = isWhite(color);
    this.st.strokeLum = luminance(color);
  }

  setFillRGB(color: unknown): void {
    this.st.fillWhite = isWhite(color);
    this.st.fillLum = luminance(color);
  }

  /** A colour space or a pattern/ICC colour: counted as black, the safe side for rules and faint text. */
  setStrokeOther(): void {
    this.st.strokeWhite = false;
    this.st.strokeLum = 0;
  }

  setFillOther(): void {
    this.st.fillWhite = false;
    this.st.fillLum = 0;
  }

  /** pdf.js passes the ExtGState as [key, value] pairs; only the opacities matter here. */
  setGState(entries: unknown): void {
    if (!Array.isArray(entries)) return;
    for (const e of entries) {
      if (!Array.isArray(e) || typeof e[1] !== 'number' || !Number.isFinite(e[1])) continue;
      if (e[0] === 'ca') this.st.fillAlpha = Math.min(1, Math.max(0, e[1]));
      else if (e[0] === 'CA') this.st.strokeAlpha = Math.min(1, Math.max(0, e[1]));
    }
  }

  beginText(): void {
    const st = this.st;
    st.textMatrix = IDENTITY;
    st.x = st.y = st.lineX = st.lineY = 0;
    this.text.gap();
  }

  endText(): void {
    this.text.gap();
  }

  /** A negative size mirrors the glyphs: kept as the font direction, the size made positive. */
  setFont(id: unknown, sizeArg: unknown): void {
    const st = this.st;
    let size = typeof sizeArg === 'number' ? sizeArg : 0;
    st.font = typeof id === 'string' ? this.fontOf(id) : null;
    st.fontDirection = size < 0 ? -1 : 1;
    if (size < 0) size = -size;
    st.fontSize = size;
  }

  setCharSpacing(v: unknown): void {
    if (typeof v === 'number') this.st.charSpacing = v;
  }

  setWordSpacing(v: unknown): void {
    if (typeof v === 'number') this.st.wordSpacing = v;
  }

  /** Tz is a percentage. */
  setHScale(v: unknown): void {
    if (typeof v === 'number') this.st.hScale = v / 100;
  }

  /** TL is kept as the y move of T*, which goes down. */
  setLeading(v: unknown): void {
    if (typeof v === 'number') this.st.leading = -v;
  }

  setRenderMode(v: unknown): void {
    if (typeof v === 'number') this.st.renderMode = v;
  }

  setRise(v: unknown): void {
    if (typeof v === 'number') this.st.rise = v;
  }

  setTextMatrix(m: unknown): void {
    const st = this.st;
    const tm = toMatrix(m);
    if (tm) st.textMatrix = tm;
    st.x = st.y = st.lineX = st.lineY = 0;
  }

  /** Td: the start of the next line, relative to the start of this one. */
  moveText(args: unknown[] | null): void {
    if (args && typeof args[0] === 'number' && typeof args[1] === 'number') this.moveLine(args[0], args[1]);
  }

  /** TD: Td that also sets the leading. */
  setLeadingMoveText(args: unknown[] | null): void {
    if (args && typeof args[0] === 'number' && typeof args[1] === 'number') {
      this.st.leading = args[1];
      this.moveLine(args[0], args[1]);
    }
  }

  /** T*: down by the leading. */
  nextLine(): void {
    this.moveLine(0, this.st.leading);
  }

  private moveLine(x: number, y: number): void {
    const st = this.st;
    st.x = st.lineX += x;
    st.y = st.lineY += y;
  }

  show(glyphs: unknown): void {
    if (Array.isArray(glyphs)) showText(this.st, glyphs as unknown[], this.viewport, this.text, this.marks);
  }

  /** pdf.js's constructPath: [paint operator, [path buffer], …]; only stroked or filled paths mark the page. */
  constructPath(args: unknown[] | null): void {
    if (!args) return;
    const paint = args[0] as number;
    const buf = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | null | undefined;
    if (!buf || paint === this.endPath) return;
    const stroke = this.strokeOps.has(paint);
    const fill = this.fillOps.has(paint);
    if (!stroke && !fill) return;
    paintPath(tracePath(buf, multiply(this.viewport, this.st.ctm)), stroke, fill, this.st, this.marks);
  }

  /** An image fills the unit square of the current matrix: its page box's area counts as image cover. */
  placeImage(): void {
    const m = multiply(this.viewport, this.st.ctm);
    const c = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
    const xs = c.map((q) => q[0]);
    const ys = c.map((q) => q[1]);
    this.marks.imageArea += (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
  }

  finish(): PageScan {
    this.text.flush();
    const marks = this.marks;
    return {
      items: this.text.items,
      hLines: joinSegments(marks.hs),
      vLines: joinSegments(marks.vs),
      imageArea: marks.imageArea,
      curveFills: marks.curveFills,
      invisibleGlyphs: marks.invisibleGlyphs,
      fills: marks.fills,
    };
  }
}

function isWhite(color: unknown): boolean {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return false;
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  return r >= 235 && g >= 235 && b >= 235;
}

/** Luminance (0 black … 1 white) of a pdf.js `#rrggbb` colour; anything else counts as black. */
function luminance(color: unknown): number {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return 0;
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

function toMatrix(m: unknown): Matrix | null {
  if (!m || (!Array.isArray(m) && !ArrayBuffer.isView(m))) return null;
  const a = Array.from(m as ArrayLike<number>);
  return a.length >= 6 && a.every((v) => Number.isFinite(v)) ? (a.slice(0, 6) as Matrix) : null;
}

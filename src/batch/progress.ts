/**
 * Batch progress: on a terminal, one bar redrawn in place (`\r`) with done/total, failures, rate and
 * ETA, messages printed above it; otherwise plain lines (one per file for small batches, one every
 * N files for large ones, failures always), so logs stay readable.
 */

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type Outcome =
  | { kind: 'ok'; detail?: string }
  | { kind: 'failed'; code: string; message: string };

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Terminal columns a character takes: 2 for CJK and other wide characters, 1 otherwise. */
function charWidth(cp: number): number {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd)
    ? 2
    : 1;
}

/** Cuts `text` to at most `width` terminal columns, ending with … when cut. */
export function fitWidth(text: string, width: number): string {
  let used = 0;
  let out = '';
  const chars = [...text];
  const total = chars.reduce((w, ch) => w + charWidth(ch.codePointAt(0)!), 0);
  if (total <= width) return text;
  for (const ch of chars) {
    const w = charWidth(ch.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

export class Progress {
  private done = 0;
  private failed = 0;
  private readonly active = new Set<string>();
  private readonly started = performance.now();
  private lastDraw = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly tty: boolean;
  private readonly every: number;
  private drawn = false;

  constructor(
    private readonly out: ProgressSink,
    private readonly total: number,
    options: { every?: number; now?: () => number } = {},
  ) {
    this.tty = !!out.isTTY;
    this.every = Math.max(1, options.every ?? (total <= 200 ? 1 : Math.ceil(total / 100)));
    if (this.tty && total > 0) {
      this.timer = setInterval(() => this.draw(true), 1000);
      this.timer.unref();
      this.draw(true);
    }
  }

  get counts(): { done: number; failed: number; total: number } {
    return { done: this.done, failed: this.failed, total: this.total };
  }

  /** Files per second over the conversions so far. */
  rate(): number {
    const secs = (performance.now() - this.started) / 1000;
    return secs > 0 ? this.done / secs : 0;
  }

  eta(): number {
    const r = this.rate();
    return r > 0 ? (this.total - this.done) / r : NaN;
  }

  start(file: string): void {
    this.active.add(file);
    if (this.tty) this.draw(false);
  }

  finishFile(file: string, outcome: Outcome, seconds?: number): void {
    this.active.delete(file);
    this.done++;
    const pos = `[${String(this.done).padStart(String(this.total).length)}/${this.total}]`;
    const took = seconds === undefined ? '' : `  ${seconds.toFixed(1)} s`;
    if (outcome.kind === 'failed') {
      this.failed++;
      this.message(`${pos} FAILED ${file}  ${outcome.code}: ${outcome.message}`);
    } else if (!this.tty) {
      if (this.every === 1) this.out.write(`${pos} ok     ${file}${outcome.detail ? `  ${outcome.detail}` : ''}${took}\n`);
      else if (this.done % this.every === 0 || this.done === this.total) this.out.write(`${pos} ${this.stats()}\n`);
    }
    if (this.tty) this.draw(this.done === this.total);
  }

  /** A line of its own (above the bar on a terminal). */
  message(line: string): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
    this.out.write(line + '\n');
    this.drawn = false;
    if (this.tty && this.timer) this.draw(true);
  }

  /** Stops redrawing and leaves the cursor on a fresh line. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty && this.drawn) {
      this.draw(true);
      this.out.write('\n');
      this.drawn = false;
    }
  }

  private stats(): string {
    return `failed ${this.failed}  ${this.rate().toFixed(1)} files/s  ETA ${formatDuration(this.eta())}`;
  }

  /** The bar line (exported for tests through `render`). */
  render(width = this.out.columns || 80): string {
    const pct = this.total ? this.done / this.total : 1;
    const barWidth = Math.max(10, Math.min(30, width - 70));
    const full = Math.round(pct * barWidth);
    const bar = '█'.repeat(full) + '░'.repeat(barWidth - full);
    const current = [...this.active][0] ?? '';
    const line = `[${bar}] ${this.done}/${this.total} ${String(Math.floor(pct * 100)).padStart(3)}%  ${this.stats()}${current ? `  ${current}` : ''}`;
    return fitWidth(line, Math.max(20, width - 1));
  }

  private draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.out.write(`\r${this.render()}\x1b[K`);
    this.drawn = true;
  }
}

/**
 * A set of engines of one kind, started on first use, each reading one crop at a time: a small queue
 * hands each crop to a free engine, so memory stays bounded by the number of engines.
 */
import { ConvertError } from '../../intake/errors.js';
import type { Crop, OcrEngine, ReadHint, Recognition } from './engine.js';

export class EngineSet {
  private free: OcrEngine[] = [];
  private waiting: ((e: OcrEngine) => void)[] = [];
  private all: OcrEngine[] = [];
  private starting: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private busy = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private desc: { name: string; languages: string[] } | null = null;
  /**
   * `idleMs`: stop the engines after this long without work (tesseract.js worker threads would
   * otherwise keep a command-line process alive); they start again on the next job.
   */
  constructor(private make: () => Promise<OcrEngine>, private size: number, private idleMs: number | null = null) {}

  private start(): Promise<void> {
    this.starting ??= (async () => {
      // One at a time: each start reads model files and allocates; keeps the peak low.
      for (let i = 0; i < this.size; i++) {
        const e = await this.make();
        this.desc = { name: e.name, languages: e.languages };
        this.all.push(e);
        this.release(e);
      }
    })().catch((err: unknown) => {
      this.starting = null;
      if (this.all.length > 0) return; // fewer engines than asked for still work
      throw new ConvertError('OCR_UNAVAILABLE', 503, `The OCR engine could not start (${(err as Error)?.message ?? err}). Check the OCR packages of the installation.`);
    });
    return this.starting;
  }

  private release(e: OcrEngine): void {
    const w = this.waiting.shift();
    if (w) w(e);
    else this.free.push(e);
  }

  async run(crop: Crop, hint: ReadHint): Promise<Recognition> {
    this.busy++;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    try {
      if (this.closing) await this.closing;
      await this.start();
      const e = this.free.pop() ?? (await new Promise<OcrEngine>((res) => this.waiting.push(res)));
      try {
        return await e.recognize(crop, hint);
      } finally {
        this.release(e);
      }
    } finally {
      this.busy--;
      if (this.busy === 0 && this.idleMs !== null) {
        this.idleTimer = setTimeout(() => {
          this.idleTimer = null;
          if (this.busy === 0) void this.close();
        }, this.idleMs);
      }
    }
  }

  /** The engine this set ran (kept after an idle stop). */
  describe(): { name: string; languages: string[] } | null {
    return this.desc;
  }

  close(): Promise<void> {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.closing ??= (async () => {
      if (this.starting) await this.starting.catch(() => {});
      const engines = this.all;
      this.all = [];
      this.free = [];
      this.starting = null;
      await Promise.all(engines.map((e) => e.close().catch(() => {})));
    })().finally(() => {
      this.closing = null;
    });
    return this.closing;
  }
}

/**
 * Engines start once per process and are reused. Paddle runs one onnxruntime session per core (each
 * single-threaded; inference runs on onnxruntime's native threads, off the JavaScript thread), and
 * tesseract.js runs in worker threads behind a tesseract.js scheduler, started on first use. A small
 * queue hands each crop to a free engine, so memory stays bounded by the number of engines.
 */
import os from 'node:os';
import { ConvertError } from '../../intake/errors.js';
import { isMainThread } from 'node:worker_threads';
import type { Crop, OcrEngine, ReadHint, Recognition } from './engine.js';
import { PaddleWorkerEngine } from './paddle.js';
import { TesseractEngine } from './tesseract.js';

export type EngineName = 'paddle' | 'tesseract';

/** tesseract.js workers stop after this long idle (they would keep a CLI process from exiting). */
const TESSERACT_IDLE_MS = 3000;

export interface PoolOptions {
  /** Sessions / workers per engine (default: cores, at most 2). */
  size?: number;
  /** Primary engine (default paddle; XXGK_OCR_ENGINE). */
  primary?: EngineName;
}

class EngineSet {
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

export class OcrPool {
  readonly size: number;
  readonly primary: EngineName;
  private sets: Record<string, EngineSet> = {};

  constructor(options: PoolOptions = {}) {
    // Inside a conversion worker thread (the service runs one per core) one engine of each kind is
    // enough; a process converting on its main thread (CLI, scripts) uses the cores itself.
    const env = Number(process.env.XXGK_OCR_THREADS);
    const cores = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
    this.size = options.size ?? (Number.isFinite(env) && env >= 1 ? Math.floor(env) : isMainThread ? cores : 1);
    this.primary = options.primary ?? (process.env.XXGK_OCR_ENGINE === 'tesseract' ? 'tesseract' : 'paddle');
  }

  private set(key: string): EngineSet {
    let s = this.sets[key];
    if (!s) {
      const size = this.size;
      switch (key) {
        case 'paddle':
          s = new EngineSet(() => PaddleWorkerEngine.create({ threads: 1 }), size);
          break;
        case 'tesseract-digits':
          s = new EngineSet(() => TesseractEngine.create({ languages: ['eng'] }), size, TESSERACT_IDLE_MS);
          break;
        default:
          s = new EngineSet(() => TesseractEngine.create({ languages: ['chi_sim', 'chi_tra', 'eng'] }), size, TESSERACT_IDLE_MS);
      }
      this.sets[key] = s;
    }
    return s;
  }

  /** Reads a crop with the named engine (default: the primary one). */
  /** Reads and input pixels per engine (for benchmarks). */
  readonly stats: Record<string, { reads: number; pixels: number; ms: number }> = {};

  read(crop: Crop, hint: ReadHint, engine: EngineName = this.primary): Promise<Recognition> {
    const key = engine === 'paddle' ? 'paddle' : `tesseract-${hint}`;
    const st = (this.stats[key] ??= { reads: 0, pixels: 0, ms: 0 });
    st.reads++;
    st.pixels += crop.width * crop.height;
    const t0 = performance.now();
    return this.dispatch(crop, hint, engine).finally(() => (st.ms += performance.now() - t0));
  }

  private dispatch(crop: Crop, hint: ReadHint, engine: EngineName): Promise<Recognition> {
    if (engine === 'paddle') return this.set('paddle').run(crop, hint);
    if (hint === 'number') return this.set('tesseract-digits').run(crop, hint);
    return this.set('tesseract').run(crop, hint);
  }

  /** The engines that actually read something, for LayoutDocument.ocr. */
  used(): { engine: string; languages: string[] } {
    const names: string[] = [];
    const langs = new Set<string>();
    for (const s of Object.values(this.sets)) {
      const d = s.describe();
      if (!d) continue;
      if (!names.includes(d.name)) names.push(d.name);
      d.languages.forEach((l) => langs.add(l));
    }
    return { engine: names.join('+') || this.primary, languages: [...langs] };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.sets).map((s) => s.close()));
    this.sets = {};
  }
}

let shared: OcrPool | null = null;

/** The process-wide pool (engines load on first use and stay loaded). */
export function getOcrPool(): OcrPool {
  shared ??= new OcrPool();
  return shared;
}

/** Stops the shared pool's engines (tests, shutdown). */
export async function closeOcrPool(): Promise<void> {
  const p = shared;
  shared = null;
  if (p) await p.close();
}

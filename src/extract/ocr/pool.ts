/**
 * Engines start once per process and are reused. Paddle runs one onnxruntime session per core (each
 * single-threaded; inference runs on onnxruntime's native threads, off the JavaScript thread), and
 * tesseract.js runs in worker threads behind a tesseract.js scheduler, started on first use. A small
 * queue hands each crop to a free engine, so memory stays bounded by the number of engines.
 */
import os from 'node:os';
import { isMainThread, type MessagePort } from 'node:worker_threads';
import type { Crop, ReadHint, Recognition } from './engine.js';
import { EngineSet } from './engine-set.js';
import { PaddleWorkerEngine } from './paddle.js';
import { TesseractEngine } from './tesseract.js';

export type EngineName = 'paddle' | 'tesseract';

/** A port to the recognition threads of this worker's parent (paddle-host.ts), when it lends them. */
let paddleHost: MessagePort | null = null;

/** In a conversion worker: read with the parent's recognition threads instead of starting its own. */
export function usePaddleHost(port: MessagePort): void {
  paddleHost = port;
}

/** tesseract.js workers stop after this long idle (they would keep a CLI process from exiting). */
const TESSERACT_IDLE_MS = 3000;

export interface PoolOptions {
  /** Sessions / workers per engine (default: cores, at most 2). */
  size?: number;
  /** Primary engine (default paddle; XXGK_OCR_ENGINE). */
  primary?: EngineName;
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
          s = new EngineSet(async () => (paddleHost ? PaddleWorkerEngine.over(paddleHost) : PaddleWorkerEngine.create({ threads: 1 })), size);
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

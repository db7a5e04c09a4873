/**
 * tesseract.js (WebAssembly, in a worker thread) behind the engine interface. Language data comes from
 * local files only: the npm `@tesseract.js-data/*` packages (best_int, gzipped), or a folder named by
 * XXGK_TESSDATA, or Debian's /usr/share/tesseract-ocr/5/tessdata. `cacheMethod: 'none'`: nothing is
 * fetched and nothing is written to the working directory (the npm files, which live in one folder per
 * language, are linked into one private temporary folder because tesseract.js reads one `langPath`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Crop, OcrEngine, ReadHint, Recognition, RecognizedPiece } from './engine.js';
import { isPng } from './engine.js';
import { sharpLib } from './sharp.js';

type TesseractModule = typeof import('tesseract.js');
type Worker = Awaited<ReturnType<TesseractModule['createWorker']>>;

export interface TesseractOptions {
  languages?: string[];
}

const DEBIAN = '/usr/share/tesseract-ocr/5/tessdata';
let npmDir: string | null = null;

/** A folder holding `<lang>.traineddata[.gz]` for every language asked for. */
export function tessdataFor(languages: string[]): { langPath: string; gzip: boolean } {
  const env = process.env.XXGK_TESSDATA;
  if (env) return { langPath: env, gzip: languages.every((l) => existsSync(path.join(env, `${l}.traineddata.gz`))) };
  const require = createRequire(import.meta.url);
  const sources = languages.map((l) => {
    try {
      return path.join(path.dirname(require.resolve(`@tesseract.js-data/${l}/package.json`)), '4.0.0_best_int', `${l}.traineddata.gz`);
    } catch {
      return null;
    }
  });
  if (sources.every((s) => s && existsSync(s))) {
    // One folder per package location, reused by every process (links only; nothing is copied).
    if (!npmDir) {
      const tag = createHash('sha256').update(path.dirname(sources[0]!)).digest('hex').slice(0, 12);
      npmDir = path.join(os.tmpdir(), `xxgk-tessdata-${tag}`);
      mkdirSync(npmDir, { recursive: true });
    }
    languages.forEach((l, i) => {
      const link = path.join(npmDir!, `${l}.traineddata.gz`);
      if (existsSync(link)) return;
      try {
        symlinkSync(sources[i]!, link);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    });
    return { langPath: npmDir, gzip: true };
  }
  if (languages.every((l) => existsSync(path.join(DEBIAN, `${l}.traineddata`)))) return { langPath: DEBIAN, gzip: false };
  throw new Error(`Tesseract language data for ${languages.join('+')} is not installed (npm @tesseract.js-data/* or ${DEBIAN}).`);
}

export class TesseractEngine implements OcrEngine {
  readonly name = 'tesseract.js';
  private mode: ReadHint | null = null;
  private constructor(private worker: Worker, readonly languages: string[]) {}

  static async create(options: TesseractOptions = {}): Promise<TesseractEngine> {
    const languages = options.languages ?? ['chi_sim', 'chi_tra', 'eng'];
    const { langPath, gzip } = tessdataFor(languages);
    const mod = (await import('tesseract.js')) as unknown as { default?: TesseractModule } & TesseractModule;
    const T: TesseractModule = mod.default ?? mod;
    const dataPath = mkdtempPath();
    const worker = await T.createWorker(languages.join('+'), T.OEM.LSTM_ONLY, {
      langPath,
      gzip,
      cacheMethod: 'none',
      cachePath: dataPath,
      errorHandler: () => {},
    });
    const e = new TesseractEngine(worker, languages);
    return e;
  }

  private async setMode(hint: ReadHint): Promise<void> {
    if (this.mode === hint) return;
    if (hint === 'number') {
      await this.worker.setParameters({
        tessedit_pageseg_mode: '7' as never,
        tessedit_char_whitelist: '0123456789.-',
        classify_bln_numeric_mode: '1',
        user_defined_dpi: '300',
      });
    } else {
      await this.worker.setParameters({
        tessedit_pageseg_mode: '7' as never,
        tessedit_char_whitelist: '',
        classify_bln_numeric_mode: '0',
        preserve_interword_spaces: '1',
        user_defined_dpi: '300',
      });
    }
    this.mode = hint;
  }

  async recognize(crop: Crop, hint: ReadHint): Promise<Recognition> {
    await this.setMode(hint);
    const png = isPng(crop.data) ? crop.data : await toPng(crop);
    const { data } = await this.worker.recognize(png, {}, { blocks: true, text: true });
    const words: RecognizedPiece[] = [];
    for (const b of data.blocks ?? []) {
      for (const p of b.paragraphs) {
        for (const l of p.lines) {
          for (const w of l.words) {
            words.push({ text: w.text, confidence: w.confidence / 100, bbox: [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1] });
          }
        }
      }
    }
    const text = hint === 'number' ? words.map((w) => w.text).join('') : words.map((w) => w.text).join(' ');
    const chars = words.reduce((n, w) => n + w.text.length, 0);
    const confidence = chars ? words.reduce((s, w) => s + w.confidence * w.text.length, 0) / chars : 0;
    return { text: text.trim(), confidence, words };
  }

  /** Whole-page recognition (PSM 6), for comparisons with page-level OCR. */
  async recognizePage(png: Buffer): Promise<string> {
    await this.worker.setParameters({ tessedit_pageseg_mode: '6' as never, tessedit_char_whitelist: '', user_defined_dpi: '300' });
    this.mode = null;
    const { data } = await this.worker.recognize(png);
    return data.text;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function mkdtempPath(): string {
  // Never read: cacheMethod 'none'. Pointed at the temp folder so a stray write cannot reach the cwd.
  const dir = path.join(os.tmpdir(), 'xxgk-tess-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function toPng(crop: Crop): Promise<Buffer> {
  const sharp = await sharpLib();
  return sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
}

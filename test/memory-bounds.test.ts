/**
 * The service stays under its memory budget whatever the input (README, "Memory"): hostile files made
 * here, sent to the real service as a child process, whose peak resident memory (VmHWM, every thread
 * included) is read from /proc after each. What would pass the bounds is refused with 413; a page image
 * is rendered off the request thread, so /healthz answers meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { constants, deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { assemblePdf, onePagePdf } from './support/encrypted-pdf.js';
import { CLI, freePort, healthy, start, type Running } from './support/process.js';

/** The service's budget for its whole process (README): 2 GB. */
const BUDGET_BYTES = 2 * 2 ** 30;

const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-memory-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A zlib stream of `total` spaces: one sync-flushed 1 MB block repeated (4 MB for 4 GB, made in a blink). */
function spacesDeflate(total: number): Buffer {
  const unit = 2 ** 20;
  const block = deflateSync(Buffer.alloc(unit, 0x20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const parts = [block.subarray(0, 2)];
  for (let i = 0; i < total / unit; i++) parts.push(block.subarray(2));
  // A final empty block, and an Adler-32 nobody reaches.
  parts.push(Buffer.from([0x03, 0x00]), Buffer.alloc(4));
  return Buffer.concat(parts);
}

/** A one-page PDF whose content stream is `content`, stored under `filter`. */
function pdfWithContent(content: Buffer, filter: string): Buffer {
  const objs: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter ${filter} >>\nstream\n`), content, Buffer.from('\nendstream')]),
  ];
  return assemblePdf(objs);
}

const peak = (s: Running) => Number(/VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${s.child.pid}/status`, 'utf8'))![1]) * 1024;
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

test('hostile inputs: 413 for what would pass the bounds, page images off the request thread, the service under 2 GB', async (t) => {
  if (process.platform !== 'linux') return t.skip('peak memory is read from /proc');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await start([...CLI, 'serve'], healthy(`${base}/readyz`), {
    env: { ...process.env, PORT: String(port), XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_OCR_WORKERS: '1', XXGK_JOB_TIMEOUT_SECONDS: '150', XXGK_SYNC_WAIT_SECONDS: '150', XXGK_LOG_LEVEL: 'warn' },
    timeoutMs: 60_000,
  });
  const convert = async (body: Buffer, filename: string) => {
    const res = await fetch(`${base}/v1/convert?filename=${filename}`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    return { status: res.status, body: (await res.json()) as { id?: string; error?: { code: string; message: string } } };
  };
  const underBudget = (what: string) => {
    t.diagnostic(`${what}: peak ${mb(peak(service))}`);
    assert.ok(peak(service) < BUDGET_BYTES, `${what}: the service peaked at ${mb(peak(service))}, over its ${mb(BUDGET_BYTES)} budget`);
  };
  try {
    await t.test('a content stream that inflates to 4 GB is refused with 413 before pdf.js inflates it', async () => {
      const bomb = pdfWithContent(spacesDeflate(4 * 2 ** 30), '/FlateDecode');
      const r = await convert(bomb, 'bomb.pdf');
      assert.equal(r.status, 413, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, 'PDF_STREAM_TOO_LARGE');
      assert.match(r.body.error!.message, /XXGK_MAX_PDF_STREAM_BYTES/);
      underBudget('4 GB content stream');
    });

    // The service's limit is the default 64 MB: these small files (well under 1 MB) inflate to 256 MB.
    await t.test('a content stream behind an ASCIIHex layer ([/ASCIIHexDecode /FlateDecode]) is refused with 413 all the same', async () => {
      const hexBomb = Buffer.from(`${spacesDeflate(256 * 2 ** 20).toString('hex')}>`);
      const r = await convert(onePagePdf(hexBomb, '[/ASCIIHexDecode /FlateDecode]'), 'hex-bomb.pdf');
      assert.equal(r.status, 413, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, 'PDF_STREAM_TOO_LARGE');
      underBudget('ASCIIHex + Flate content stream');
    });

    await t.test('an encrypted content stream (AES-256, empty user password, as pdf.js opens it) is counted decrypted and refused with 413', async () => {
      const r = await convert(onePagePdf(spacesDeflate(256 * 2 ** 20), '/FlateDecode', 'aes-256'), 'encrypted-bomb.pdf');
      assert.equal(r.status, 413, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, 'PDF_STREAM_TOO_LARGE');
      underBudget('encrypted content stream');
    });

    await t.test('a 10 000 × 10 000 PNG (at the pixel limit) converts within the budget', async () => {
      const [w, h] = [10_000, 10_000];
      const rules = Array.from({ length: 24 }, (_, i) => `<rect x="1500" y="${1500 + i * 280}" width="7000" height="8" fill="black"/>`).join('');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#f4f0e8"/>${rules}<circle cx="5000" cy="5000" r="1200" fill="none" stroke="#e02020" stroke-width="60"/></svg>`;
      const png = await sharp(Buffer.from(svg), { limitInputPixels: false }).png().toBuffer();
      const r = await convert(png, 'large.png');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      underBudget('10 000 × 10 000 PNG');
    });

    await t.test('the page image of a 14 400 pt page is bounded in pixels and rendered while /healthz answers', async () => {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      const page = doc.addPage([14_400, 14_400]);
      for (let i = 0; i < 40; i++) page.drawText(`Line ${i} of a sheet drawn at 200 inches square, 2023`, { x: 200, y: 14_000 - i * 300, size: 160, font });
      page.drawRectangle({ x: 100, y: 100, width: 14_000, height: 13_000, borderWidth: 20 });
      const r = await convert(Buffer.from(await doc.save()), 'huge-page.pdf');
      assert.equal(r.status, 200, JSON.stringify(r.body));

      // /healthz is asked again and again while the page renders: a render on the request thread would
      // hold every answer back until the image is sent.
      let rendering = true;
      let answered = 0;
      const probe = (async () => {
        while (rendering) {
          assert.equal((await fetch(`${base}/healthz`)).status, 200);
          if (rendering) answered++;
        }
      })();
      const image = await fetch(`${base}/v1/results/${r.body.id}/pages/1.png`);
      rendering = false;
      await probe;
      assert.equal(image.status, 200);
      const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
      const scale = Number(image.headers.get('x-page-scale'));
      assert.ok(meta.width! * meta.height! <= 6_000_000, `${meta.width} × ${meta.height} pixels`);
      assert.ok(Math.abs(meta.width! - 14_400 * scale) <= 1, `X-Page-Scale ${scale} for ${meta.width} pixels`);
      t.diagnostic(`page image: ${meta.width} × ${meta.height}; /healthz answered ${answered} times meanwhile`);
      assert.ok(answered >= 3, `/healthz answered only ${answered} times while the page image was rendered`);
      underBudget('page image of a 14 400 pt page');
    });
  } finally {
    await service.stop();
  }
});

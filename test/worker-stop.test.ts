/**
 * Stopping a conversion worker in the middle of OCR (a job past XXGK_JOB_TIMEOUT_SECONDS, a cancelled
 * job) must never take the service down. Terminating a thread while onnxruntime-node runs in it aborts
 * the whole process ("terminate called after throwing an instance of 'Napi::Error'"), so the service
 * runs as a child process here and the test watches it survive.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { CLI, freePort, healthy, start } from './support/process.js';
import { until } from './support/slow.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-worker-stop-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** An A4 scan (300 dpi) of `lines` long text lines: its OCR is mostly recognition, seconds of it. */
async function linesScan(lines: number): Promise<Buffer> {
  const text = '政府信息公开工作年度报告 本年度共主动公开政府信息一千二百三十四条 其中规范性文件五十六件';
  const rows = Array.from({ length: lines }, (_, i) => `<text x="120" y="${200 + i * 64}" font-family="Noto Sans CJK SC" font-size="44">${text}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="${Math.max(600, 260 + lines * 64)}"><rect width="100%" height="100%" fill="white"/>${rows}</svg>`;
  return sharp(Buffer.from(svg)).greyscale().png().toBuffer();
}

interface JobView { id: string; status: string; error: { code: string } | null }

test('jobs stopped mid-OCR, by their time limit or by a cancel, leave the service up and OCR working', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const timeoutSeconds = 20;
  const service = await start([...CLI, 'serve'], healthy(`${base}/readyz`), {
    env: { ...process.env, PORT: String(port), XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_OCR_WORKERS: '1', XXGK_JOB_TIMEOUT_SECONDS: String(timeoutSeconds), XXGK_LOG_LEVEL: 'warn' },
  });
  let exited: string | null = null;
  service.child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  const alive = () => assert.equal(exited, null, `the service died: ${exited}\n${service.output().stderr.slice(-2000)}`);
  try {
    // Every job must still be running when it is stopped, however fast the machine: a 50-line scan can
    // finish inside 5 s on a quiet one (a cancel then finds it done), so all use 400 lines, whose OCR
    // outlasts the 20 s limit too.
    const scan = await linesScan(400);
    const job = (id: string) => fetch(`${base}/v1/jobs/${id}`).then((r) => r.json() as Promise<{ job: JobView }>).then((b) => b.job);
    // Each job is stopped at a different moment of its OCR: cancelled after 1.5 … 5 s, or by the time limit. Recognition runs most of that time, so unprotected stops hit it.
    const stopAfterMs = [1500, 2500, 3500, 4500, 2000, 3000, 4000, 5000, null];
    for (const [i, ms] of stopAfterMs.entries()) {
      const posted = await fetch(`${base}/v1/jobs?filename=scan-${i}.png`, { method: 'POST', body: scan, headers: { 'content-type': 'image/png' } });
      assert.equal(posted.status, 202, await posted.clone().text());
      const { job: { id } } = (await posted.json()) as { job: JobView };
      await until(() => job(id), (j) => j.status === 'running', 30_000);
      if (ms !== null) {
        await new Promise((r) => setTimeout(r, ms));
        alive();
        const cancelled = await fetch(`${base}/v1/jobs/${id}`, { method: 'DELETE' });
        assert.equal(cancelled.status, 200);
      }
      const ended = await until(() => job(id).catch(() => null), (j) => exited !== null || (j !== null && j.status !== 'running'), 30_000);
      alive();
      if (ms === null) assert.equal(ended?.error?.code, 'TIMEOUT');
      else assert.equal(ended?.status, 'cancelled');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    }
    // Recognition still works after all those stops: a short scan converts, read by PP-OCR.
    const short = await fetch(`${base}/v1/convert?filename=short.png`, { method: 'POST', body: await linesScan(2), headers: { 'content-type': 'image/png' } });
    const body = (await short.json()) as { source?: { route: string; ocr: { engine: string } | null }; error?: { code: string } };
    assert.equal(short.status, 200, JSON.stringify(body));
    assert.equal(body.source?.route, 'image-ocr');
    assert.match(body.source?.ocr?.engine ?? '', /paddle/);
    alive();
  } finally {
    const f = await service.stop();
    assert.doesNotMatch(f.stderr, /terminate called|Napi::Error/);
  }
});

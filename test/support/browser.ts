/**
 * The correction UI in a real browser: builds the Vite bundle when it is missing or older than web/,
 * serves it in front of a real service instance (as the service will serve dist/web at `/`), and
 * starts headless Chromium through playwright-core with a fresh profile.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { BrowserContext } from 'playwright-core';
import { createService, type Service } from '../../src/service/app.js';
import { configFromEnv } from '../../src/service/config.js';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const distWeb = join(repo, 'dist/web');
export const CHROMIUM = '/usr/bin/chromium';

/** Newest modification time under a path (files only). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) if (name !== 'node_modules') t = Math.max(t, newest(join(path, name)));
  return t;
}

/** The sources the bundle is made of: web/ and the modules it imports from src/ (the check stage, the forms, the model). */
const bundleInputs = ['web', 'src'];

/** Builds dist/web with Vite's JS API when it is missing or older than its sources. */
export async function ensureWebBuild(): Promise<'built' | 'fresh'> {
  const index = join(distWeb, 'index.html');
  const inputs = Math.max(...bundleInputs.map((p) => newest(join(repo, p))));
  if (existsSync(index) && statSync(index).mtimeMs >= inputs) return 'fresh';
  const { build } = await import('vite');
  await build({ configFile: join(repo, 'web/vite.config.ts'), logLevel: 'warn' });
  return 'built';
}

export interface UiServer {
  url: string;
  service: Service;
  dataDir: string;
  close(): Promise<void>;
}

/** The real service, which serves dist/web at `/` itself, on a loopback port. */
export async function startUiServer(env: NodeJS.ProcessEnv = {}): Promise<UiServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-ui-'));
  const service = createService(
    configFromEnv({ XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_LOG_LEVEL: 'silent', XXGK_SHUTDOWN_GRACE_SECONDS: '0', ...env }),
    pino({ level: 'silent' }),
  );
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    service,
    dataDir,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await service.ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BrowserSession {
  context: BrowserContext;
  /** Every URL the browser asked for, from every page of the context. */
  requests: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile of its own; every request is recorded, and any leaving 127.0.0.1 is aborted. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'xxgk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const local = (u: string) => /^(data:|blob:|about:)/.test(u) || new URL(u).hostname === '127.0.0.1';
  await context.route('**/*', (route) => (local(route.request().url()) ? route.continue() : route.abort()));
  return {
    context,
    requests,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

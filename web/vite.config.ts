/**
 * Build of the correction UI: `vite build --config web/vite.config.ts` (or `build({ configFile })`)
 * writes a static bundle to dist/web that the service serves at `/`. The UI imports the template
 * data and the check rules from ../src (plain TS, no Node imports), so they are bundled, not copied.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  // src/normalize/text.ts requires OpenCC through node:module; the browser gets it from the bundle.
  resolve: { alias: { 'node:module': fileURLToPath(new URL('src/node-module.ts', import.meta.url)) } },
  logLevel: 'warn',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for development, with the service on :8080.
    fs: { allow: ['..'] },
    proxy: { '/v1': 'http://127.0.0.1:8080' },
  },
});

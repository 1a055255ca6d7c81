/**
 * The ONE vite config of the renderer (renderer/index.html): Electron Forge (`vite.renderer.config.ts` in
 * forge.config.ts), browser mode (`npm run build:renderer` then `npm run web`, or `npm run dev:web`), the e2e test and
 * the viewer benchmark all build with it. renderer/vite.config.ts re-exports it.
 *
 * Local assets only: Cornerstone (and its vtk.js), the series worker and the itk-wasm assets the JPEG-family fallback
 * needs are emitted into the output folder; nothing is fetched from a CDN at run time (the CSP enforces 'self').
 * itk-wasm assets (wasm/src/pipelines/configure.ts, ITK_WASM_ASSET_LAYOUT) are copied to `<outDir>/itk/` and served
 * from node_modules under `/itk/` by the dev server.
 *
 * Browser-mode development: `REMNANT_API_ORIGIN` (set by electron/src/web/serve.ts --dev) proxies /api to the
 * loopback API server; the API token still travels in the x-remnant-token header from the page.
 */
import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { ITK_WASM_ASSET_LAYOUT } from './wasm/src/pipelines/configure.ts';

const repoRoot = import.meta.dirname;
const root = path.resolve(repoRoot, 'renderer');
const nodeModules = path.resolve(repoRoot, 'node_modules');
const apiOrigin = process.env.REMNANT_API_ORIGIN;
export const ITK_ASSETS_PATH = 'itk';

/** Copies (build) or serves (dev) the itk-wasm pipelines and workers locally, following ITK_WASM_ASSET_LAYOUT. */
function itkWasmAssets(): Plugin {
  let outDir = '';
  return {
    name: 'remnant-itk-wasm-assets',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of ITK_WASM_ASSET_LAYOUT) {
        cpSync(path.join(nodeModules, entry.nodeModulesPath), path.join(outDir, ITK_ASSETS_PATH, entry.servedPath), { recursive: true });
      }
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const prefix = `/${ITK_ASSETS_PATH}/`;
        const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
        if (!pathname.startsWith(prefix)) return next();
        const served = pathname.slice(prefix.length);
        for (const entry of ITK_WASM_ASSET_LAYOUT) {
          const base = path.join(nodeModules, entry.nodeModulesPath);
          const file = entry.kind === 'file' ? (served === entry.servedPath ? base : '') : served.startsWith(`${entry.servedPath}/`) ? path.join(base, served.slice(entry.servedPath.length + 1)) : '';
          if (!file || !path.resolve(file).startsWith(base) || !existsSync(file) || !statSync(file).isFile()) continue;
          response.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'application/octet-stream');
          createReadStream(file).pipe(response);
          return;
        }
        response.statusCode = 404;
        response.end('not found');
      });
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), itkWasmAssets()],
  resolve: {
    // Node built-ins reached through vtk.js -> xmlbuilder2 (XML readers Remnant never calls): small browser shims.
    alias: [
      { find: /^events$/, replacement: path.join(root, 'src/shims/events.ts') },
      { find: /^url$/, replacement: path.join(root, 'src/shims/url.ts') },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: path.resolve(repoRoot, '.vite/renderer/main_window'),
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
    // No remote assets, no inline modulepreload polyfill (the CSP forbids inline scripts).
    modulePreload: { polyfill: false },
  },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser'],
  },
  server: {
    host: '127.0.0.1',
    strictPort: false,
    fs: { allow: [repoRoot] },
    ...(apiOrigin && { proxy: { '/api': { target: apiOrigin, changeOrigin: true } } }),
  },
});

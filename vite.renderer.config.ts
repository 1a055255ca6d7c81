/**
 * Vite config of the renderer (renderer/index.html). Used by Forge (Electron) and by browser mode.
 * In browser-mode development, `REMNANT_API_ORIGIN` (printed by the dev server) proxies /api to the
 * loopback API server; the API token still travels in the x-remnant-token header from the page.
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.resolve(import.meta.dirname, 'renderer');
const apiOrigin = process.env.REMNANT_API_ORIGIN;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, '.vite/renderer/main_window'),
    emptyOutDir: true,
    sourcemap: false,
    // No remote assets, no inline modulepreload polyfill (CSP forbids inline scripts).
    modulePreload: { polyfill: false },
  },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    strictPort: false,
    ...(apiOrigin && { proxy: { '/api': { target: apiOrigin, changeOrigin: true } } }),
  },
});

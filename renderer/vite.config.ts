/**
 * Renderer build (browser mode and Electron's forge vite plugin both use this file). Everything is bundled locally:
 * Cornerstone (and its vtk.js), the series worker, and any wasm assets (itk-wasm pipelines, Cornerstone codecs) are
 * emitted into the output folder; nothing is fetched from a CDN at run time (the CSP in index.html enforces 'self').
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // No Node imports here (renderer/ lint layer): paths are relative to this file's folder.
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  resolve: {
    // Node built-ins reached through vtk.js -> xmlbuilder2 (XML readers Remnant never calls): small browser shims.
    alias: [
      { find: /^events$/, replacement: `${import.meta.dirname}/src/shims/events.ts` },
      { find: /^url$/, replacement: `${import.meta.dirname}/src/shims/url.ts` },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: '../build/renderer',
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
  },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser'],
  },
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
});

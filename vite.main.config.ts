/**
 * Vite build of the Electron main process (called by @electron-forge/plugin-vite, which merges its own base config).
 * Output: .vite/build/main.js as an ES module (package.json "main"; package.json has "type": "module").
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    lib: {
      entry: 'electron/src/main/main.ts',
      formats: ['es'],
      fileName: () => 'main.js',
    },
    sourcemap: true,
  },
});

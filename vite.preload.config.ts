/**
 * Vite build of the preload. Forge's plugin emits it as CommonJS (.vite/build/preload.cjs): sandboxed
 * preloads cannot be ES modules. Everything it imports (the contract) is bundled in; only 'electron' is external.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    sourcemap: true,
  },
});

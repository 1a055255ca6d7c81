/** The renderer's vite config lives in one place: ../vite.renderer.config.ts (Forge, browser mode, e2e, bench). */
export { default } from '../vite.renderer.config.ts';

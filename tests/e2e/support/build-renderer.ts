/** Programmatic vite build of the renderer into `outDir` with THE renderer config (used by the e2e test and the viewer benchmark). */
import path from 'node:path';
import { build } from 'vite';
import { repoRoot } from '../../../fixtures/src/shared-data.ts';

export async function buildRenderer(outDir: string): Promise<string> {
  await build({
    configFile: path.join(repoRoot, 'vite.renderer.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

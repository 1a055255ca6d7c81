/**
 * Where the read-only shared test data and the repository root are, for wasm/ tests and benches (Node only).
 * Same rule as fixtures/src/shared-data.ts (kept here because wasm/'s tsconfig cannot include fixtures/).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding package.json). */
export const repoRootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** ../shared/data from the repository root, or REMNANT_SHARED_DATA when set. */
export function sharedDataPath(...parts: string[]): string {
  const base = process.env.REMNANT_SHARED_DATA ?? path.resolve(repoRootDir, '..', 'shared', 'data');
  return path.join(base, ...parts);
}

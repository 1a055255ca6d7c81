/**
 * Helpers shared by the bench/*.bench.ts scripts: the bench and results folders, median / quantile, timing, garbage
 * collection between runs (`node --expose-gc`, as bench/run.ts starts them) and writing bench/results/<name>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(benchDir, '..');
export const resultsDir = path.join(benchDir, 'results');

/** A module of the e2e harness (vite build, loopback server, chromium launch) in tests/e2e/support, by path. */
export const e2eSupport = (name: string): string => path.join(repoRoot, 'tests', 'e2e', 'support', name);

/** The median as the benches report it: the upper middle of the sorted values (NaN for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** The q-quantile by nearest rank below (q = 0.95: p95), clamped to the largest value (NaN for none). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

/** Runs a full garbage collection when node was started with --expose-gc; otherwise nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Milliseconds `fn` takes (performance.now). */
export function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Milliseconds the promise of `fn` takes to settle successfully. */
export async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Writes bench/results/<name>.json (2-space JSON and a newline), creating the folder; returns the file path. */
export function writeResult(name: string, result: unknown): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * One target of a bench (e.g. "kernel median <= 50 ms"), listed in the result JSON as `checks` and gathered by
 * bench/run.ts into one met / not met table. A missed target is reported, not an error: the bench still exits 0.
 */
export interface TargetCheck {
  case: string;
  value: string;
  target: string;
  met: boolean;
}

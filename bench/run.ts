/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process, one after the other (2-core machine: no
 * overlap), then writes bench/results/summary.json listing each benchmark's exit status, its JSON result file (only
 * when written by this run) and its targets (the `checks` of the result: met / not met), and prints both tables.
 * Exits 1 when a benchmark fails or writes no result; a missed performance target is reported, not a failure.
 * Pass names to run a subset: `npm run bench -- index series`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchDir, resultsDir } from './lib.ts';
import type { TargetCheck } from './lib.ts';

fs.mkdirSync(resultsDir, { recursive: true });

const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}

/** The result file if this run wrote it (a file left by an earlier run does not count), and its checks. */
function readResult(file: string, since: number): { resultFile: string | null; checks: TargetCheck[] } {
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < since) return { resultFile: null, checks: [] };
  const relative = path.relative(process.cwd(), file);
  try {
    const checks = (JSON.parse(fs.readFileSync(file, 'utf8')) as { checks?: unknown }).checks;
    return { resultFile: relative, checks: Array.isArray(checks) ? (checks as TargetCheck[]) : [] };
  } catch (error) {
    console.error(`${relative}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    return { resultFile: null, checks: [] };
  }
}

const summary: Array<{ bench: string; exitCode: number | null; seconds: number; resultFile: string | null; targetsMet: string }> = [];
const targets: Array<TargetCheck & { bench: string }> = [];
for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  process.stdout.write(`\n=== bench: ${name} ===\n`);
  const startedAt = Date.now() - 1000; // file mtimes can be coarser than the clock
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, file)], { stdio: 'inherit' });
  const { resultFile, checks } = readResult(path.join(resultsDir, `${name}.json`), startedAt);
  targets.push(...checks.map((c) => ({ bench: name, ...c })));
  summary.push({
    bench: name,
    exitCode: run.status,
    seconds: (performance.now() - started) / 1000,
    resultFile,
    targetsMet: checks.length === 0 ? '-' : `${checks.filter((c) => c.met).length}/${checks.length}`,
  });
}
fs.writeFileSync(path.join(resultsDir, 'summary.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), node: process.version, benches: summary, targets }, null, 2)}\n`);
console.table(summary);
if (targets.length > 0) console.table(targets.map((t) => ({ bench: t.bench, case: t.case, value: t.value, target: t.target, met: t.met ? 'yes' : 'NO' })));
process.exitCode = summary.some((s) => s.exitCode !== 0 || s.resultFile === null) ? 1 : 0;

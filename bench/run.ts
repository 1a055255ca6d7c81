/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process, one after the other (2-core machine: no
 * overlap), then writes bench/results/summary.json listing each benchmark's exit status and its JSON result file.
 * Pass names to run a subset: `npm run bench -- index series`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');
fs.mkdirSync(resultsDir, { recursive: true });

const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();

const summary: Array<{ bench: string; exitCode: number | null; seconds: number; resultFile: string | null }> = [];
for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  process.stdout.write(`\n=== bench: ${name} ===\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, file)], { stdio: 'inherit' });
  const resultFile = path.join(resultsDir, `${name}.json`);
  summary.push({
    bench: name,
    exitCode: run.status,
    seconds: (performance.now() - started) / 1000,
    resultFile: fs.existsSync(resultFile) ? path.relative(process.cwd(), resultFile) : null,
  });
}
fs.writeFileSync(path.join(resultsDir, 'summary.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), node: process.version, benches: summary }, null, 2)}\n`);
console.table(summary);
process.exitCode = summary.some((s) => s.exitCode !== 0) ? 1 : 0;

/**
 * Indexing benchmark (not a test): index the TCIA HCC048 series (89 x 512 x 512) and a generated 600-slice 512 x 512
 * CT phantom, and in the same run time `cat <files> > /dev/null` over the same bytes. Each measurement is the minimum
 * of RUNS interleaved runs after one warm-up (page cache warm for both; the minimum is the least noisy estimator on a
 * shared 2-core machine). The median is reported too. Prints a table and writes bench/results/index.json.
 * Targets (issue 2): indexing no slower than reading the files; 600 slices under 1 s.
 *   node bench/index.bench.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexPath } from '../electron/src/services/dicom-index/scan.ts';
import { generatePhantom, writePhantomSeries } from '../fixtures/src/phantom/index.ts';
import { sharedDataDir } from '../fixtures/src/shared-data.ts';
import { median, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

const RUNS = 7;
const TARGET_600_MS = 1000;

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []))
    .sort();
}

function timeCat(files: string[]): number {
  const t0 = performance.now();
  const r = spawnSync('cat', files, { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cat failed with status ${r.status}`);
  return ms;
}

interface Row {
  dataset: string;
  files: number;
  bytes: number;
  slicesFound: number;
  indexMs: number;
  catMs: number;
  ratio: number;
  target: string;
  pass: boolean;
}

async function measure(name: string, dir: string, expectSlices: number, targetMs: number | null): Promise<Row> {
  const files = listFiles(dir);
  const bytes = files.reduce((a, f) => a + fs.statSync(f).size, 0);
  timeCat(files);
  await indexPath(dir);
  const idx: number[] = [];
  const cat: number[] = [];
  let slicesFound = 0;
  for (let i = 0; i < RUNS; i++) {
    cat.push(timeCat(files));
    const t0 = performance.now();
    const r = await indexPath(dir);
    idx.push(performance.now() - t0);
    slicesFound = Math.max(0, ...r.studies.flatMap((s) => s.series.flatMap((se) => se.stacks.map((st) => st.sliceCount))));
  }
  if (slicesFound !== expectSlices) throw new Error(`${name}: expected ${expectSlices} slices, index found ${slicesFound}`);
  const indexMs = Math.min(...idx);
  const catMs = Math.min(...cat);
  console.log(`${name}: index min ${indexMs.toFixed(1)} / median ${median(idx).toFixed(1)} ms; cat min ${catMs.toFixed(1)} / median ${median(cat).toFixed(1)} ms`);
  const pass = indexMs <= catMs && (targetMs === null || indexMs < targetMs);
  return { dataset: name, files: files.length, bytes, slicesFound, indexMs, catMs, ratio: indexMs / catMs, target: `<= cat${targetMs === null ? '' : `, < ${targetMs} ms`}`, pass };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await measure('tcia-hcc048 (89 x 512 x 512)', sharedDataDir('tcia-hcc048', 'HCC048_portal_venous'), 89, null));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-index-bench-'));
  try {
    const t0 = performance.now();
    const phantom = generatePhantom({ rows: 512, columns: 512, sliceCount: 600, pixelSpacingMm: [0.75, 0.75], sliceSpacingMm: 0.5, noiseSd: 0, includeVesselMask: false });
    await writePhantomSeries(phantom, path.join(tmp, 'ct600'));
    console.log(`(phantom generated and written in ${(performance.now() - t0).toFixed(0)} ms)`);
    rows.push(await measure('phantom CT (600 x 512 x 512)', path.join(tmp, 'ct600'), 600, TARGET_600_MS));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log('\n| dataset | files | MiB | slices | index ms | cat ms | index/cat | target | pass |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.dataset} | ${r.files} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${r.slicesFound} | ${r.indexMs.toFixed(1)} | ${r.catMs.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.pass ? 'yes' : 'NO'} |`);
  }
  const checks: TargetCheck[] = rows.map((r) => ({ case: `index ${r.dataset} (best of ${RUNS})`, value: `${r.indexMs.toFixed(1)} ms (cat ${r.catMs.toFixed(1)} ms)`, target: r.target, met: r.pass }));
  const out = { bench: 'index', date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, runs: RUNS, rows, checks };
  console.log(`\nwrote ${writeResult('index', out)}`);
}

await main();

/**
 * Series loading benchmark: our fast path vs the itk-wasm reference reader vs dcm2niix, on tcia-hcc048 (512x512x89)
 * and a 512x512x600 CT phantom (generated once into $TMPDIR/remnant-bench with fixtures/src/cli.ts).
 *
 * Each run is a separate child process (so peak memory is per reader): the Node readers report their own read time
 * (after imports) and process.resourceUsage().maxRSS; dcm2niix runs under /usr/bin/time -v (wall time of the whole
 * process, maximum resident set size). Memory is reported as the peak RSS increase over the child's RSS before reading,
 * relative to the int16 volume size. Best of REPEATS runs. Prints a table, writes bench/results/series.json.
 *
 *   node bench/series.bench.ts            (or npm run bench -- series)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectGarbage, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

/** Files of a folder that carry the DICM prefix (skips LICENSE, README, ...). */
function dicomFiles(dir: string): string[] {
  const isDicom = (p: string): boolean => {
    const fd = fs.openSync(p, 'r');
    try {
      const b = Buffer.alloc(4);
      return fs.readSync(fd, b, 0, 4, 128) === 4 && b.toString('latin1') === 'DICM';
    } finally {
      fs.closeSync(fd);
    }
  };
  return fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((p) => fs.statSync(p).isFile() && isDicom(p)).sort();
}

async function childMain(reader: string, dir: string): Promise<void> {
  const files = dicomFiles(dir);
  const { readSeriesFromFiles, readReferenceSeriesFromFiles } = await import('../wasm/src/node/index.ts');
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let voxels = 0;
  if (reader === 'fast') voxels = (await readSeriesFromFiles(files)).volume.pixels.length;
  else voxels = (await readReferenceSeriesFromFiles(files)).rescaledValues.length;
  const ms = performance.now() - t0;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ms, rssBefore, maxRssBytes, voxels })}\n`);
}

interface Measurement {
  dataset: string;
  reader: string;
  bestMs: number;
  runsMs: number[];
  peakIncreaseBytes: number;
  peakOverInt16Volume: number;
}

function runNode(reader: string, dir: string): { ms: number; increase: number; voxels: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', reader, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${reader} on ${dir} failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() as string;
  const o = JSON.parse(line) as { ms: number; rssBefore: number; maxRssBytes: number; voxels: number };
  return { ms: o.ms, increase: o.maxRssBytes - o.rssBefore, voxels: o.voxels };
}

function runDcm2niix(dir: string): { ms: number; maxRss: number } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-dcm2niix-'));
  try {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-v', 'dcm2niix', '-z', 'n', '-b', 'n', '-o', out, '-f', 'vol', dir], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`dcm2niix failed: ${r.stderr.slice(-2000)}`);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    return { ms, maxRss: m ? Number(m[1]) * 1024 : NaN };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function ensurePhantom(): string {
  const dir = path.join(os.tmpdir(), 'remnant-bench', 'phantom-512x512x600');
  if (fs.existsSync(dir) && dicomFiles(dir).length === 600) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [path.join(repo, 'fixtures', 'src', 'cli.ts'), '--out', dir, '--rows', '512', '--cols', '512', '--slices', '600', '--spacing', '0.7', '--slice-spacing', '1'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('phantom generation failed');
  return dir;
}

async function main(): Promise<void> {
  const datasets: [string, string][] = [
    ['tcia-hcc048 512x512x89', path.resolve(repo, '..', 'shared', 'data', 'tcia-hcc048', 'HCC048_portal_venous')],
    ['phantom 512x512x600', ensurePhantom()],
  ];
  const results: Measurement[] = [];
  for (const [name, dir] of datasets) {
    let volumeBytes = 0;
    for (const reader of ['fast', 'itk-wasm', 'dcm2niix']) {
      const runs: number[] = [];
      let peak = 0;
      for (let i = 0; i < REPEATS; i++) {
        if (reader === 'dcm2niix') {
          const r = runDcm2niix(dir);
          runs.push(r.ms);
          peak = Math.max(peak, r.maxRss);
        } else {
          const r = runNode(reader, dir);
          runs.push(r.ms);
          peak = Math.max(peak, r.increase);
          volumeBytes = r.voxels * 2;
        }
      }
      results.push({ dataset: name, reader, bestMs: Math.min(...runs), runsMs: runs, peakIncreaseBytes: peak, peakOverInt16Volume: peak / volumeBytes });
    }
  }
  const table = results.map((r) => ({
    dataset: r.dataset,
    reader: r.reader,
    'best ms': Math.round(r.bestMs),
    'peak MiB': Math.round(r.peakIncreaseBytes / 2 ** 20),
    'peak / int16 volume': Number(r.peakOverInt16Volume.toFixed(2)),
  }));
  console.table(table);
  const ratios = datasets.map(([name]) => {
    const get = (reader: string): Measurement => results.find((r) => r.dataset === name && r.reader === reader) as Measurement;
    const fast = get('fast');
    return {
      dataset: name,
      speedupVsItkWasm: get('itk-wasm').bestMs / fast.bestMs,
      fastOverDcm2niix: fast.bestMs / get('dcm2niix').bestMs,
      fastPeakOverInt16Volume: fast.peakOverInt16Volume,
      targets: { speedupVsItkWasmAtLeast: 2, fastOverDcm2niixAtMost: 1.5, peakOverInt16VolumeAtMost: 1.5 },
    };
  });
  console.table(ratios.map(({ targets: _t, ...r }) => r));
  const note =
    'fast/itk-wasm: in-process read time after imports; dcm2niix: whole-process wall time incl. writing the uncompressed NIfTI (-z n). ' +
    'Memory: Node readers = peak RSS increase over the RSS before reading; dcm2niix = whole-process max RSS.';
  const checks: TargetCheck[] = ratios.flatMap((r) => [
    { case: `${r.dataset}: fast reader vs itk-wasm, speed-up`, value: `x${r.speedupVsItkWasm.toFixed(2)}`, target: `>= x${r.targets.speedupVsItkWasmAtLeast}`, met: r.speedupVsItkWasm >= r.targets.speedupVsItkWasmAtLeast },
    { case: `${r.dataset}: fast reader time / dcm2niix time`, value: r.fastOverDcm2niix.toFixed(2), target: `<= ${r.targets.fastOverDcm2niixAtMost}`, met: r.fastOverDcm2niix <= r.targets.fastOverDcm2niixAtMost },
    { case: `${r.dataset}: fast reader peak memory / int16 volume`, value: r.fastPeakOverInt16Volume.toFixed(2), target: `<= ${r.targets.peakOverInt16VolumeAtMost}`, met: r.fastPeakOverInt16Volume <= r.targets.peakOverInt16VolumeAtMost },
  ]);
  writeResult('series', { createdAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, repeats: REPEATS, note, results, ratios, checks });
}

if (process.argv[2] === '--child') await childMain(process.argv[3] as string, process.argv[4] as string);
else await main();

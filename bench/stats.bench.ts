/**
 * Label statistics kernel benchmark: 512 x 512 x 600 role labelmap with 4 labels (liver non-FLR, FLR, two tumours)
 * and an int16 CT image. Times the kernel (scan + finalize) over several runs and a naive per-voxel loop in the same
 * process, checks that both agree, prints a table and writes bench/results/stats.json.
 * Target (issue 3): <= 50 ms per kernel run.
 */
import type { ScalarVolume } from '../wasm/src/image/types.ts';
import { applyLabelChanges, computeLabelStats, finalizeLabelStats, scanLabelStats } from '../wasm/src/stats/label-stats.ts';
import { collectGarbage, median, timeMs, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

const NX = 512;
const NY = 512;
const NZ = 600;
const RUNS = 7;
const TARGET_MS = 50;

function buildPhantom(): { labelmap: Uint8Array; image: ScalarVolume } {
  const total = NX * NY * NZ;
  const labelmap = new Uint8Array(total);
  const pixels = new Int16Array(total);
  // Liver: ellipsoid (semi-axes 150 x 110 x 110 voxels) in the right half; FLR = its left third; two spherical tumours.
  const [cx, cy, cz, ax, ay, az] = [230, 250, 300, 150, 110, 110];
  for (let k = 0; k < NZ; k++) {
    const dz = (k - cz) / az;
    for (let j = 0; j < NY; j++) {
      const dy = (j - cy) / ay;
      const row = (k * NY + j) * NX;
      for (let i = 0; i < NX; i++) {
        const idx = row + i;
        const dx = (i - cx) / ax;
        // body-ish background values with a little structure
        pixels[idx] = ((i * 7 + j * 13 + k * 3) & 63) - 32 + (i > 40 && i < 470 && j > 60 && j < 450 ? 1000 : 0);
        if (dx * dx + dy * dy + dz * dz <= 1) {
          let label = i < cx - ax / 3 ? 2 : 1;
          if ((i - 260) ** 2 + (j - 250) ** 2 + (k - 300) ** 2 <= 30 * 30) label = 10;
          if ((i - 300) ** 2 + (j - 200) ** 2 + (k - 340) ** 2 <= 15 * 15) label = 11;
          labelmap[idx] = label;
          pixels[idx] = 1024 + 60 + ((i + j + k) & 15);
        }
      }
    }
  }
  const image: ScalarVolume = {
    geometry: { sizeIJK: [NX, NY, NZ], spacingMm: [0.78, 0.78, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    pixels,
    rescaleSlope: 1,
    rescaleIntercept: -1024,
    rescaleUnits: 'HU',
  };
  return { labelmap, image };
}

/** Straightforward per-voxel loop (counts, sums, bounds), the baseline the kernel is compared with. */
function naiveStats(labelmap: Uint8Array, pixels: Int16Array): { count: Float64Array; sum: Float64Array } {
  const count = new Float64Array(256);
  const sum = new Float64Array(256);
  const minI = new Int32Array(256).fill(NX);
  const maxK = new Int32Array(256).fill(-1);
  let idx = 0;
  for (let k = 0; k < NZ; k++)
    for (let j = 0; j < NY; j++)
      for (let i = 0; i < NX; i++, idx++) {
        const l = labelmap[idx] as number;
        if (l === 0) continue;
        count[l]++;
        sum[l] += pixels[idx] as number;
        if (i < (minI[l] as number)) minI[l] = i;
        if (k > (maxK[l] as number)) maxK[l] = k;
      }
  return { count, sum };
}

const built = performance.now();
const { labelmap, image } = buildPhantom();
const buildMs = performance.now() - built;

const kernelMs: number[] = [];
let stats = computeLabelStats(labelmap, image); // warm-up
for (let r = 0; r < RUNS; r++) {
  collectGarbage();
  kernelMs.push(timeMs(() => (stats = computeLabelStats(labelmap, image))));
}
const naiveMs: number[] = [];
let naive = naiveStats(labelmap, image.pixels as Int16Array);
for (let r = 0; r < 3; r++) {
  collectGarbage();
  naiveMs.push(timeMs(() => (naive = naiveStats(labelmap, image.pixels as Int16Array))));
}

// Agreement check between kernel and naive loop.
for (const l of stats.labels) {
  const stored = (((l.intensity?.mean ?? 0) + 1024) * l.voxelCount) as number;
  if (naive.count[l.label] !== l.voxelCount || Math.abs((naive.sum[l.label] as number) - stored) > 1e-6 * Math.abs(stored) + 1) {
    throw new Error(`kernel and naive loop disagree on label ${l.label}`);
  }
}

// Incremental update: a 20 x 20 x 10 "brush" turning liver non-FLR into FLR, then finalize (no stale labels: exact).
const state = scanLabelStats(labelmap, image.geometry, image);
const indices: number[] = [];
for (let k = 300; k < 310; k++) for (let j = 240; j < 260; j++) for (let i = 200; i < 220; i++) indices.push(i + NX * (j + NY * k));
const oldLabels = indices.map((idx) => labelmap[idx] as number);
const newLabels = indices.map(() => 2);
const t0 = performance.now();
applyLabelChanges(state, { indices, oldLabels, newLabels }, image);
for (const idx of indices) labelmap[idx] = 2;
const incremental = finalizeLabelStats(state, labelmap, image);
const incrementalMs = performance.now() - t0;
const recomputed = computeLabelStats(labelmap, image);
for (const l of recomputed.labels) {
  if (incremental.labels.find((x) => x.label === l.label)?.voxelCount !== l.voxelCount) throw new Error(`incremental update disagrees on label ${l.label}`);
}

const labelledVoxels = stats.labels.reduce((n, l) => n + l.voxelCount, 0);
const result = {
  bench: 'stats',
  createdAt: new Date().toISOString(),
  node: process.version,
  grid: [NX, NY, NZ],
  labels: stats.labels.map((l) => ({ label: l.label, voxelCount: l.voxelCount, volumeMl: l.volumeMl })),
  labelledFraction: labelledVoxels / (NX * NY * NZ),
  phantomBuildMs: buildMs,
  kernelMs,
  kernelMedianMs: median(kernelMs),
  naiveMs,
  naiveMedianMs: median(naiveMs),
  speedup: median(naiveMs) / median(kernelMs),
  incrementalEditVoxels: indices.length,
  incrementalUpdateMs: incrementalMs,
  targetMs: TARGET_MS,
  meetsTarget: median(kernelMs) <= TARGET_MS,
  checks: [{ case: `label statistics kernel ${NX}x${NY}x${NZ}, median of ${RUNS}`, value: `${median(kernelMs).toFixed(1)} ms`, target: `<= ${TARGET_MS} ms`, met: median(kernelMs) <= TARGET_MS }] satisfies TargetCheck[],
};

console.table([
  { method: 'kernel (computeLabelStats)', medianMs: result.kernelMedianMs.toFixed(1), minMs: Math.min(...kernelMs).toFixed(1), runs: RUNS },
  { method: 'naive per-voxel loop', medianMs: result.naiveMedianMs.toFixed(1), minMs: Math.min(...naiveMs).toFixed(1), runs: naiveMs.length },
  { method: `incremental edit (${indices.length} voxels) + finalize`, medianMs: incrementalMs.toFixed(2), minMs: incrementalMs.toFixed(2), runs: 1 },
]);
console.log(
  `labelled fraction ${(result.labelledFraction * 100).toFixed(2)}%, speed-up x${result.speedup.toFixed(1)}, target ${TARGET_MS} ms: ${result.meetsTarget ? 'met' : 'NOT met'}`,
);

writeResult('stats', result);

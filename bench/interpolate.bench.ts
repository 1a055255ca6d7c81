/**
 * Fill-between-slices benchmark: a liver-sized ellipsoid (about 2 L at 0.7 x 0.7 x 2.5 mm on a 512 x 512 x 120 grid)
 * painted on every 5th slice, interpolated with fillBetweenSlices (itk-wasm morphological contour interpolation,
 * Node pipeline). Reports time (best of REPEATS), voxels added and Dice against the full ellipsoid; writes
 * bench/results/interpolate.json.
 */
import { fillBetweenSlices } from '../wasm/src/node/index.ts';
import type { ImageGeometry, Vec3 } from '../wasm/src/geometry/types.ts';
import { writeResult } from './lib.ts';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const size: Vec3 = [512, 512, 120];
const geometry: ImageGeometry = { sizeIJK: size, spacingMm: [0.7, 0.7, 2.5], originLPS: [-180, -180, -300], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const centre: Vec3 = [230, 250, 60];
const radii: Vec3 = [120, 95, 44];

const truth = new Uint8Array(size[0] * size[1] * size[2]);
let p = 0;
for (let k = 0; k < size[2]; k++)
  for (let j = 0; j < size[1]; j++)
    for (let i = 0; i < size[0]; i++, p++) {
      const x = (i - centre[0]) / radii[0], y = (j - centre[1]) / radii[1], z = (k - centre[2]) / radii[2];
      if (x * x + y * y + z * z <= 1) truth[p] = 1;
    }
const painted = new Uint8Array(truth.length);
const slice = size[0] * size[1];
for (let k = 0; k < size[2]; k += 5) painted.set(truth.subarray(k * slice, (k + 1) * slice), k * slice);

let truthVoxels = 0;
for (const v of truth) truthVoxels += v;
const voxelMl = (0.7 * 0.7 * 2.5) / 1000;

const runs: number[] = [];
let last: Awaited<ReturnType<typeof fillBetweenSlices>> | undefined;
for (let r = 0; r < REPEATS; r++) {
  const t0 = performance.now();
  last = await fillBetweenSlices(painted, geometry, { label: 1 });
  runs.push(performance.now() - t0);
}
const result = last as NonNullable<typeof last>;
let inter = 0, got = 0;
for (let q = 0; q < truth.length; q++) {
  const a = result.labelmap[q] === 1;
  if (a) got++;
  if (a && truth[q]) inter++;
}
const dice = (2 * inter) / (got + truthVoxels);
const summary = {
  grid: size,
  spacingMm: geometry.spacingMm,
  truthMl: truthVoxels * voxelMl,
  paintedSlices: result.paintedSlices.length,
  slicesFilled: result.slicesFilled.length,
  voxelsAdded: result.voxelsAdded,
  resultMl: got * voxelMl,
  dice,
  bestMs: Math.min(...runs),
  runsMs: runs,
};
console.table([{ 'truth mL': summary.truthMl.toFixed(1), 'result mL': summary.resultMl.toFixed(1), dice: dice.toFixed(4), 'slices filled': summary.slicesFilled, 'best ms': Math.round(summary.bestMs) }]);
writeResult('interpolate', { createdAt: new Date().toISOString(), node: process.version, repeats: REPEATS, ...summary });

import { describe, expect, it } from 'vitest';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import { applyLabelChanges, computeLabelStats, finalizeLabelStats, scanLabelStats, staleLabels } from './label-stats.ts';
import type { LabelStats } from './label-stats.ts';

const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];

function grid(sizeIJK: Vec3, spacingMm: Vec3 = [1, 1, 1], directionLPS = identity): ImageGeometry {
  return { sizeIJK, spacingMm, originLPS: [0, 0, 0], directionLPS };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A labelmap with blobs of labels 1, 2, 10, 11 plus scattered noise voxels, and a matching int16 image. */
function phantom(size: Vec3, seed: number): { labelmap: Uint8Array; image: ScalarVolume } {
  const [nx, ny, nz] = size;
  const rnd = lcg(seed);
  const labelmap = new Uint8Array(nx * ny * nz);
  const pixels = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const idx = i + nx * (j + ny * k);
        pixels[idx] = Math.round(rnd() * 3000) - 1000;
        const r2 = (i - nx / 2) ** 2 + (j - ny / 2) ** 2 + (k - nz / 2) ** 2;
        if (r2 < (nx / 3) ** 2) labelmap[idx] = i < nx / 2 ? 1 : 2;
        if ((i - nx / 2 - 1) ** 2 + (j - ny / 2) ** 2 + (k - nz / 2) ** 2 < 4) labelmap[idx] = 10;
        if (rnd() < 0.01) labelmap[idx] = 11;
      }
  return { labelmap, image: { geometry: grid(size), pixels, rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'HU' } };
}

/** Naive per-voxel reference written from the definitions. */
function naive(labelmap: Uint8Array, image: ScalarVolume, voxelVolumeMm3: number): LabelStats['labels'] {
  const [nx, ny, nz] = image.geometry.sizeIJK;
  type Acc = { n: number; sum: number; min: number; max: number; lo: Vec3; hi: Vec3; ks: Set<number> };
  const acc = new Map<number, Acc>();
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const idx = i + nx * (j + ny * k);
        const l = labelmap[idx] as number;
        if (l === 0) continue;
        const hu = (image.pixels[idx] as number) * image.rescaleSlope + image.rescaleIntercept;
        let a = acc.get(l);
        if (!a) {
          a = { n: 0, sum: 0, min: Infinity, max: -Infinity, lo: [i, j, k], hi: [i, j, k], ks: new Set() };
          acc.set(l, a);
        }
        a.n++;
        a.sum += hu;
        a.min = Math.min(a.min, hu);
        a.max = Math.max(a.max, hu);
        a.lo = [Math.min(a.lo[0], i), Math.min(a.lo[1], j), Math.min(a.lo[2], k)];
        a.hi = [Math.max(a.hi[0], i), Math.max(a.hi[1], j), Math.max(a.hi[2], k)];
        a.ks.add(k);
      }
  return [...acc.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([label, a]) => {
      const ks = [...a.ks].sort((x, y) => x - y);
      const runs: Array<[number, number]> = [];
      for (const k of ks) {
        const last = runs.at(-1);
        if (last && last[1] === k - 1) last[1] = k;
        else runs.push([k, k]);
      }
      const faces = [
        a.lo[0] === 0 && 'i=0',
        a.hi[0] === nx - 1 && 'i=max',
        a.lo[1] === 0 && 'j=0',
        a.hi[1] === ny - 1 && 'j=max',
        a.lo[2] === 0 && 'k=0',
        a.hi[2] === nz - 1 && 'k=max',
      ].filter((f): f is string => f !== false);
      return {
        label,
        voxelCount: a.n,
        volumeMl: (a.n * voxelVolumeMm3) / 1000,
        boundingBoxIJK: { min: a.lo, max: a.hi },
        slicesK: { firstK: ks[0] as number, lastK: ks.at(-1) as number, count: ks.length, runs },
        intensity: { mean: a.sum / a.n, min: a.min, max: a.max, units: 'HU' },
        touchesFovEdge: faces.length > 0,
        fovEdgeFaces: faces,
      } as LabelStats['labels'][number];
    });
}

function expectStatsClose(actual: LabelStats['labels'], expected: LabelStats['labels']): void {
  expect(actual.map((l) => l.label)).toEqual(expected.map((l) => l.label));
  actual.forEach((a, n) => {
    const e = expected[n] as (typeof expected)[number];
    expect({ ...a, intensity: null, volumeMl: 0 }).toEqual({ ...e, intensity: null, volumeMl: 0 });
    expect(a.volumeMl).toBeCloseTo(e.volumeMl, 9);
    expect(a.intensity?.mean).toBeCloseTo(e.intensity?.mean as number, 9);
    expect(a.intensity?.min).toBe(e.intensity?.min);
    expect(a.intensity?.max).toBe(e.intensity?.max);
  });
}

describe('computeLabelStats', () => {
  it('matches a naive per-voxel reference on odd-sized grids (rows not word-aligned), aligned and unaligned buffers', () => {
    for (const size of [
      [13, 11, 7],
      [32, 24, 9],
      [9, 40, 5],
    ] as Vec3[]) {
      const { labelmap, image } = phantom(size, size[0]);
      const expected = naive(labelmap, image, 1);
      expectStatsClose(computeLabelStats(labelmap, image).labels, expected);
      // The same labelmap at byte offsets 1 (no word view) and 4 (word view, shifted rows).
      for (const offset of [1, 4]) {
        const buf = new Uint8Array(labelmap.length + offset);
        buf.set(labelmap, offset);
        expectStatsClose(computeLabelStats(buf.subarray(offset), image).labels, expected);
      }
    }
  });

  it('computes volume as count x |det(D diag(spacing))| / 1000, including a gantry-tilt shear, and honours an override', () => {
    const size: Vec3 = [20, 20, 20];
    const labelmap = new Uint8Array(8000);
    for (let k = 5; k < 15; k++) for (let j = 5; j < 15; j++) for (let i = 5; i < 15; i++) labelmap[i + 20 * (j + 20 * k)] = 1; // 1000 voxels
    // Rotation about z by 30 degrees: orthonormal, det 1; voxel 0.7 x 0.8 x 2.5 = 1.4 mm^3.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const rotated = computeLabelStats(labelmap, null, { grid: grid(size, [0.7, 0.8, 2.5], [c, -s, 0, s, c, 0, 0, 0, 1]) });
    expect(rotated.voxelVolume.method).toBe('abs-det-direction-times-spacing');
    expect(rotated.labels[0]?.volumeMl).toBeCloseTo(1.4, 12);
    expect(rotated.labels[0]?.intensity).toBeNull();
    // Gantry tilt 20 degrees: k axis = (0, sin 20, cos 20); slices 2.5 mm apart along that axis are 2.5 cos 20 apart in z.
    const t = (20 * Math.PI) / 180;
    const tilted = computeLabelStats(labelmap, null, { grid: grid(size, [1, 1, 2.5], [1, 0, 0, 0, 1, Math.sin(t), 0, 0, Math.cos(t)]) });
    expect(tilted.voxelVolume.detDirection).toBeCloseTo(Math.cos(t), 12);
    expect(tilted.labels[0]?.volumeMl).toBeCloseTo((1000 * 2.5 * Math.cos(t)) / 1000, 12);
    // Left-handed frame: |det| keeps volume positive.
    const flipped = computeLabelStats(labelmap, null, { grid: grid(size, [1, 1, 1], [-1, 0, 0, 0, 1, 0, 0, 0, 1]) });
    expect(flipped.labels[0]?.volumeMl).toBe(1);
    const override = computeLabelStats(labelmap, null, { grid: grid(size), voxelVolumeMm3: 2, voxelVolumeReason: 'tilt corrected by reader' });
    expect(override.voxelVolume).toEqual({ valueMm3: 2, method: 'explicit-override', detDirection: 1, geometryValueMm3: 1, overrideReason: 'tilt corrected by reader' });
    expect(override.labels[0]?.volumeMl).toBe(2);
  });

  it('rescales intensities (negative slope swaps min and max) and reports FOV faces and slice gaps', () => {
    const size: Vec3 = [6, 5, 8];
    const labelmap = new Uint8Array(240);
    const pixels = new Uint16Array(240);
    const at = (i: number, j: number, k: number): number => i + 6 * (j + 5 * k);
    for (const [i, j, k, v] of [
      [0, 2, 1, 100],
      [3, 2, 2, 200],
      [4, 4, 7, 400],
    ] as const) {
      labelmap[at(i, j, k)] = 7;
      pixels[at(i, j, k)] = v;
    }
    const image: ScalarVolume = { geometry: grid(size), pixels, rescaleSlope: -2, rescaleIntercept: 10, rescaleUnits: 'US' };
    const [stat] = computeLabelStats(labelmap, image).labels;
    expect(stat?.intensity).toEqual({ mean: -2 * (700 / 3) + 10, min: -790, max: -190, units: 'US' });
    expect(stat?.slicesK).toEqual({ firstK: 1, lastK: 7, count: 3, runs: [[1, 2], [7, 7]] });
    expect(stat?.boundingBoxIJK).toEqual({ min: [0, 2, 1], max: [4, 4, 7] });
    expect(stat?.fovEdgeFaces).toEqual(['i=0', 'j=max', 'k=max']);
    expect(stat?.touchesFovEdge).toBe(true);
  });

  it('rejects mismatched grids and bad geometry with messages naming the problem', () => {
    const { labelmap, image } = phantom([8, 8, 4], 1);
    expect(() => computeLabelStats(labelmap.subarray(1), image)).toThrow(/labelmap has 255 voxels but the grid 8x8x4 has 256/);
    expect(() => computeLabelStats(labelmap, image, { grid: grid([8, 4, 8]) })).toThrow(/image grid 8x8x4 differs from the labelmap grid 8x4x8/);
    expect(() => computeLabelStats(labelmap, null, { grid: grid([8, 8, 4], [1, 0, 1]) })).toThrow(/spacingMm must be three positive finite numbers/);
    expect(() => computeLabelStats(labelmap, null, { grid: grid([8, 8, 4], [1, 1, 1], [1, 0, 0, 1, 0, 0, 0, 0, 1]) })).toThrow(/directionLPS is singular/);
    expect(() => computeLabelStats(labelmap, null, { grid: grid([8, 8, 4]), voxelVolumeMm3: -1 })).toThrow(/voxelVolumeMm3 override must be a positive/);
    expect(() => computeLabelStats(labelmap, null)).toThrow(/needs an image or options.grid/);
  });
});

describe('incremental label statistics', () => {
  it('stays equal to a full recompute after random edits (lazy rescan of stale bounds and min/max)', () => {
    const size: Vec3 = [17, 15, 9];
    const { labelmap, image } = phantom(size, 42);
    const state = scanLabelStats(labelmap, image.geometry, image);
    const rnd = lcg(7);
    const labels = [0, 1, 2, 10, 11, 12];
    for (let round = 0; round < 5; round++) {
      const indices: number[] = [];
      const oldLabels: number[] = [];
      const newLabels: number[] = [];
      const used = new Set<number>();
      for (let c = 0; c < 300; c++) {
        const idx = Math.floor(rnd() * labelmap.length);
        if (used.has(idx)) continue;
        used.add(idx);
        const next = labels[Math.floor(rnd() * labels.length)] as number;
        indices.push(idx);
        oldLabels.push(labelmap[idx] as number);
        newLabels.push(next);
        labelmap[idx] = next;
      }
      applyLabelChanges(state, { indices, oldLabels, newLabels }, image);
      expect(staleLabels(state).length).toBeGreaterThan(0);
      expect(() => finalizeLabelStats(state)).toThrow(/need a rescan after edits/);
      expectStatsClose(finalizeLabelStats(state, labelmap, image).labels, naive(labelmap, image, 1));
      expect(staleLabels(state)).toEqual([]);
    }
    // Growing a label only: exact without any rescan.
    const idx = labelmap.indexOf(0);
    applyLabelChanges(state, { indices: [idx], oldLabels: [0], newLabels: [200] }, image);
    labelmap[idx] = 200;
    expect(staleLabels(state)).toEqual([]);
    expectStatsClose(finalizeLabelStats(state).labels, naive(labelmap, image, 1));
  });

  it('keeps j bounds and a shared min value exact without a rescan', () => {
    const size: Vec3 = [6, 5, 4];
    const labelmap = new Uint8Array(120);
    const pixels = new Int16Array(120);
    const at = (i: number, j: number, k: number): number => i + 6 * (j + 5 * k);
    for (const [i, j, k, v] of [
      [0, 1, 0, 5],
      [2, 0, 1, 5],
      [4, 3, 2, 9],
    ] as const) {
      labelmap[at(i, j, k)] = 3;
      pixels[at(i, j, k)] = v;
    }
    const image: ScalarVolume = { geometry: grid(size), pixels, rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'HU' };
    const state = scanLabelStats(labelmap, image.geometry, image);
    // Remove the only voxel on row j = 0 (not on the i bounds), one of two voxels holding the min value 5.
    applyLabelChanges(state, { indices: [at(2, 0, 1)], oldLabels: [3], newLabels: [0] }, image);
    labelmap[at(2, 0, 1)] = 0;
    expect(staleLabels(state)).toEqual([]);
    const [stat] = finalizeLabelStats(state).labels;
    expect(stat?.boundingBoxIJK).toEqual({ min: [0, 1, 0], max: [4, 3, 2] });
    expect(stat?.slicesK).toEqual({ firstK: 0, lastK: 2, count: 2, runs: [[0, 0], [2, 2]] });
    expect(stat?.intensity).toEqual({ mean: 7, min: 5, max: 9, units: 'HU' });
    // Removing the last voxel at the max (9, also on the i max bound) makes the label stale until a rescan.
    applyLabelChanges(state, { indices: [at(4, 3, 2)], oldLabels: [3], newLabels: [0] }, image);
    labelmap[at(4, 3, 2)] = 0;
    expect(staleLabels(state)).toEqual([3]);
    expect(finalizeLabelStats(state, labelmap, image).labels[0]?.intensity).toEqual({ mean: 5, min: 5, max: 5, units: 'HU' });
  });

  it('rejects inconsistent changes', () => {
    const { labelmap, image } = phantom([8, 8, 4], 3);
    const state = scanLabelStats(labelmap, image.geometry, image);
    expect(() => applyLabelChanges(state, { indices: [0, 1], oldLabels: [0], newLabels: [1, 1] }, image)).toThrow(/differ in length/);
    expect(() => applyLabelChanges(state, { indices: [999], oldLabels: [0], newLabels: [1] }, image)).toThrow(/voxel index 999 is outside 0\.\.255/);
    expect(() => applyLabelChanges(state, { indices: [0], oldLabels: [99], newLabels: [1] }, image)).toThrow(/no voxel of label 99 on slice 0/);
    expect(() => applyLabelChanges(state, { indices: [0], oldLabels: [0], newLabels: [1] }, null)).toThrow(/image must be given/);
  });
});

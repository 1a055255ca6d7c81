import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume, StoredPixelArray } from '../image/types.ts';
import { resolveVoxelVolume } from './voxel-volume.ts';
import type { VoxelVolume } from './voxel-volume.ts';

/** Faces of the image grid (field of view) a label can touch. */
export type FovFace = 'i=0' | 'i=max' | 'j=0' | 'j=max' | 'k=0' | 'k=max';

export interface SliceCoverage {
  firstK: number;
  lastK: number;
  /** Number of distinct k holding at least one voxel. */
  count: number;
  /** Maximal runs [kStart, kEnd] (inclusive) of consecutive covered slices; more than one run means gaps. */
  runs: Array<[number, number]>;
}

export interface IntensityStats {
  /** Mean, min and max of rescaled values (stored * slope + intercept), in `units` (HU for CT). */
  mean: number;
  min: number;
  max: number;
  units: string;
}

export interface LabelStat {
  label: number;
  voxelCount: number;
  /** voxelCount * voxelVolumeMm3 / 1000. */
  volumeMl: number;
  boundingBoxIJK: { min: Vec3; max: Vec3 };
  slicesK: SliceCoverage;
  /** null when no image was given. */
  intensity: IntensityStats | null;
  touchesFovEdge: boolean;
  fovEdgeFaces: FovFace[];
}

export interface LabelStats {
  sizeIJK: Vec3;
  voxelVolume: VoxelVolume;
  /** Labels present (voxelCount > 0), ascending; background (0) excluded. */
  labels: LabelStat[];
}

export interface LabelStatsOptions {
  /** Explicit voxel volume (e.g. for gantry-tilted/sheared stacks whose shear is not in the direction matrix). */
  voxelVolumeMm3?: number;
  voxelVolumeReason?: string;
}

const NL = 256;

/**
 * Accumulators of the statistics kernel, per label 0..255, kept so that edits can update them incrementally.
 * Counts, sums, per-slice and per-row counts (hence k and j bounds and slice coverage) stay exact under edits, and so
 * do min/max while other voxels still hold the extreme value (minCount/maxCount). Only two cases go stale and are
 * rescanned lazily by finalizeLabelStats: removing a voxel on the label's i bounds, or the last voxel holding its
 * min/max value.
 */
export interface LabelStatsState {
  sizeIJK: Vec3;
  voxelVolume: VoxelVolume;
  /** Rescale and units of the image the sums refer to; null when no image was given. */
  image: { rescaleSlope: number; rescaleIntercept: number; units: string } | null;
  count: Float64Array;
  /** Sum / min / max of stored (not rescaled) pixel values. */
  sumStored: Float64Array;
  minStored: Float64Array;
  maxStored: Float64Array;
  /** Number of voxels holding the min / max stored value (so removing one of several keeps min/max exact). */
  minCount: Float64Array;
  maxCount: Float64Array;
  minI: Int32Array;
  maxI: Int32Array;
  minJ: Int32Array;
  maxJ: Int32Array;
  /** countPerK[label * nz + k] = voxels of label on slice k. */
  countPerK: Uint32Array;
  /** countPerJ[label * ny + j] = voxels of label on row index j (all slices); keeps j bounds exact under edits. */
  countPerJ: Uint32Array;
  staleBoundsIJ: Uint8Array;
  staleMinMax: Uint8Array;
}

function checkGrid(labelmap: Uint8Array, grid: ImageGeometry, image: ScalarVolume | null): Vec3 {
  if (!(labelmap instanceof Uint8Array)) throw new Error('labelmap must be a Uint8Array');
  const size = grid.sizeIJK;
  if (!Array.isArray(size) || size.length !== 3 || size.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`geometry.sizeIJK must be three positive integers, got [${String(size)}]`);
  }
  const total = size[0] * size[1] * size[2];
  if (labelmap.length !== total) throw new Error(`labelmap has ${labelmap.length} voxels but the grid ${size.join('x')} has ${total}`);
  if (image) {
    const isz = image.geometry.sizeIJK;
    if (isz[0] !== size[0] || isz[1] !== size[1] || isz[2] !== size[2]) {
      throw new Error(`image grid ${isz.join('x')} differs from the labelmap grid ${size.join('x')}`);
    }
    if (image.pixels.length !== total) throw new Error(`image has ${image.pixels.length} pixels but its grid ${isz.join('x')} has ${total}`);
    if (!Number.isFinite(image.rescaleSlope) || !Number.isFinite(image.rescaleIntercept)) {
      throw new Error(`image rescaleSlope/rescaleIntercept must be finite, got ${image.rescaleSlope}/${image.rescaleIntercept}`);
    }
  }
  return [size[0], size[1], size[2]];
}

function emptyState(sizeIJK: Vec3, voxelVolume: VoxelVolume, image: ScalarVolume | null): LabelStatsState {
  const s: LabelStatsState = {
    sizeIJK,
    voxelVolume,
    image: image ? { rescaleSlope: image.rescaleSlope, rescaleIntercept: image.rescaleIntercept, units: image.rescaleUnits } : null,
    count: new Float64Array(NL),
    sumStored: new Float64Array(NL),
    minStored: new Float64Array(NL),
    maxStored: new Float64Array(NL),
    minCount: new Float64Array(NL),
    maxCount: new Float64Array(NL),
    minI: new Int32Array(NL),
    maxI: new Int32Array(NL),
    minJ: new Int32Array(NL),
    maxJ: new Int32Array(NL),
    countPerK: new Uint32Array(NL * sizeIJK[2]),
    countPerJ: new Uint32Array(NL * sizeIJK[1]),
    staleBoundsIJ: new Uint8Array(NL),
    staleMinMax: new Uint8Array(NL),
  };
  for (let l = 0; l < NL; l++) resetLabel(s, l);
  return s;
}

function resetLabel(s: LabelStatsState, l: number): void {
  s.minStored[l] = Infinity;
  s.maxStored[l] = -Infinity;
  s.minCount[l] = 0;
  s.maxCount[l] = 0;
  s.minI[l] = 0x7fffffff;
  s.maxI[l] = -1;
  s.minJ[l] = 0x7fffffff;
  s.maxJ[l] = -1;
  s.staleBoundsIJ[l] = 0;
  s.staleMinMax[l] = 0;
}

/**
 * The statistics kernel: one pass over the labelmap. Background is skipped sixteen bytes at a time through a
 * Uint32Array view (when the labelmap is 4-byte aligned); runs of one label within a row update bounds and per-slice
 * counts once per run, and intensity sum/min/max per voxel in the same loop that finds the run's end. Accumulators are typed arrays indexed by label: no allocation and
 * no Map in the hot loop.
 */
export function scanLabelStats(labelmap: Uint8Array, grid: ImageGeometry, image: ScalarVolume | null, options: LabelStatsOptions = {}): LabelStatsState {
  const sizeIJK = checkGrid(labelmap, grid, image);
  const state = emptyState(sizeIJK, resolveVoxelVolume(grid, options.voxelVolumeMm3, options.voxelVolumeReason), image);
  accumulate(state, labelmap, image ? image.pixels : null);
  return state;
}

function accumulate(state: LabelStatsState, lab: Uint8Array, pix: StoredPixelArray | null): void {
  const [nx, ny, nz] = state.sizeIJK;
  const total = nx * ny * nz;
  const { count, sumStored, minStored, maxStored, minCount, maxCount, minI, maxI, minJ, maxJ, countPerK, countPerJ } = state;
  // Word view for skipping background 16 bytes at a time; only when the bytes are 4-byte aligned.
  const u32 = lab.byteOffset % 4 === 0 ? new Uint32Array(lab.buffer, lab.byteOffset, lab.length >>> 2) : null;
  const nWords = u32 === null ? 0 : u32.length;
  let idx = 0;
  while (idx < total) {
    if (u32 !== null && (idx & 15) === 0) {
      let w = idx >>> 2;
      while (w + 4 <= nWords && ((u32[w] as number) | (u32[w + 1] as number) | (u32[w + 2] as number) | (u32[w + 3] as number)) === 0) w += 4;
      idx = w * 4;
      if (idx >= total) break;
    }
    const l = lab[idx] as number;
    if (l === 0) {
      idx++;
      continue;
    }
    // A run of label l, ending at the first other label or at the end of the row. Row index once per run.
    const row = Math.floor(idx / nx);
    const rowStart = row * nx;
    const rowEnd = rowStart + nx;
    const j = row % ny;
    const k = Math.floor(row / ny);
    const start = idx;
    if (pix !== null) {
      let sum = 0;
      let mn = minStored[l] as number;
      let mx = maxStored[l] as number;
      let mnc = minCount[l] as number;
      let mxc = maxCount[l] as number;
      do {
        const v = pix[idx] as number;
        sum += v;
        if (v <= mn) {
          if (v < mn) {
            mn = v;
            mnc = 0;
          }
          mnc++;
        }
        if (v >= mx) {
          if (v > mx) {
            mx = v;
            mxc = 0;
          }
          mxc++;
        }
        idx++;
      } while (idx < rowEnd && lab[idx] === l);
      sumStored[l] += sum;
      minStored[l] = mn;
      maxStored[l] = mx;
      minCount[l] = mnc;
      maxCount[l] = mxc;
    } else {
      do idx++;
      while (idx < rowEnd && lab[idx] === l);
    }
    const len = idx - start;
    count[l] += len;
    const i0 = start - rowStart;
    const i1 = idx - 1 - rowStart;
    if (i0 < (minI[l] as number)) minI[l] = i0;
    if (i1 > (maxI[l] as number)) maxI[l] = i1;
    if (j < (minJ[l] as number)) minJ[l] = j;
    if (j > (maxJ[l] as number)) maxJ[l] = j;
    countPerK[l * nz + k] += len;
    countPerJ[l * ny + j] += len;
  }
}

/** A change of voxel labels: parallel arrays of flat voxel indices (i + nx*(j + ny*k)), old and new labels. */
export interface LabelChange {
  indices: ArrayLike<number>;
  oldLabels: ArrayLike<number>;
  newLabels: ArrayLike<number>;
}

/**
 * Updates the accumulators for edited voxels (the labelmap itself is edited by the caller). Exact: counts, sums,
 * slice coverage, j and k bounds, bounds and min/max of labels that gain voxels, and min/max while other voxels keep
 * the extreme value. Lazy: a label losing a voxel on its i bounds, or the last voxel at its min/max value, is marked
 * stale and rescanned by finalizeLabelStats (which then needs the edited labelmap). Cost: O(changes), plus O(ny) when a
 * j bound row empties. `image` must be the one the state was built with.
 */
export function applyLabelChanges(state: LabelStatsState, change: LabelChange, image: ScalarVolume | null): void {
  const { indices, oldLabels, newLabels } = change;
  if (oldLabels.length !== indices.length || newLabels.length !== indices.length) {
    throw new Error(`label change arrays differ in length: indices ${indices.length}, oldLabels ${oldLabels.length}, newLabels ${newLabels.length}`);
  }
  if ((state.image === null) !== (image === null)) throw new Error('applyLabelChanges: image must be given exactly when the statistics state was built with one');
  const [nx, ny, nz] = state.sizeIJK;
  const total = nx * ny * nz;
  const pix = image ? image.pixels : null;
  const s = state;
  for (let c = 0; c < indices.length; c++) {
    const idx = indices[c] as number;
    const oldL = oldLabels[c] as number;
    const newL = newLabels[c] as number;
    if (!Number.isInteger(idx) || idx < 0 || idx >= total) throw new Error(`label change ${c}: voxel index ${idx} is outside 0..${total - 1}`);
    if (!Number.isInteger(oldL) || oldL < 0 || oldL > 255 || !Number.isInteger(newL) || newL < 0 || newL > 255) {
      throw new Error(`label change ${c}: labels must be integers in 0..255, got ${oldL} -> ${newL}`);
    }
    if (oldL === newL) continue;
    const i = idx % nx;
    const j = Math.floor(idx / nx) % ny;
    const k = Math.floor(idx / (nx * ny));
    const v = pix ? (pix[idx] as number) : 0;
    // Background (0) is not accumulated: the kernel skips it.
    if (oldL !== 0) {
      if ((s.countPerK[oldL * nz + k] as number) === 0) {
        throw new Error(`label change ${c}: voxel ${idx} is said to hold label ${oldL}, but the statistics have no voxel of label ${oldL} on slice ${k}`);
      }
      s.count[oldL]--;
      s.countPerK[oldL * nz + k]--;
      s.countPerJ[oldL * ny + j]--;
      if (s.count[oldL] === 0) {
        s.sumStored[oldL] = 0;
        resetLabel(s, oldL);
      } else {
        if (i === s.minI[oldL] || i === s.maxI[oldL]) s.staleBoundsIJ[oldL] = 1;
        if ((j === s.minJ[oldL] || j === s.maxJ[oldL]) && s.countPerJ[oldL * ny + j] === 0) jBoundsFromCounts(s, oldL);
        if (pix) {
          s.sumStored[oldL] -= v;
          if (v === s.minStored[oldL] && --s.minCount[oldL] === 0) s.staleMinMax[oldL] = 1;
          if (v === s.maxStored[oldL] && --s.maxCount[oldL] === 0) s.staleMinMax[oldL] = 1;
        }
      }
    }
    if (newL !== 0) {
      s.count[newL]++;
      s.countPerK[newL * nz + k]++;
      s.countPerJ[newL * ny + j]++;
      if (i < (s.minI[newL] as number)) s.minI[newL] = i;
      if (i > (s.maxI[newL] as number)) s.maxI[newL] = i;
      if (j < (s.minJ[newL] as number)) s.minJ[newL] = j;
      if (j > (s.maxJ[newL] as number)) s.maxJ[newL] = j;
      if (pix) {
        s.sumStored[newL] += v;
        if (v < (s.minStored[newL] as number)) {
          s.minStored[newL] = v;
          s.minCount[newL] = 1;
        } else if (v === s.minStored[newL]) s.minCount[newL]++;
        if (v > (s.maxStored[newL] as number)) {
          s.maxStored[newL] = v;
          s.maxCount[newL] = 1;
        } else if (v === s.maxStored[newL]) s.maxCount[newL]++;
      }
    }
  }
}

/** Recomputes the j bounds of a label from its exact per-row counts. */
function jBoundsFromCounts(s: LabelStatsState, l: number): void {
  const ny = s.sizeIJK[1];
  let lo = -1;
  let hi = -1;
  for (let j = 0; j < ny; j++) {
    if ((s.countPerJ[l * ny + j] as number) > 0) {
      if (lo < 0) lo = j;
      hi = j;
    }
  }
  s.minJ[l] = lo < 0 ? 0x7fffffff : lo;
  s.maxJ[l] = hi;
}

/** Labels whose bounds or min/max need a rescan before finalizing. */
export function staleLabels(state: LabelStatsState): number[] {
  const out: number[] = [];
  for (let l = 1; l < NL; l++) if (state.staleBoundsIJ[l] || state.staleMinMax[l]) out.push(l);
  return out;
}

function refreshStale(state: LabelStatsState, labelmap: Uint8Array, image: ScalarVolume | null): void {
  const stale = staleLabels(state);
  if (stale.length === 0) return;
  const grid: ImageGeometry = { sizeIJK: state.sizeIJK, spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  checkGrid(labelmap, grid, image);
  const fresh = emptyState(state.sizeIJK, state.voxelVolume, image);
  accumulate(fresh, labelmap, image ? image.pixels : null);
  for (const l of stale) {
    if (fresh.count[l] !== state.count[l]) {
      throw new Error(`incremental statistics out of sync for label ${l}: ${state.count[l]} voxels counted, ${fresh.count[l]} in the labelmap`);
    }
    state.minI[l] = fresh.minI[l] as number;
    state.maxI[l] = fresh.maxI[l] as number;
    state.minJ[l] = fresh.minJ[l] as number;
    state.maxJ[l] = fresh.maxJ[l] as number;
    state.minStored[l] = fresh.minStored[l] as number;
    state.maxStored[l] = fresh.maxStored[l] as number;
    state.minCount[l] = fresh.minCount[l] as number;
    state.maxCount[l] = fresh.maxCount[l] as number;
    state.staleBoundsIJ[l] = 0;
    state.staleMinMax[l] = 0;
  }
}

function sliceCoverage(countPerK: Uint32Array, label: number, nz: number): SliceCoverage {
  const runs: Array<[number, number]> = [];
  let count = 0;
  let runStart = -1;
  const base = label * nz;
  for (let k = 0; k < nz; k++) {
    if ((countPerK[base + k] as number) > 0) {
      count++;
      if (runStart < 0) runStart = k;
    } else if (runStart >= 0) {
      runs.push([runStart, k - 1]);
      runStart = -1;
    }
  }
  if (runStart >= 0) runs.push([runStart, nz - 1]);
  const first = runs[0];
  const last = runs.at(-1);
  return { firstK: first ? first[0] : -1, lastK: last ? last[1] : -1, count, runs };
}

/** Faces of the grid a bounding box touches. */
export function fovFacesOf(box: { min: Vec3; max: Vec3 }, sizeIJK: Vec3): FovFace[] {
  const faces: FovFace[] = [];
  if (box.min[0] === 0) faces.push('i=0');
  if (box.max[0] === sizeIJK[0] - 1) faces.push('i=max');
  if (box.min[1] === 0) faces.push('j=0');
  if (box.max[1] === sizeIJK[1] - 1) faces.push('j=max');
  if (box.min[2] === 0) faces.push('k=0');
  if (box.max[2] === sizeIJK[2] - 1) faces.push('k=max');
  return faces;
}

/**
 * Turns accumulators into per-label statistics. When edits left stale labels, `labelmap` (the edited one) and the
 * image are required and the stale labels are rescanned first.
 */
export function finalizeLabelStats(state: LabelStatsState, labelmap?: Uint8Array, image?: ScalarVolume | null): LabelStats {
  if (staleLabels(state).length > 0) {
    if (!labelmap) throw new Error(`labels ${staleLabels(state).join(', ')} need a rescan after edits: pass the edited labelmap to finalizeLabelStats`);
    refreshStale(state, labelmap, image ?? null);
  }
  const [, , nz] = state.sizeIJK;
  const vv = state.voxelVolume.valueMm3;
  const labels: LabelStat[] = [];
  for (let l = 1; l < NL; l++) {
    const n = state.count[l] as number;
    if (n === 0) continue;
    const slicesK = sliceCoverage(state.countPerK, l, nz);
    const boundingBoxIJK = {
      min: [state.minI[l] as number, state.minJ[l] as number, slicesK.firstK] as Vec3,
      max: [state.maxI[l] as number, state.maxJ[l] as number, slicesK.lastK] as Vec3,
    };
    let intensity: IntensityStats | null = null;
    if (state.image) {
      const { rescaleSlope: a, rescaleIntercept: b, units } = state.image;
      const lo = a * (state.minStored[l] as number) + b;
      const hi = a * (state.maxStored[l] as number) + b;
      intensity = { mean: a * ((state.sumStored[l] as number) / n) + b, min: Math.min(lo, hi), max: Math.max(lo, hi), units };
    }
    const fovEdgeFaces = fovFacesOf(boundingBoxIJK, state.sizeIJK);
    labels.push({ label: l, voxelCount: n, volumeMl: (n * vv) / 1000, boundingBoxIJK, slicesK, intensity, touchesFovEdge: fovEdgeFaces.length > 0, fovEdgeFaces });
  }
  return { sizeIJK: [...state.sizeIJK], voxelVolume: state.voxelVolume, labels };
}

/**
 * Per-label statistics of a labelmap on a grid, with intensities from `image` (same grid) when given.
 * `grid` defaults to the image geometry.
 */
export function computeLabelStats(labelmap: Uint8Array, image: ScalarVolume | null, options: LabelStatsOptions & { grid?: ImageGeometry } = {}): LabelStats {
  const grid = options.grid ?? image?.geometry;
  if (!grid) throw new Error('computeLabelStats needs an image or options.grid to know the labelmap grid');
  return finalizeLabelStats(scanLabelStats(labelmap, grid, image, options));
}

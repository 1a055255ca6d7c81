/**
 * Pure labelmap helpers for "fill between slices" (no itk-wasm here).
 * Labelmap: Uint8Array on an ImageGeometry, voxel order i fastest, then j, then k; 0 = background.
 */
import type { Vec3 } from '../geometry/types.ts';

export interface BoxIJK {
  /** Inclusive lower corner. */
  min: Vec3;
  /** Inclusive upper corner. */
  max: Vec3;
}

/** Bounding box of the voxels equal to `label`, or null when there are none. */
export function labelBoundingBox(labelmap: Uint8Array, sizeIJK: Vec3, label: number): BoxIJK | null {
  const [ni, nj, nk] = sizeIJK;
  let minI = ni, minJ = nj, minK = nk, maxI = -1, maxJ = -1, maxK = -1;
  let p = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, p++) {
        if (labelmap[p] !== label) continue;
        if (i < minI) minI = i;
        if (i > maxI) maxI = i;
        if (j < minJ) minJ = j;
        if (j > maxJ) maxJ = j;
        if (k < minK) minK = k;
        if (k > maxK) maxK = k;
      }
    }
  }
  if (maxI < 0) return null;
  return { min: [minI, minJ, minK], max: [maxI, maxJ, maxK] };
}

/** Indices (along `axis`) of the slices that contain at least one voxel of `label`. */
export function slicesWithLabel(labelmap: Uint8Array, sizeIJK: Vec3, label: number, axis: 0 | 1 | 2): number[] {
  const [ni, nj, nk] = sizeIJK;
  const has = new Uint8Array(sizeIJK[axis]);
  let p = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, p++) {
        if (labelmap[p] === label) has[axis === 0 ? i : axis === 1 ? j : k] = 1;
      }
    }
  }
  const out: number[] = [];
  has.forEach((v, s) => {
    if (v) out.push(s);
  });
  return out;
}

/** Copy the box out of the labelmap as a binary mask: 1 where the voxel equals `label`, else 0. */
export function extractLabelBox(labelmap: Uint8Array, sizeIJK: Vec3, label: number, box: BoxIJK): Uint8Array {
  const [ni, nj] = sizeIJK;
  const bi = box.max[0] - box.min[0] + 1;
  const bj = box.max[1] - box.min[1] + 1;
  const bk = box.max[2] - box.min[2] + 1;
  const out = new Uint8Array(bi * bj * bk);
  let o = 0;
  for (let k = box.min[2]; k <= box.max[2]; k++) {
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      let p = (k * nj + j) * ni + box.min[0];
      for (let i = 0; i < bi; i++, p++, o++) out[o] = labelmap[p] === label ? 1 : 0;
    }
  }
  return out;
}

export interface MergeResult {
  /** Voxels set to `label` that were background before. */
  voxelsAdded: number;
  /** Voxels the interpolation wanted that belong to another label (left untouched). */
  voxelsBlockedByOtherLabels: number;
  /** Indices (along `axis`) of the slices that received at least one voxel, ascending. */
  slicesFilled: number[];
}

/**
 * Merge a binary box mask back into the labelmap IN PLACE: a voxel becomes `label` only if the mask is non-zero there
 * AND the labelmap voxel is background (0). Voxels of other labels are never overwritten; existing `label` voxels
 * stay as they are (the interpolation never removes anything).
 */
export function mergeLabelBox(
  labelmap: Uint8Array,
  sizeIJK: Vec3,
  label: number,
  box: BoxIJK,
  mask: ArrayLike<number>,
  axis: 0 | 1 | 2,
): MergeResult {
  const [ni, nj] = sizeIJK;
  const bi = box.max[0] - box.min[0] + 1;
  const filled = new Uint8Array(sizeIJK[axis]);
  let voxelsAdded = 0;
  let voxelsBlockedByOtherLabels = 0;
  let o = 0;
  for (let k = box.min[2]; k <= box.max[2]; k++) {
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      let p = (k * nj + j) * ni + box.min[0];
      for (let i = box.min[0]; i < box.min[0] + bi; i++, p++, o++) {
        if (mask[o] === 0) continue;
        const current = labelmap[p];
        if (current === 0) {
          labelmap[p] = label;
          voxelsAdded++;
          filled[axis === 0 ? i : axis === 1 ? j : k] = 1;
        } else if (current !== label) {
          voxelsBlockedByOtherLabels++;
        }
      }
    }
  }
  const slicesFilled: number[] = [];
  filled.forEach((v, s) => {
    if (v) slicesFilled.push(s);
  });
  return { voxelsAdded, voxelsBlockedByOtherLabels, slicesFilled };
}

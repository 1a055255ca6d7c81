/**
 * Binary mask operations on a box of the grid (clean-up tools): 6-connected components, hole filling, and
 * dilation / erosion with an ellipsoidal structuring element defined in mm. Masks are Uint8Array (0/1) on a
 * LocalBox, which may extend past the volume by a margin (those voxels read as 0 and are never written back).
 */
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { checkRadius, metricTensor, sphereHalfExtentsIJK } from './grid-math.ts';

export interface LocalBox {
  /** Lower corner in volume index space (may be negative). */
  min: Vec3;
  /** Size of the box. */
  size: Vec3;
}

export function boxVoxelCount(box: LocalBox): number {
  return box.size[0] * box.size[1] * box.size[2];
}

/** Bounding box of the voxels whose label is a member (membership[label] = 1), or null. */
export function membershipBox(labelmap: Uint8Array, sizeIJK: Vec3, membership: Uint8Array): { min: Vec3; max: Vec3 } | null {
  const [nx, ny, nz] = sizeIJK;
  let minI = nx, minJ = ny, minK = nz, maxI = -1, maxJ = -1, maxK = -1;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      let rowHit = false;
      for (let i = 0; i < nx; i++, p++) {
        if (membership[labelmap[p] as number] !== 1) continue;
        rowHit = true;
        if (i < minI) minI = i;
        if (i > maxI) maxI = i;
      }
      if (rowHit) {
        if (j < minJ) minJ = j;
        if (j > maxJ) maxJ = j;
        if (k < minK) minK = k;
        if (k > maxK) maxK = k;
      }
    }
  }
  return maxI < 0 ? null : { min: [minI, minJ, minK], max: [maxI, maxJ, maxK] };
}

export function expandBox(box: { min: Vec3; max: Vec3 }, margin: Vec3): LocalBox {
  const min: Vec3 = [box.min[0] - margin[0], box.min[1] - margin[1], box.min[2] - margin[2]];
  return { min, size: [box.max[0] - box.min[0] + 1 + 2 * margin[0], box.max[1] - box.min[1] + 1 + 2 * margin[1], box.max[2] - box.min[2] + 1 + 2 * margin[2]] };
}

/** Visit each in-volume voxel of the box: (local index, volume index). */
export function forEachInVolume(box: LocalBox, sizeIJK: Vec3, visit: (local: number, global: number) => void): void {
  const [bx, by, bz] = box.size;
  const [nx, ny, nz] = sizeIJK;
  for (let z = 0; z < bz; z++) {
    const k = box.min[2] + z;
    if (k < 0 || k >= nz) continue;
    for (let y = 0; y < by; y++) {
      const j = box.min[1] + y;
      if (j < 0 || j >= ny) continue;
      const i0 = Math.max(0, box.min[0]);
      const i1 = Math.min(nx - 1, box.min[0] + bx - 1);
      let local = (z * by + y) * bx + (i0 - box.min[0]);
      let global = (k * ny + j) * nx + i0;
      for (let i = i0; i <= i1; i++, local++, global++) visit(local, global);
    }
  }
}

export function extractMembership(labelmap: Uint8Array, sizeIJK: Vec3, membership: Uint8Array, box: LocalBox): Uint8Array {
  const mask = new Uint8Array(boxVoxelCount(box));
  forEachInVolume(box, sizeIJK, (local, global) => {
    mask[local] = membership[labelmap[global] as number] as number;
  });
  return mask;
}

/**
 * 6-connected components of mask = 1. Returns component id per voxel (0 = not in mask, ids from 1) and sizes
 * (sizes[id]).
 */
export function connectedComponents(mask: Uint8Array, size: Vec3): { ids: Int32Array; sizes: number[] } {
  const [bx, by, bz] = size;
  const n = mask.length;
  const ids = new Int32Array(n);
  const queue = new Int32Array(n);
  const sizes: number[] = [0];
  const sxy = bx * by;
  for (let seed = 0; seed < n; seed++) {
    if (mask[seed] !== 1 || ids[seed] !== 0) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    ids[seed] = id;
    while (head < tail) {
      const v = queue[head++] as number;
      const i = v % bx;
      const j = Math.floor(v / bx) % by;
      const k = Math.floor(v / sxy);
      const take = (w: number): void => {
        if (mask[w] === 1 && ids[w] === 0) {
          ids[w] = id;
          queue[tail++] = w;
        }
      };
      if (i > 0) take(v - 1);
      if (i < bx - 1) take(v + 1);
      if (j > 0) take(v - bx);
      if (j < by - 1) take(v + bx);
      if (k > 0) take(v - sxy);
      if (k < bz - 1) take(v + sxy);
    }
    sizes.push(tail);
  }
  return { ids, sizes };
}

/**
 * Holes of a mask: 0-voxels not connected (6-connected in 3D; 4-connected within a slice when `sliceAxis` is given)
 * to the box border. Returns a mask of the holes. With a box one voxel larger than the object on every side, "not
 * connected to the box border" is "enclosed by the object"; where the box reaches past the volume, the outside of the
 * volume counts as border, so regions open to the edge of the field of view are not holes.
 */
export function holesOf(mask: Uint8Array, size: Vec3, sliceAxis: 0 | 1 | 2 | null): Uint8Array {
  const [bx, by, bz] = size;
  const n = mask.length;
  const outside = new Uint8Array(n);
  const queue = new Int32Array(n);
  const sxy = bx * by;
  let tail = 0;
  const useI = sliceAxis !== 0;
  const useJ = sliceAxis !== 1;
  const useK = sliceAxis !== 2;
  for (let k = 0, v = 0; k < bz; k++) {
    const kb = useK && (k === 0 || k === bz - 1);
    for (let j = 0; j < by; j++) {
      const jb = kb || (useJ && (j === 0 || j === by - 1));
      for (let i = 0; i < bx; i++, v++) {
        if (mask[v] !== 0) continue;
        if (jb || (useI && (i === 0 || i === bx - 1))) {
          outside[v] = 1;
          queue[tail++] = v;
        }
      }
    }
  }
  const reach = (w: number): void => {
    if (mask[w] === 0 && outside[w] === 0) {
      outside[w] = 1;
      queue[tail++] = w;
    }
  };
  let head = 0;
  while (head < tail) {
    const v = queue[head++] as number;
    const i = v % bx;
    const j = ((v - i) / bx) % by;
    const k = (v - i - j * bx) / sxy;
    if (useI) {
      if (i > 0) reach(v - 1);
      if (i < bx - 1) reach(v + 1);
    }
    if (useJ) {
      if (j > 0) reach(v - bx);
      if (j < by - 1) reach(v + bx);
    }
    if (useK) {
      if (k > 0) reach(v - sxy);
      if (k < bz - 1) reach(v + sxy);
    }
  }
  const holes = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (mask[v] === 0 && outside[v] === 0) holes[v] = 1;
  return holes;
}

/** Index offsets (di, dj, dk) of the ellipsoidal structuring element {d : |M d| <= radiusMm}. */
export function ellipsoidOffsets(geometry: ImageGeometry, radiusMm: number): Int32Array {
  checkRadius(radiusMm);
  const g = metricTensor(geometry);
  const half = sphereHalfExtentsIJK(geometry, radiusMm).map((h) => Math.floor(h + 1e-9));
  const out: number[] = [];
  const r2 = radiusMm * radiusMm + 1e-9;
  for (let dk = -half[2]!; dk <= half[2]!; dk++)
    for (let dj = -half[1]!; dj <= half[1]!; dj++)
      for (let di = -half[0]!; di <= half[0]!; di++) {
        const d = [di, dj, dk];
        let q = 0;
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) q += (d[a] as number) * (g[3 * a + b] as number) * (d[b] as number);
        if (q <= r2) out.push(di, dj, dk);
      }
  return Int32Array.from(out);
}

/** Largest |offset| along each axis of a structuring element. */
export function offsetsHalfExtent(offsets: Int32Array): Vec3 {
  const h: Vec3 = [0, 0, 0];
  for (let o = 0; o < offsets.length; o += 3) for (let a = 0; a < 3; a++) h[a] = Math.max(h[a], Math.abs(offsets[o + a] as number));
  return h;
}

/**
 * Dilation of `value` voxels: every voxel within the structuring element of a `value` voxel on the boundary of the
 * `value` region becomes `value` (only boundary voxels need stamping: interior stamps are covered by them).
 * Erosion of a mask is the dilation of its 0-voxels (value 0).
 */
function stamp(mask: Uint8Array, size: Vec3, offsets: Int32Array, value: 0 | 1): Uint8Array {
  const [bx, by, bz] = size;
  const out = mask.slice();
  const sxy = bx * by;
  const no = offsets.length / 3;
  for (let k = 0; k < bz; k++) {
    for (let j = 0; j < by; j++) {
      for (let i = 0; i < bx; i++) {
        const v = (k * by + j) * bx + i;
        if (mask[v] !== value) continue;
        const boundary =
          (i > 0 && mask[v - 1] !== value) ||
          (i < bx - 1 && mask[v + 1] !== value) ||
          (j > 0 && mask[v - bx] !== value) ||
          (j < by - 1 && mask[v + bx] !== value) ||
          (k > 0 && mask[v - sxy] !== value) ||
          (k < bz - 1 && mask[v + sxy] !== value);
        if (!boundary) continue;
        for (let o = 0; o < no; o++) {
          const ii = i + (offsets[3 * o] as number);
          const jj = j + (offsets[3 * o + 1] as number);
          const kk = k + (offsets[3 * o + 2] as number);
          if (ii < 0 || jj < 0 || kk < 0 || ii >= bx || jj >= by || kk >= bz) continue;
          out[(kk * by + jj) * bx + ii] = value;
        }
      }
    }
  }
  return out;
}

export function dilate(mask: Uint8Array, size: Vec3, offsets: Int32Array): Uint8Array {
  return stamp(mask, size, offsets, 1);
}

/** Erosion; voxels outside the box count as 0, so keep a margin of at least the element's half-extent + 1. */
export function erode(mask: Uint8Array, size: Vec3, offsets: Int32Array): Uint8Array {
  return stamp(mask, size, offsets, 0);
}

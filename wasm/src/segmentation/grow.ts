/**
 * Grow from seeds: competitive 3D region growing between foreground seeds (strokes inside the target structure) and
 * background seeds (strokes around it), bounded to a region of interest.
 *
 * Method: a two-label competition on minimax paths (the image foresting transform with the f_max path cost, a
 * relative of GrowCut and watershed-from-markers). The cost of a 6-connected path is the LARGEST intensity step along it,
 *     step = max(0, |dHU| - edgeToleranceHu)   (integer HU, capped at MAX_EDGE_COST),
 * and every ROI voxel goes to the label whose seeds reach it with the smallest such cost. Inside a homogeneous organ
 * the cost stays at the noise level however long the path; entering it from outside costs its boundary step. Unlike
 * summed costs, path length cannot outweigh a boundary, so a few strokes anywhere in the organ suffice. Equal costs
 * are resolved breadth-first (first-in first-out buckets), i.e. by the nearer seeds. Integer costs allow Dial's
 * bucket queue: O(1) per push/pop.
 *
 * Optional pre-smoothing (`smoothing: true`, a [1 2 1]/4 binomial filter per axis) lowers noise but blurs the
 * boundary voxels; on the phantom (noise SD 10-20 HU) raw intensities give the better Dice, so it is off by default.
 *
 * Afterwards, by default, enclosed holes of the grown region are filled in 3D (fillHoles), so
 * tumours and vessels enclosed by parenchyma join the liver (liver = parenchyma + tumours; tumour labels already
 * painted are kept). The result replaces the segment inside the ROI: grown voxels are painted, segment voxels of the
 * ROI that were not grown are erased (both through the constraint rule). Voxels outside the ROI never change.
 */
import type { Vec3 } from '../geometry/types.ts';
import { segmentKey, segmentMembership } from './constraints.ts';
import type { SegmentRef } from './constraints.ts';
import { withBuilder } from './diff.ts';
import type { EditDiff } from './diff.ts';
import { sphereHalfExtentsIJK } from './grid-math.ts';
import { visitCircleOnSlice, visitSphere } from './shapes.ts';
import { checkTarget } from './tools.ts';
import type { EditTarget } from './tools.ts';

export const MAX_EDGE_COST = 4095;

export interface GrowFromSeedsOptions {
  segment: SegmentRef;
  /** Flat voxel indices of the foreground seeds (see seedsFromStrokes). */
  foregroundSeeds: ArrayLike<number>;
  backgroundSeeds: ArrayLike<number>;
  /** ROI = bounding box of all seeds grown by this margin in mm on every side (default 10), clipped to the volume. */
  roiMarginMm?: number;
  /** Explicit ROI (inclusive index bounds); overrides roiMarginMm. */
  roiIJK?: { min: Vec3; max: Vec3 };
  /** Intensity steps up to this many HU cost nothing (default 0). */
  edgeToleranceHu?: number;
  /** Fill enclosed holes of the grown region (default true). */
  fillHoles?: boolean;
  /** Smooth intensities with a [1 2 1]/4 binomial filter along each axis before computing edges (default false). */
  smoothing?: boolean;
}

export interface GrowResult {
  diff: EditDiff;
  roiIJK: { min: Vec3; max: Vec3 };
  edgeToleranceHu: number;
  /** Voxels claimed by the foreground (before hole filling). */
  grownVoxels: number;
  holeVoxelsFilled: number;
}

/** Seed voxels under brush strokes (sphere, or circle on the view's slice when viewNormalLPS is given). */
export function seedsFromStrokes(target: Pick<EditTarget, 'geometry'>, pointsLPS: Vec3[], radiusMm: number, viewNormalLPS?: Vec3): Uint32Array {
  const out: number[] = [];
  const visit = (base: number, i0: number, i1: number): void => {
    for (let i = i0; i <= i1; i++) out.push(base + i);
  };
  for (const p of pointsLPS) {
    if (viewNormalLPS) visitCircleOnSlice(target.geometry, p, radiusMm, viewNormalLPS, visit);
    else visitSphere(target.geometry, p, radiusMm, visit);
  }
  return Uint32Array.from(new Set(out)).sort();
}

/** Open key: cost field above any real cost (MAX_EDGE_COST < 32767), label bit 1. */
const OPEN_KEY = 0xffff;
/** Frame key: cost 0, background. */
const FRAME_KEY = 1;

/** Math.round to a 16-bit signed integer (as an Int16Array store after rounding; NaN -> 0). */
function huInt16(f: number): number {
  const h = Math.round(f);
  return h < -32768 ? -32768 : h > 32767 ? 32767 : h | 0;
}

function grownCopy(a: Int32Array, used: number): Int32Array {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a.subarray(0, used));
  return bigger;
}

/** Appends (voxel, cell value) to bucket `c`, allocating or doubling it as needed; returns `c`. */
function pushEntry(buckets: Array<Int32Array | null>, tails: Int32Array, c: number, w: number, value: number): number {
  let bucket = buckets[c] ?? null;
  const t = tails[c] as number;
  if (bucket === null) {
    bucket = new Int32Array(512);
    buckets[c] = bucket;
  } else if (t === bucket.length) {
    bucket = grownCopy(bucket, t);
    buckets[c] = bucket;
  }
  bucket[t] = w;
  bucket[t + 1] = value;
  tails[c] = t + 2;
  return c;
}

/**
 * 3D hole filling on a padded grid (one-voxel frame, mask 0 there): 0-voxels 6-connected to the frame are outside
 * (marked 2), the other 0-voxels are enclosed and become 1. Same result as holesOf on the padded box. `queue` is
 * scratch space of at least mask.length entries. Returns the number of voxels filled.
 */
function fillEnclosedPadded(mask: Uint8Array, px: number, py: number, pz: number, queue: Int32Array): number {
  const pxy = px * py;
  let tail = 0;
  // Frame = outside; interior 0-voxels touching the frame start the flood.
  for (let z = 0; z < pz; z++) {
    for (let y = 0; y < py; y++) {
      const row = (z * py + y) * px;
      if (z === 0 || z === pz - 1 || y === 0 || y === py - 1) {
        mask.fill(2, row, row + px);
        continue;
      }
      mask[row] = 2;
      mask[row + px - 1] = 2;
      const edgeRow = z === 1 || z === pz - 2 || y === 1 || y === py - 2;
      for (let x = 1; x < px - 1; x++) {
        const l = row + x;
        if (mask[l] === 0 && (edgeRow || x === 1 || x === px - 2)) {
          mask[l] = 2;
          queue[tail++] = l;
        }
      }
    }
  }
  let head = 0;
  while (head < tail) {
    const v = queue[head++] as number;
    if (mask[v + 1] === 0) {
      mask[v + 1] = 2;
      queue[tail++] = v + 1;
    }
    if (mask[v - 1] === 0) {
      mask[v - 1] = 2;
      queue[tail++] = v - 1;
    }
    if (mask[v + px] === 0) {
      mask[v + px] = 2;
      queue[tail++] = v + px;
    }
    if (mask[v - px] === 0) {
      mask[v - px] = 2;
      queue[tail++] = v - px;
    }
    if (mask[v + pxy] === 0) {
      mask[v + pxy] = 2;
      queue[tail++] = v + pxy;
    }
    if (mask[v - pxy] === 0) {
      mask[v - pxy] = 2;
      queue[tail++] = v - pxy;
    }
  }
  let filled = 0;
  for (let l = 0; l < mask.length; l++) {
    if (mask[l] === 0) {
      mask[l] = 1;
      filled++;
    }
  }
  return filled;
}

/**
 * In-place [1 2 1]/4 binomial smoothing along i, j and k of the interior of a padded grid (one-voxel frame); edges of
 * the interior are replicated. Reduces voxel noise SD about 4-fold so that edges, not noise, carry the path cost.
 */
export function smoothBinomial(values: Float32Array, interior: Vec3): void {
  const [bx, by, bz] = interior;
  const px = bx + 2;
  const py = by + 2;
  const strides = [1, px, px * py];
  const line = new Float32Array(Math.max(bx, by, bz));
  for (let axis = 0; axis < 3; axis++) {
    const n = interior[axis] as number;
    if (n < 2) continue;
    const stride = strides[axis] as number;
    const [ua, va] = [0, 1, 2].filter((a) => a !== axis) as [number, number];
    for (let v = 0; v < (interior[va] as number); v++) {
      for (let u = 0; u < (interior[ua] as number); u++) {
        const coord = [1, 1, 1];
        coord[ua] = u + 1;
        coord[va] = v + 1;
        const start = (coord[0] as number) + px * ((coord[1] as number) + py * (coord[2] as number));
        for (let t = 0; t < n; t++) line[t] = values[start + t * stride] as number;
        for (let t = 0; t < n; t++) {
          const a = line[t > 0 ? t - 1 : 0] as number;
          const c = line[t < n - 1 ? t + 1 : n - 1] as number;
          values[start + t * stride] = 0.25 * a + 0.5 * (line[t] as number) + 0.25 * c;
        }
      }
    }
  }
}

export function growFromSeeds(target: EditTarget, options: GrowFromSeedsOptions): GrowResult {
  checkTarget(target);
  const image = target.image;
  if (!image) throw new Error('grow from seeds needs the image of the labelmap');
  const { geometry } = target;
  const [nx, ny, nz] = geometry.sizeIJK;
  const total = nx * ny * nz;
  const fg = options.foregroundSeeds;
  const bg = options.backgroundSeeds;
  if (fg.length === 0) throw new Error('grow from seeds needs foreground seeds (strokes inside the structure)');
  if (bg.length === 0) throw new Error('grow from seeds needs background seeds (strokes outside the structure)');
  for (const seeds of [fg, bg]) {
    for (let s = 0; s < seeds.length; s++) {
      const v = seeds[s] as number;
      if (!Number.isInteger(v) || v < 0 || v >= total) throw new Error(`seed voxel index ${v} is outside the volume (0..${total - 1})`);
    }
  }

  // ROI.
  let roi: { min: Vec3; max: Vec3 };
  if (options.roiIJK) {
    roi = { min: [...options.roiIJK.min], max: [...options.roiIJK.max] };
    for (let a = 0; a < 3; a++) {
      roi.min[a] = Math.max(0, Math.floor(roi.min[a] as number));
      roi.max[a] = Math.min(geometry.sizeIJK[a] - 1, Math.floor(roi.max[a] as number));
      if (roi.min[a] > roi.max[a]) throw new Error(`grow from seeds: the ROI is empty along axis ${a}`);
    }
  } else {
    const marginMm = options.roiMarginMm ?? 10;
    if (!(marginMm >= 0)) throw new Error(`roiMarginMm must be >= 0, got ${marginMm}`);
    const half = marginMm > 0 ? sphereHalfExtentsIJK(geometry, marginMm).map((h) => Math.ceil(h)) : [0, 0, 0];
    roi = { min: [nx, ny, nz], max: [-1, -1, -1] };
    for (const seeds of [fg, bg]) {
      for (let s = 0; s < seeds.length; s++) {
        const v = seeds[s] as number;
        const c = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
        for (let a = 0; a < 3; a++) {
          if ((c[a] as number) < roi.min[a]) roi.min[a] = c[a] as number;
          if ((c[a] as number) > roi.max[a]) roi.max[a] = c[a] as number;
        }
      }
    }
    for (let a = 0; a < 3; a++) {
      roi.min[a] = Math.max(0, roi.min[a] - (half[a] as number));
      roi.max[a] = Math.min(geometry.sizeIJK[a] - 1, roi.max[a] + (half[a] as number));
    }
  }

  // Padded local grid: a one-voxel frame removes bounds checks (linear layout: hole filling and the write-back).
  const bx = roi.max[0] - roi.min[0] + 1;
  const by = roi.max[1] - roi.min[1] + 1;
  const bz = roi.max[2] - roi.min[2] + 1;
  const px = bx + 2;
  const py = by + 2;
  const pz = bz + 2;
  const pn = px * py * pz;
  // The competition runs on the same padded grid stored in 8 x 8 x 8 bricks (index: rowBase + brick of x + x & 7), so that a
  // voxel's 6 neighbours mostly share its cache lines and memory pages: the flood is memory bound, and with a linear
  // layout the +-k neighbours of a wavefront hit a different page each. One Int32 cell per voxel packs the HU (high 16
  // bits) and the key (low 16 bits) = 2 * tentative cost + (label - 1), so one read serves a whole neighbour test.
  // Open voxels start at OPEN_KEY (cost "infinite"); the frame and the brick padding get FRAME_KEY (cost 0,
  // background), which no path can improve on, so they are never entered.
  const nbx = (px + 7) >> 3;
  const nby = (py + 7) >> 3;
  const nbz = (pz + 7) >> 3;
  const brickRow = nbx << 9;
  const brickSlab = brickRow * nby;
  const rowBase = (y: number, z: number): number => (z >> 3) * brickSlab + (y >> 3) * brickRow + ((z & 7) << 6) + ((y & 7) << 3);
  const cell = new Int32Array(brickSlab * nbz).fill(FRAME_KEY);
  const { pixels, rescaleSlope: slope, rescaleIntercept: intercept } = image;
  const huF = (options.smoothing ?? false) ? new Float32Array(pn) : null;
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      let g = ((roi.min[2] + z) * ny + roi.min[1] + y) * nx + roi.min[0];
      if (huF === null) {
        const r = rowBase(y + 1, z + 1);
        for (let x = 1; x <= bx; x++, g++) cell[r + ((x >> 3) << 9) + (x & 7)] = (huInt16(Math.fround((pixels[g] as number) * slope + intercept)) << 16) | OPEN_KEY;
      } else {
        let l = ((z + 1) * py + y + 1) * px + 1;
        for (let x = 0; x < bx; x++, g++, l++) huF[l] = (pixels[g] as number) * slope + intercept;
      }
    }
  }
  if (huF !== null) {
    smoothBinomial(huF, [bx, by, bz]);
    for (let z = 1; z <= bz; z++) {
      for (let y = 1; y <= by; y++) {
        const r = rowBase(y, z);
        let l = (z * py + y) * px + 1;
        for (let x = 1; x <= bx; x++, l++) cell[r + ((x >> 3) << 9) + (x & 7)] = (huInt16(huF[l] as number) << 16) | OPEN_KEY;
      }
    }
  }
  // Done flags, one bit per cell (small enough to stay in cache): set for the frame and brick padding, and for every
  // voxel once popped at its final cost. Checking them first spares the cell read for finished neighbours and stale
  // queue entries.
  const done = new Int32Array((cell.length + 31) >> 5).fill(-1);
  for (let z = 1; z <= bz; z++) {
    for (let y = 1; y <= by; y++) {
      const r = rowBase(y, z);
      for (let x = 1; x <= bx; x++) {
        const l = r + ((x >> 3) << 9) + (x & 7);
        done[l >> 5] = (done[l >> 5] as number) & ~(1 << (l & 31));
      }
    }
  }
  const toLocal = (v: number): number => {
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    if (i < roi.min[0] || i > roi.max[0] || j < roi.min[1] || j > roi.max[1] || k < roi.min[2] || k > roi.max[2]) return -1;
    const x = i - roi.min[0] + 1;
    return rowBase(j - roi.min[1] + 1, k - roi.min[2] + 1) + ((x >> 3) << 9) + (x & 7);
  };

  const tolerance = options.edgeToleranceHu ?? 0;
  if (!(tolerance >= 0)) throw new Error(`edgeToleranceHu must be >= 0, got ${tolerance}`);
  const edgeLut = new Uint16Array(65536);
  for (let d = 0; d < 65536; d++) edgeLut[d] = Math.min(MAX_EDGE_COST, Math.max(0, Math.round(d - tolerance)));

  // Dial's bucket queue: one first-in first-out bucket per integer cost of (voxel, cell value) pairs, each a growable
  // Int32Array (released once its cost level is done). `cur` / `head` / `tail` are the bucket of the current cost.
  const buckets: Array<Int32Array | null> = new Array<Int32Array | null>(MAX_EDGE_COST + 1).fill(null);
  const tails = new Int32Array(MAX_EDGE_COST + 1);
  let cur: Int32Array = new Int32Array(Math.max(1024, 2 * (fg.length + bg.length)));
  let head = 0;
  let tail = 0;
  for (const [seeds, label] of [[fg, 1], [bg, 2]] as const) {
    for (let s = 0; s < seeds.length; s++) {
      const l = toLocal(seeds[s] as number);
      if (l < 0) throw new Error(`seed voxel ${seeds[s]} lies outside the ROI`);
      const c = cell[l] as number;
      if ((c & 0xffff) >> 1 !== 0) {
        cur[tail] = l;
        tail += 2;
      }
      cell[l] = (c & -65536) | (label - 1);
    }
  }
  for (let q = 0; q < tail; q += 2) cur[q + 1] = cell[cur[q] as number] as number;

  // Flood by cost levels (Dial's algorithm on the f_max path cost), exactly as before: buckets are first-in first-out
  // and neighbours are offered in the fixed order +i, -i, +j, -j, +k, -k; an offer must be strictly cheaper than the
  // voxel's tentative cost, so among equal-cost offers the first one keeps the voxel (ties -> breadth-first, the
  // nearer seeds). A queue entry carries the cell value written at push time (HU, cost, label), so a pop needs no cell
  // read. Each (voxel, cost) pair is pushed at most once (keys only ever strictly decrease), so the first pop of a
  // voxel is at its final cost and any later entry of it is stale: the done bit tells them apart. A finished voxel's
  // cost is <= the current level <= any new offer, so the strict test alone would never reopen it either; the done
  // bit just spares the (cache-missing) cell read.
  // Neighbours in the bricks: along axis a the in-brick coordinate sits at bits 3a..3a+2; stepping past the brick edge
  // (carry / borrow) jumps to the next / previous brick: wrap = brick stride - 8 * step. The six neighbour cells are
  // loaded up front (independent loads overlap in the CPU); the six offers are written out, not looped, for speed.
  let cost = 0;
  let top = 0; // highest bucket pushed to so far
  const wrapX = 512 - 8;
  const wrapY = brickRow - 64;
  const wrapZ = brickSlab - 512;
  for (;;) {
    if (head === tail) {
      buckets[cost] = null;
      do cost++;
      while (cost <= top && tails[cost] === 0);
      if (cost > top) break;
      cur = buckets[cost] as Int32Array;
      head = 0;
      tail = tails[cost] as number;
      continue;
    }
    const v = cur[head] as number;
    const cv = cur[head + 1] as number;
    head += 2;
    const bit = 1 << (v & 31);
    const word = done[v >> 5] as number;
    if ((word & bit) !== 0) continue; // stale entry: the voxel was reached more cheaply and is done
    done[v >> 5] = word | bit;
    const lab = cv & 1;
    const h = cv >> 16;
    const cost2 = cost << 1;
    const w0 = v + 1 + (((v & 7) + 1) >> 3) * wrapX;
    const w1 = v - 1 - ((((v & 7) - 1) >> 31) & 1) * wrapX;
    const w2 = v + 8 + ((((v >> 3) & 7) + 1) >> 3) * wrapY;
    const w3 = v - 8 - (((((v >> 3) & 7) - 1) >> 31) & 1) * wrapY;
    const w4 = v + 64 + ((((v >> 6) & 7) + 1) >> 3) * wrapZ;
    const w5 = v - 64 - (((((v >> 6) & 7) - 1) >> 31) & 1) * wrapZ;
    const a0 = cell[w0] as number;
    const a1 = cell[w1] as number;
    const a2 = cell[w2] as number;
    const a3 = cell[w3] as number;
    const a4 = cell[w4] as number;
    const a5 = cell[w5] as number;
    // +i
    if ((((done[w0 >> 5] as number) >>> (w0 & 31)) & 1) === 0) {
      const cw = a0;
      const e = edgeLut[h > cw >> 16 ? h - (cw >> 16) : (cw >> 16) - h] as number;
      const c2 = e > cost ? e << 1 : cost2;
      if ((c2 | 1) < (cw & 0xffff)) {
        const nw = (cw & -65536) | c2 | lab;
        cell[w0] = nw;
        if (c2 === cost2) {
          if (tail === cur.length) cur = grownCopy(cur, tail);
          cur[tail] = w0;
          cur[tail + 1] = nw;
          tail += 2;
        } else if (pushEntry(buckets, tails, e, w0, nw) > top) top = e;
      }
    }
    // -i
    if ((((done[w1 >> 5] as number) >>> (w1 & 31)) & 1) === 0) {
      const cw = a1;
      const e = edgeLut[h > cw >> 16 ? h - (cw >> 16) : (cw >> 16) - h] as number;
      const c2 = e > cost ? e << 1 : cost2;
      if ((c2 | 1) < (cw & 0xffff)) {
        const nw = (cw & -65536) | c2 | lab;
        cell[w1] = nw;
        if (c2 === cost2) {
          if (tail === cur.length) cur = grownCopy(cur, tail);
          cur[tail] = w1;
          cur[tail + 1] = nw;
          tail += 2;
        } else if (pushEntry(buckets, tails, e, w1, nw) > top) top = e;
      }
    }
    // +j
    if ((((done[w2 >> 5] as number) >>> (w2 & 31)) & 1) === 0) {
      const cw = a2;
      const e = edgeLut[h > cw >> 16 ? h - (cw >> 16) : (cw >> 16) - h] as number;
      const c2 = e > cost ? e << 1 : cost2;
      if ((c2 | 1) < (cw & 0xffff)) {
        const nw = (cw & -65536) | c2 | lab;
        cell[w2] = nw;
        if (c2 === cost2) {
          if (tail === cur.length) cur = grownCopy(cur, tail);
          cur[tail] = w2;
          cur[tail + 1] = nw;
          tail += 2;
        } else if (pushEntry(buckets, tails, e, w2, nw) > top) top = e;
      }
    }
    // -j
    if ((((done[w3 >> 5] as number) >>> (w3 & 31)) & 1) === 0) {
      const cw = a3;
      const e = edgeLut[h > cw >> 16 ? h - (cw >> 16) : (cw >> 16) - h] as number;
      const c2 = e > cost ? e << 1 : cost2;
      if ((c2 | 1) < (cw & 0xffff)) {
        const nw = (cw & -65536) | c2 | lab;
        cell[w3] = nw;
        if (c2 === cost2) {
          if (tail === cur.length) cur = grownCopy(cur, tail);
          cur[tail] = w3;
          cur[tail + 1] = nw;
          tail += 2;
        } else if (pushEntry(buckets, tails, e, w3, nw) > top) top = e;
      }
    }
    // +k
    if ((((done[w4 >> 5] as number) >>> (w4 & 31)) & 1) === 0) {
      const cw = a4;
      const e = edgeLut[h > cw >> 16 ? h - (cw >> 16) : (cw >> 16) - h] as number;
      const c2 = e > cost ? e << 1 : cost2;
      if ((c2 | 1) < (cw & 0xffff)) {
        const nw = (cw & -65536) | c2 | lab;
        cell[w4] = nw;
        if (c2 === cost2) {
          if (tail === cur.length) cur = grownCopy(cur, tail);
          cur[tail] = w4;
          cur[tail + 1] = nw;
          tail += 2;
        } else if (pushEntry(buckets, tails, e, w4, nw) > top) top = e;
      }
    }
    // -k
    if ((((done[w5 >> 5] as number) >>> (w5 & 31)) & 1) === 0) {
      const cw = a5;
      const e = edgeLut[h > cw >> 16 ? h - (cw >> 16) : (cw >> 16) - h] as number;
      const c2 = e > cost ? e << 1 : cost2;
      if ((c2 | 1) < (cw & 0xffff)) {
        const nw = (cw & -65536) | c2 | lab;
        cell[w5] = nw;
        if (c2 === cost2) {
          if (tail === cur.length) cur = grownCopy(cur, tail);
          cur[tail] = w5;
          cur[tail + 1] = nw;
          tail += 2;
        } else if (pushEntry(buckets, tails, e, w5, nw) > top) top = e;
      }
    }
  }

  // Foreground mask on the linear padded grid (frame = 0), then 3D hole filling.
  const mask = new Uint8Array(pn);
  let grown = 0;
  for (let z = 1; z <= bz; z++) {
    for (let y = 1; y <= by; y++) {
      const r = rowBase(y, z);
      let l = (z * py + y) * px + 1;
      for (let x = 1; x <= bx; x++, l++) {
        if (((cell[r + ((x >> 3) << 9) + (x & 7)] as number) & 1) === 0) {
          mask[l] = 1;
          grown++;
        }
      }
    }
  }
  let holeVoxels = 0;
  if (options.fillHoles ?? true) holeVoxels = fillEnclosedPadded(mask, px, py, pz, cell);
  const segment = options.segment;
  const member = segmentMembership(segment);
  const lab = target.labelmap;
  const diff = withBuilder(
    lab,
    target.lockedLabels,
    'grow-from-seeds',
    (b) => {
      const paint = b.table(segment, 'paint');
      const erase = b.table(segment, 'erase');
      for (let z = 0; z < bz; z++) {
        for (let y = 0; y < by; y++) {
          let g = ((roi.min[2] + z) * ny + roi.min[1] + y) * nx + roi.min[0];
          let l = ((z + 1) * py + y + 1) * px + 1;
          for (let x = 0; x < bx; x++, g++, l++) {
            if (mask[l] === 1) b.propose(paint, g);
            else if (member[lab[g] as number] === 1) b.propose(erase, g);
          }
        }
      }
    },
    segmentKey(segment),
  );
  return { diff, roiIJK: roi, edgeToleranceHu: tolerance, grownVoxels: grown, holeVoxelsFilled: holeVoxels };
}

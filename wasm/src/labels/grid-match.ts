import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { indexToLps } from './target-grid.ts';

/**
 * How a label grid's voxels map onto a target grid without interpolation: target axis t runs along source axis
 * sourceAxisOf[t], backwards when flipped[t]. Source index along that axis = flipped ? size - 1 - targetIndex : targetIndex.
 */
export interface AxisMapping {
  sourceAxisOf: Vec3;
  flipped: [boolean, boolean, boolean];
}

export interface AxisMatchResult {
  /** The best permutation/flip candidate (smallest worst-case voxel-centre distance), or undefined if sizes never fit. */
  mapping?: AxisMapping;
  /** Largest distance between a mapped source voxel centre and its target voxel centre for that candidate, in mm. */
  maxDeviationMm: number;
  /** True when maxDeviationMm <= toleranceMm. */
  matches: boolean;
}

const PERMUTATIONS: Vec3[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

function sourceIndexOf(mapping: AxisMapping, sourceSize: Vec3, targetIndex: readonly number[]): Vec3 {
  const s: Vec3 = [0, 0, 0];
  for (let t = 0; t < 3; t++) {
    const a = mapping.sourceAxisOf[t];
    s[a] = mapping.flipped[t] ? sourceSize[a] - 1 - targetIndex[t] : targetIndex[t];
  }
  return s;
}

/**
 * Worst-case distance (mm) between target voxel centres and the source voxel centres mapped onto them. Both grids are
 * affine in the index, so the distance is a convex function of the index and its maximum over the grid is reached
 * at one of the 8 corner voxels: checking the corners checks every voxel centre.
 */
export function maxCornerDeviationMm(source: ImageGeometry, target: ImageGeometry, mapping: AxisMapping): number {
  const n = target.sizeIJK;
  let worst = 0;
  for (let corner = 0; corner < 8; corner++) {
    const t: Vec3 = [corner & 1 ? n[0] - 1 : 0, corner & 2 ? n[1] - 1 : 0, corner & 4 ? n[2] - 1 : 0];
    const pt = indexToLps(target, t);
    const ps = indexToLps(source, sourceIndexOf(mapping, source.sizeIJK, t));
    worst = Math.max(worst, Math.hypot(pt[0] - ps[0], pt[1] - ps[1], pt[2] - ps[2]));
  }
  return worst;
}

/**
 * Finds the axis permutation + flips under which every source voxel centre lands on the corresponding target voxel
 * centre within toleranceMm. Sizes must agree after permutation. The identity wins ties (e.g. single-slice axes).
 */
export function findAxisMapping(source: ImageGeometry, target: ImageGeometry, toleranceMm: number): AxisMatchResult {
  let best: AxisMapping | undefined;
  let bestDev = Infinity;
  for (const perm of PERMUTATIONS) {
    if (perm.some((a, t) => source.sizeIJK[a] !== target.sizeIJK[t])) continue;
    for (let flips = 0; flips < 8; flips++) {
      const mapping: AxisMapping = { sourceAxisOf: [...perm] as Vec3, flipped: [!!(flips & 1), !!(flips & 2), !!(flips & 4)] };
      // A flip along a single-voxel axis is meaningless; keep the unflipped candidate only.
      if (mapping.flipped.some((f, t) => f && target.sizeIJK[t] === 1)) continue;
      const dev = maxCornerDeviationMm(source, target, mapping);
      if (dev < bestDev) {
        bestDev = dev;
        best = mapping;
      }
    }
  }
  return { mapping: best, maxDeviationMm: bestDev, matches: best !== undefined && bestDev <= toleranceMm };
}

export function isIdentityMapping(mapping: AxisMapping): boolean {
  return mapping.sourceAxisOf.every((a, t) => a === t) && mapping.flipped.every((f) => !f);
}

const AXIS = ['i', 'j', 'k'];

/** Human-readable description of a mapping, for ImportedLabelSource.mappingNotes. */
export function describeAxisMapping(mapping: AxisMapping): string {
  if (isIdentityMapping(mapping)) return 'voxel axes identical to the target grid (no reordering)';
  const parts: string[] = [];
  if (mapping.sourceAxisOf.some((a, t) => a !== t)) {
    parts.push(`axes permuted (target ${mapping.sourceAxisOf.map((a, t) => `${AXIS[t]} = source ${AXIS[a]}`).join(', ')})`);
  }
  const flipped = mapping.flipped.flatMap((f, t) => (f ? [AXIS[t]] : []));
  if (flipped.length > 0) parts.push(`${flipped.join(' and ')} axis${flipped.length > 1 ? 'es' : ''} flipped to match the target`);
  return `voxels reordered exactly (no interpolation): ${parts.join('; ')}`;
}

/** Linear-index walk of the source for a target-order traversal: sourceLinear = base + i*step[0] + j*step[1] + k*step[2]. */
export function sourceStrides(mapping: AxisMapping, sourceSize: Vec3): { base: number; step: Vec3 } {
  const stride: Vec3 = [1, sourceSize[0], sourceSize[0] * sourceSize[1]];
  let base = 0;
  const step: Vec3 = [0, 0, 0];
  for (let t = 0; t < 3; t++) {
    const a = mapping.sourceAxisOf[t];
    if (mapping.flipped[t]) {
      base += (sourceSize[a] - 1) * stride[a];
      step[t] = -stride[a];
    } else {
      step[t] = stride[a];
    }
  }
  return { base, step };
}

/**
 * Copies source voxels into target order (exact reordering). `out` has target size; element types may differ
 * (values are copied as numbers).
 */
export function reorderToTarget<T extends { [index: number]: number; length: number }>(
  source: ArrayLike<number>,
  sourceSize: Vec3,
  mapping: AxisMapping,
  out: T,
): T {
  const targetSize: Vec3 = [0, 0, 0];
  for (let t = 0; t < 3; t++) targetSize[t] = sourceSize[mapping.sourceAxisOf[t]];
  const { base, step } = sourceStrides(mapping, sourceSize);
  if (source.length !== sourceSize[0] * sourceSize[1] * sourceSize[2] || out.length !== source.length) {
    throw new Error(`reorderToTarget: array lengths do not match the grid size ${sourceSize.join('x')}`);
  }
  let o = 0;
  for (let k = 0; k < targetSize[2]; k++) {
    for (let j = 0; j < targetSize[1]; j++) {
      let s = base + k * step[2] + j * step[1];
      for (let i = 0; i < targetSize[0]; i++, s += step[0]) out[o++] = source[s];
    }
  }
  return out;
}

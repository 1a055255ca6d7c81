/**
 * Geometry hand-off to Cornerstone. Our ImageGeometry.directionLPS is row-major with COLUMN c = LPS direction of index
 * axis c; Cornerstone's `direction` (Mat3) lists the axis directions one after another
 * ([i-axis (row cosines), j-axis (column cosines), k-axis (slice normal)]), i.e. the transpose.
 */
import type { ImageGeometry, Vec3 } from '../../../../wasm/src/geometry/types.ts';

export type Mat3Tuple = [number, number, number, number, number, number, number, number, number];

export function toCornerstoneDirection(directionLPS: number[]): Mat3Tuple {
  const d = directionLPS;
  return [d[0], d[3], d[6], d[1], d[4], d[7], d[2], d[5], d[8]];
}

/** LPS position (mm) of a voxel index: origin + D * diag(spacing) * ijk. */
export function indexToLPS(geometry: ImageGeometry, indexIJK: Vec3): Vec3 {
  const { originLPS: o, directionLPS: d, spacingMm: s } = geometry;
  const out: Vec3 = [o[0], o[1], o[2]];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r] += d[3 * r + c] * s[c] * indexIJK[c];
  }
  return out;
}

/** Spacing (mm) between successive planes along a view normal: the index axis best aligned with it decides. */
export function spacingAlongNormalMm(geometry: ImageGeometry, normalLPS: Vec3): number {
  const d = geometry.directionLPS;
  let best = 0;
  let bestDot = -1;
  for (let c = 0; c < 3; c++) {
    const dot = Math.abs(d[c] * normalLPS[0] + d[3 + c] * normalLPS[1] + d[6 + c] * normalLPS[2]);
    if (dot > bestDot) {
      bestDot = dot;
      best = c;
    }
  }
  return geometry.spacingMm[best] / Math.max(bestDot, 1e-6);
}

/**
 * Fractional slice index (k) of the plane through a point: distance along the slice-plane normal (i x j) divided by the
 * normal component of one k step. Exact for sheared (gantry-tilt) grids too, where the k axis is not the normal.
 */
export function sliceIndexAt(geometry: ImageGeometry, pointLPS: Vec3): number {
  const d = geometry.directionLPS;
  const i: Vec3 = [d[0]!, d[3]!, d[6]!];
  const j: Vec3 = [d[1]!, d[4]!, d[7]!];
  const k: Vec3 = [d[2]! * geometry.spacingMm[2], d[5]! * geometry.spacingMm[2], d[8]! * geometry.spacingMm[2]];
  const n: Vec3 = [i[1] * j[2] - i[2] * j[1], i[2] * j[0] - i[0] * j[2], i[0] * j[1] - i[1] * j[0]];
  const o = geometry.originLPS;
  const along = n[0] * (pointLPS[0] - o[0]) + n[1] * (pointLPS[1] - o[1]) + n[2] * (pointLPS[2] - o[2]);
  const step = n[0] * k[0] + n[1] * k[1] + n[2] * k[2];
  return along / step;
}

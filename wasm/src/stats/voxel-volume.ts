import type { ImageGeometry } from '../geometry/types.ts';

/** How the volume of one voxel was obtained; recorded in every measurement. */
export interface VoxelVolume {
  valueMm3: number;
  /**
   * 'abs-det-direction-times-spacing': |det(D * diag(spacingMm))| = |det D| * sx * sy * sz, the volume of the
   *   parallelepiped spanned by the three index-axis steps in LPS (exact for any D, sheared or not, under the ITK
   *   convention pointLPS = originLPS + D * diag(spacingMm) * indexIJK).
   * 'explicit-override': the caller supplied the value (e.g. a gantry-tilted stack whose shear is not in D).
   */
  method: 'abs-det-direction-times-spacing' | 'explicit-override';
  /** det D of the geometry's direction matrix (1 for an orthonormal right-handed frame, -1 left-handed). */
  detDirection: number;
  /** |det(D * diag(spacing))| from the geometry, kept even when overridden, so the two can be compared. */
  geometryValueMm3: number;
  /** Why the override was used (free text from the caller); only with 'explicit-override'. */
  overrideReason?: string;
}

function det3RowMajor(m: number[]): number {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** Validates a geometry's spacing and direction and returns det D and |det(D * diag(spacing))| in mm³. */
export function geometryVoxelVolumeMm3(geometry: ImageGeometry): { valueMm3: number; detDirection: number } {
  const { spacingMm, directionLPS } = geometry;
  if (!Array.isArray(spacingMm) || spacingMm.length !== 3 || spacingMm.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new Error(`geometry.spacingMm must be three positive finite numbers, got [${String(spacingMm)}]`);
  }
  if (!Array.isArray(directionLPS) || directionLPS.length !== 9 || directionLPS.some((v) => !Number.isFinite(v))) {
    throw new Error(`geometry.directionLPS must be nine finite numbers (row-major 3x3), got [${String(directionLPS)}]`);
  }
  const detDirection = det3RowMajor(directionLPS);
  if (Math.abs(detDirection) < 1e-6) throw new Error(`geometry.directionLPS is singular (det = ${detDirection}); the voxel volume is undefined`);
  return { valueMm3: Math.abs(detDirection) * spacingMm[0] * spacingMm[1] * spacingMm[2], detDirection };
}

/** The voxel volume to use: from the geometry, or an explicit positive override (recorded with its reason). */
export function resolveVoxelVolume(geometry: ImageGeometry, overrideMm3?: number, overrideReason?: string): VoxelVolume {
  const fromGeometry = geometryVoxelVolumeMm3(geometry);
  if (overrideMm3 === undefined) {
    return { valueMm3: fromGeometry.valueMm3, method: 'abs-det-direction-times-spacing', detDirection: fromGeometry.detDirection, geometryValueMm3: fromGeometry.valueMm3 };
  }
  if (!Number.isFinite(overrideMm3) || overrideMm3 <= 0) throw new Error(`voxelVolumeMm3 override must be a positive finite number, got ${overrideMm3}`);
  const result: VoxelVolume = {
    valueMm3: overrideMm3,
    method: 'explicit-override',
    detDirection: fromGeometry.detDirection,
    geometryValueMm3: fromGeometry.valueMm3,
  };
  if (overrideReason !== undefined) result.overrideReason = overrideReason;
  return result;
}

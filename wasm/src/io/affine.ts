import type { ImageGeometry, Vec3 } from '../geometry/types.ts';

/**
 * ImageGeometry from a voxel-to-LPS affine: pointLPS = matrix * indexIJK + offsetLPS, matrix row-major 3x3 whose
 * column c is the LPS step (mm) of index axis c. Spacing is the column length, direction the normalised column.
 */
export function geometryFromLpsAffine(sizeIJK: Vec3, matrix: readonly number[], offsetLPS: Vec3, what: string): ImageGeometry {
  const spacingMm: Vec3 = [0, 0, 0];
  const directionLPS = new Array<number>(9).fill(0);
  for (let c = 0; c < 3; c++) {
    const len = Math.hypot(matrix[c], matrix[3 + c], matrix[6 + c]);
    if (!(len > 0) || !Number.isFinite(len)) throw new Error(`${what}: voxel axis ${'ijk'[c]} has zero or invalid length in the affine`);
    spacingMm[c] = len;
    for (let r = 0; r < 3; r++) directionLPS[3 * r + c] = matrix[3 * r + c] / len;
  }
  return { sizeIJK: [...sizeIJK] as Vec3, spacingMm, originLPS: [...offsetLPS] as Vec3, directionLPS };
}

/** RAS <-> LPS: negate the first two world coordinates (rows 0 and 1 of the affine). */
export function rasAffineToLps(matrixRAS: readonly number[], offsetRAS: Vec3): { matrix: number[]; offset: Vec3 } {
  const matrix = matrixRAS.map((v, idx) => (idx < 6 ? -v : v));
  return { matrix, offset: [-offsetRAS[0], -offsetRAS[1], offsetRAS[2]] };
}

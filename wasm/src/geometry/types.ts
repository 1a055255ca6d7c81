/**
 * Geometry types shared by every layer. Frames are named in identifiers:
 *  - LPS: DICOM patient coordinates in mm (+x patient Left, +y Posterior, +z Superior).
 *  - IJK: voxel index; i runs along a row (DICOM column index), j down the columns (row index), k across slices.
 */
export type Vec3 = [number, number, number];

/** ITK-style image geometry. pointLPS = originLPS + D * diag(spacingMm) * indexIJK. */
export interface ImageGeometry {
  /** Number of voxels along i, j, k. */
  sizeIJK: Vec3;
  /** Distance between voxel centres along i, j, k in mm (k: along the slice stacking direction). */
  spacingMm: Vec3;
  /** LPS position of the centre of voxel (0,0,0), in mm. */
  originLPS: Vec3;
  /**
   * Direction cosines as a row-major 3x3 matrix (same layout as itk-wasm's `direction`):
   * column c (elements c, 3+c, 6+c) is the LPS unit vector of index axis c.
   */
  directionLPS: number[];
}

import type { ImageGeometry, Vec3 } from '../geometry/types.ts';

/**
 * The series grid labels are imported onto: the geometry of the series' ScalarVolume plus the identity of each slice.
 * Voxel order of everything placed on it: i fastest, then j, then k.
 */
export interface TargetGrid {
  geometry: ImageGeometry;
  /**
   * Identity of slice k, in k order: the SOP Instance UID for single-frame series; for a multi-frame source image,
   * sliceKey(sopInstanceUid, frameNumber) (UID + '#' + 1-based frame number).
   */
  sopInstanceUidsByK: string[];
  frameOfReferenceUid?: string;
  seriesInstanceUid: string;
}

/** Key of one slice in TargetGrid.sopInstanceUidsByK: the plain UID, or UID#frame for a frame of a multi-frame image. */
export function sliceKey(sopInstanceUid: string, frameNumber?: number): string {
  return frameNumber === undefined ? sopInstanceUid : `${sopInstanceUid}#${frameNumber}`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

function fmtVec(v: readonly number[]): string {
  return `(${v.map(fmt).join(', ')})`;
}

/** One-line human-readable description of a geometry, used in error messages (size, spacing, origin, direction). */
export function describeGeometry(geometry: ImageGeometry): string {
  const d = geometry.directionLPS;
  const cols: Vec3[] = [0, 1, 2].map((c) => [d[c], d[3 + c], d[6 + c]] as Vec3);
  return (
    `size ${geometry.sizeIJK.join('x')}, spacing ${fmtVec(geometry.spacingMm)} mm, ` +
    `origin LPS ${fmtVec(geometry.originLPS)} mm, direction LPS columns i${fmtVec(cols[0])} j${fmtVec(cols[1])} k${fmtVec(cols[2])}`
  );
}

/** pointLPS = originLPS + D * diag(spacing) * indexIJK, for a (possibly fractional) index. */
export function indexToLps(geometry: ImageGeometry, indexIJK: readonly number[]): Vec3 {
  const d = geometry.directionLPS;
  const s = geometry.spacingMm;
  const o = geometry.originLPS;
  const a = indexIJK[0] * s[0];
  const b = indexIJK[1] * s[1];
  const c = indexIJK[2] * s[2];
  return [o[0] + d[0] * a + d[1] * b + d[2] * c, o[1] + d[3] * a + d[4] * b + d[5] * c, o[2] + d[6] * a + d[7] * b + d[8] * c];
}

/** Continuous index of an LPS point on a grid (inverse of indexToLps; direction may be non-orthogonal). */
export function lpsToIndex(geometry: ImageGeometry, pointLPS: readonly number[]): Vec3 {
  const d = geometry.directionLPS;
  const s = geometry.spacingMm;
  // M = D * diag(s); solve M x = p - o by Cramer's rule.
  const m = [d[0] * s[0], d[1] * s[1], d[2] * s[2], d[3] * s[0], d[4] * s[1], d[5] * s[2], d[6] * s[0], d[7] * s[1], d[8] * s[2]];
  const r = [pointLPS[0] - geometry.originLPS[0], pointLPS[1] - geometry.originLPS[1], pointLPS[2] - geometry.originLPS[2]];
  const det3 = (a: number[]): number =>
    a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  const det = det3(m);
  if (!(Math.abs(det) > 0)) throw new Error(`Degenerate grid (zero spacing or collinear directions): ${describeGeometry(geometry)}`);
  const out: Vec3 = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const mc = m.slice();
    mc[c] = r[0];
    mc[3 + c] = r[1];
    mc[6 + c] = r[2];
    out[c] = det3(mc) / det;
  }
  return out;
}

/**
 * Default tolerance for "voxel centre coincides": 1% of the smallest target spacing, but at least 0.001 mm.
 * Far below any real misregistration, comfortably above float32 (NIfTI) and DS-string (DICOM) rounding.
 */
export function defaultToleranceMm(target: ImageGeometry): number {
  return Math.max(1e-3, 0.01 * Math.min(...target.spacingMm));
}

/**
 * Voxel sets of physical shapes, visited row by row. Membership is decided on voxel CENTRES with physical distances
 * (|M (index - centre)| in mm, grid-math.ts), so shapes are round in mm on anisotropic, oblique and sheared grids.
 * Each row (fixed j, k) of a convex shape is one interval of i, found in closed form (a quadratic or linear
 * inequality in i), so the cost is O(rows + voxels inside).
 */
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { checkRadius, cross3, dot3, indexToLpsMatrix, lpsToContinuousIJK, metricTensor, normalize3, sliceAxisForNormal, sphereHalfExtentsIJK } from './grid-math.ts';

/** Called for each run [i0, i1] (inclusive) of row (j, k); `rowBase` = nx (j + ny k). */
export type RowVisitor = (rowBase: number, i0: number, i1: number, j: number, k: number) => void;

const EPS = 1e-9;

/** i-interval where a i^2 + b i + c <= 0, as [lo, hi] reals, or null. */
function quadraticSpan(a: number, b: number, c: number): [number, number] | null {
  if (Math.abs(a) < 1e-15) {
    if (Math.abs(b) < 1e-15) return c <= EPS ? [-Infinity, Infinity] : null;
    const root = -c / b;
    return b > 0 ? [-Infinity, root] : [root, Infinity];
  }
  const disc = b * b - 4 * a * c;
  if (disc < -EPS) return null;
  const s = Math.sqrt(Math.max(0, disc));
  return [(-b - s) / (2 * a), (-b + s) / (2 * a)];
}

function clampSpan(lo: number, hi: number, n: number): [number, number] | null {
  const i0 = Math.max(0, Math.ceil(lo - EPS));
  const i1 = Math.min(n - 1, Math.floor(hi + EPS));
  return i0 <= i1 ? [i0, i1] : null;
}

/**
 * Visit the voxels whose centre is within radiusMm of centreIJK (continuous index). `fixedAxis` restricts the ball to
 * one index slice (circle tools): the centre is moved onto that slice along the axis first.
 */
function visitBall(geometry: ImageGeometry, centreIJK: Vec3, radiusMm: number, visit: RowVisitor, fixedAxis: 0 | 1 | 2 | null): void {
  checkRadius(radiusMm);
  const [nx, ny, nz] = geometry.sizeIJK;
  const c: Vec3 = [...centreIJK];
  const g = metricTensor(geometry);
  const half = sphereHalfExtentsIJK(geometry, radiusMm);
  const lo: Vec3 = [0, 0, 0];
  const hi: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    lo[a] = Math.max(0, Math.ceil((c[a] as number) - (half[a] as number) - EPS));
    hi[a] = Math.min(geometry.sizeIJK[a] - 1, Math.floor((c[a] as number) + (half[a] as number) + EPS));
  }
  if (fixedAxis !== null) {
    const s = Math.round(c[fixedAxis]);
    if (s < 0 || s >= geometry.sizeIJK[fixedAxis]) return;
    c[fixedAxis] = s;
    lo[fixedAxis] = s;
    hi[fixedAxis] = s;
  }
  const r2 = radiusMm * radiusMm;
  const [g00, g01, g02, , g11, g12, , , g22] = g as [number, number, number, number, number, number, number, number, number];
  for (let k = lo[2]; k <= hi[2]; k++) {
    const dk = k - c[2];
    for (let j = lo[1]; j <= hi[1]; j++) {
      const dj = j - c[1];
      // q(di) = g00 di^2 + 2 (g01 dj + g02 dk) di + (g11 dj^2 + 2 g12 dj dk + g22 dk^2) <= r^2
      const span = quadraticSpan(g00, 2 * (g01 * dj + g02 * dk), g11 * dj * dj + 2 * g12 * dj * dk + g22 * dk * dk - r2);
      if (!span) continue;
      const iSpan = clampSpan(span[0] + c[0], span[1] + c[0], nx);
      if (!iSpan) continue;
      const i0 = Math.max(iSpan[0], lo[0]);
      const i1 = Math.min(iSpan[1], hi[0]);
      if (i0 <= i1) visit(nx * (j + ny * k), i0, i1, j, k);
    }
  }
  void nz;
}

/** Voxels whose centre lies within radiusMm of centreLPS. */
export function visitSphere(geometry: ImageGeometry, centreLPS: Vec3, radiusMm: number, visit: RowVisitor): void {
  visitBall(geometry, lpsToContinuousIJK(geometry, centreLPS), radiusMm, visit, null);
}

/**
 * In-plane disc on the current slice of a view: the slice is the index slice (along the index axis most aligned with
 * the view normal) nearest to centreLPS; voxels on it within radiusMm (physical, in the slice plane) are visited.
 */
export function visitCircleOnSlice(geometry: ImageGeometry, centreLPS: Vec3, radiusMm: number, viewNormalLPS: Vec3, visit: RowVisitor): void {
  const axis = sliceAxisForNormal(geometry, viewNormalLPS);
  visitBall(geometry, lpsToContinuousIJK(geometry, centreLPS), radiusMm, visit, axis);
}

/** A view plane: its normal and (for rectangles) its screen-right direction, in LPS. */
export interface ViewPlane {
  normalLPS: Vec3;
  /** Screen +x direction; required for rectangles; made orthogonal to the normal. */
  rightLPS?: Vec3;
}

export type ExtrudedShape =
  | { kind: 'rectangle'; cornerALPS: Vec3; cornerBLPS: Vec3; view: ViewPlane }
  | { kind: 'circle'; centreLPS: Vec3; radiusMm: number; view: ViewPlane };

function viewBasis(view: ViewPlane, needRight: boolean): { right: Vec3; up: Vec3 } {
  const n = normalize3(view.normalLPS, 'view normalLPS');
  let rightIn = view.rightLPS;
  if (!rightIn) {
    if (needRight) throw new Error('a rectangle needs view.rightLPS (the screen-right direction of the view)');
    rightIn = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  }
  const d = dot3(rightIn, n);
  const right = normalize3([rightIn[0] - d * n[0], rightIn[1] - d * n[1], rightIn[2] - d * n[2]], 'view rightLPS (not parallel to the normal)');
  return { right, up: cross3(n, right) };
}

/**
 * Voxels whose centre projects (along the view normal) into a 2D shape of the view plane: the shape extruded through
 * the whole volume. `region: 'outside'` visits the complement.
 */
export function visitExtruded(geometry: ImageGeometry, shape: ExtrudedShape, region: 'inside' | 'outside', visit: RowVisitor): void {
  const [nx, ny, nz] = geometry.sizeIJK;
  const m = indexToLpsMatrix(geometry);
  const o = geometry.originLPS;
  const { right, up } = viewBasis(shape.view, shape.kind === 'rectangle');
  const col = (a: number): Vec3 => [m[a] as number, m[3 + a] as number, m[6 + a] as number];
  const [c0, c1, c2] = [col(0), col(1), col(2)];
  const ref: Vec3 = shape.kind === 'rectangle' ? shape.cornerALPS : shape.centreLPS;
  // u, v of voxel (i, j, k) = u00 + i du_i + j du_j + k du_k (relative to ref)
  const uO = dot3(right, [o[0] - ref[0], o[1] - ref[1], o[2] - ref[2]]);
  const vO = dot3(up, [o[0] - ref[0], o[1] - ref[1], o[2] - ref[2]]);
  const du: Vec3 = [dot3(right, c0), dot3(right, c1), dot3(right, c2)];
  const dv: Vec3 = [dot3(up, c0), dot3(up, c1), dot3(up, c2)];
  let uMin = 0, uMax = 0, vMin = 0, vMax = 0, r2 = 0;
  if (shape.kind === 'rectangle') {
    const b: Vec3 = [shape.cornerBLPS[0] - ref[0], shape.cornerBLPS[1] - ref[1], shape.cornerBLPS[2] - ref[2]];
    const ub = dot3(right, b);
    const vb = dot3(up, b);
    [uMin, uMax] = [Math.min(0, ub), Math.max(0, ub)];
    [vMin, vMax] = [Math.min(0, vb), Math.max(0, vb)];
  } else {
    checkRadius(shape.radiusMm);
    r2 = shape.radiusMm * shape.radiusMm;
  }
  /** Interval of real i where the linear a + s i lies in [lo, hi]. */
  const linSpan = (a: number, s: number, lo: number, hi: number): [number, number] | null => {
    if (Math.abs(s) < 1e-15) return a >= lo - EPS && a <= hi + EPS ? [-Infinity, Infinity] : null;
    const t0 = (lo - a) / s;
    const t1 = (hi - a) / s;
    return [Math.min(t0, t1), Math.max(t0, t1)];
  };
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const u0 = uO + j * du[1] + k * du[2];
      const v0 = vO + j * dv[1] + k * dv[2];
      let span: [number, number] | null;
      if (shape.kind === 'rectangle') {
        const su = linSpan(u0, du[0], uMin, uMax);
        const sv = linSpan(v0, dv[0], vMin, vMax);
        span = su && sv && Math.max(su[0], sv[0]) <= Math.min(su[1], sv[1]) ? [Math.max(su[0], sv[0]), Math.min(su[1], sv[1])] : null;
      } else {
        span = quadraticSpan(du[0] * du[0] + dv[0] * dv[0], 2 * (u0 * du[0] + v0 * dv[0]), u0 * u0 + v0 * v0 - r2);
      }
      const iSpan = span ? clampSpan(span[0], span[1], nx) : null;
      const base = nx * (j + ny * k);
      if (region === 'inside') {
        if (iSpan) visit(base, iSpan[0], iSpan[1], j, k);
      } else if (!iSpan) visit(base, 0, nx - 1, j, k);
      else {
        if (iSpan[0] > 0) visit(base, 0, iSpan[0] - 1, j, k);
        if (iSpan[1] < nx - 1) visit(base, iSpan[1] + 1, nx - 1, j, k);
      }
    }
  }
}

/**
 * Physical-space helpers on an ImageGeometry: pointLPS = originLPS + M indexIJK with M = D diag(spacingMm)
 * (D row-major, possibly non-orthogonal for gantry-tilted stacks). Distances between voxels are |M (a - b)| in mm, so
 * every shape test here is exact for anisotropic spacing, oblique and sheared grids.
 */
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';

/** M = D diag(spacingMm), row-major 3x3: column c is the LPS step (mm) of index axis c. */
export function indexToLpsMatrix(geometry: ImageGeometry): number[] {
  const d = geometry.directionLPS;
  const s = geometry.spacingMm;
  if (!Array.isArray(d) || d.length !== 9 || d.some((x) => !Number.isFinite(x))) throw new Error(`geometry.directionLPS must be 9 finite numbers, got [${String(d)}]`);
  if (s.some((x) => !(x > 0))) throw new Error(`geometry.spacingMm must be positive, got [${s.join(', ')}]`);
  const m: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m.push((d[3 * r + c] as number) * (s[c] as number));
  return m;
}

export function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new Error(`singular 3x3 matrix (det ${det}): the geometry's direction/spacing is degenerate`);
  const inv = [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d];
  return inv.map((x) => x / det);
}

export function mulMat3Vec(m: readonly number[], v: Vec3): Vec3 {
  return [
    (m[0] as number) * v[0] + (m[1] as number) * v[1] + (m[2] as number) * v[2],
    (m[3] as number) * v[0] + (m[4] as number) * v[1] + (m[5] as number) * v[2],
    (m[6] as number) * v[0] + (m[7] as number) * v[1] + (m[8] as number) * v[2],
  ];
}

export function dot3(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross3(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function sub3(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function normalize3(v: Vec3, what: string): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 1e-9) || !Number.isFinite(n)) throw new Error(`${what} must be a non-zero finite vector, got [${v.join(', ')}]`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Continuous voxel index of an LPS point. */
export function lpsToContinuousIJK(geometry: ImageGeometry, pointLPS: Vec3): Vec3 {
  if (pointLPS.length !== 3 || pointLPS.some((x) => !Number.isFinite(x))) throw new Error(`point must be 3 finite LPS coordinates, got [${String(pointLPS)}]`);
  return mulMat3Vec(invert3(indexToLpsMatrix(geometry)), sub3(pointLPS, geometry.originLPS));
}

export function ijkToLps(geometry: ImageGeometry, indexIJK: Vec3): Vec3 {
  const p = mulMat3Vec(indexToLpsMatrix(geometry), indexIJK);
  return [p[0] + geometry.originLPS[0], p[1] + geometry.originLPS[1], p[2] + geometry.originLPS[2]];
}

/** Metric tensor G = M^T M (row-major): |M d|^2 = d^T G d for an index offset d. */
export function metricTensor(geometry: ImageGeometry): number[] {
  const m = indexToLpsMatrix(geometry);
  const g: number[] = [];
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let s = 0;
      for (let r = 0; r < 3; r++) s += (m[3 * r + a] as number) * (m[3 * r + b] as number);
      g.push(s);
    }
  }
  return g;
}

/**
 * Half-extents in index units of the ellipsoid {d : d^T G d <= r^2} along each index axis: r sqrt((G^-1)_aa).
 * Used to bound a physical sphere of radius r in index space.
 */
export function sphereHalfExtentsIJK(geometry: ImageGeometry, radiusMm: number): Vec3 {
  const gi = invert3(metricTensor(geometry));
  return [radiusMm * Math.sqrt(gi[0] as number), radiusMm * Math.sqrt(gi[4] as number), radiusMm * Math.sqrt(gi[8] as number)];
}

/** Index axis whose LPS direction is most aligned with `normalLPS` (the axis a view normal slices across). */
export function sliceAxisForNormal(geometry: ImageGeometry, normalLPS: Vec3): 0 | 1 | 2 {
  const n = normalize3(normalLPS, 'view normal');
  const d = geometry.directionLPS;
  let best: 0 | 1 | 2 = 2;
  let bestDot = -1;
  for (const a of [0, 1, 2] as const) {
    const col: Vec3 = [d[a] as number, d[3 + a] as number, d[6 + a] as number];
    const len = Math.hypot(...col);
    const c = Math.abs(dot3(col, n)) / len;
    if (c > bestDot + 1e-9) {
      bestDot = c;
      best = a;
    }
  }
  return best;
}

export function checkRadius(radiusMm: number, what = 'radiusMm'): void {
  if (!(radiusMm > 0) || !Number.isFinite(radiusMm)) throw new Error(`${what} must be a positive number of mm, got ${radiusMm}`);
}

export function voxelCount(geometry: ImageGeometry): number {
  const [nx, ny, nz] = geometry.sizeIJK;
  return nx * ny * nz;
}

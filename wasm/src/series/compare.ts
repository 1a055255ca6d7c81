/**
 * Comparing our volume with the itk-wasm reference.
 *
 * Values: in rescaled units, stored * rescaleSlope + rescaleIntercept === reference value (the reference applies the
 * modality LUT itself). Exact for integer reference types; for float reference types within 1e-6 * max(1, |value|).
 *
 * Geometry: sizes equal, spacing and origin within toleranceMm, direction elements within 1e-4. One known, physically
 * equivalent difference is accepted: ITK reads a multi-frame file in FILE order with its k axis pointing from the first
 * to the last frame (even when that makes a left-handed matrix), while we always sort along normal = row x col. When
 * the reference's k axis is our k axis reversed, its voxel (i, j, k) is our voxel (i, j, nk-1-k) and its origin is our
 * last slice: `kFlipped` reports that case, and comparisons index accordingly.
 */
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';

export type GeometryAlignment = { ok: true; kFlipped: boolean; maxDifferenceMm: number } | { ok: false; reason: string };

function column(d: readonly number[], c: number): Vec3 {
  return [d[c] ?? NaN, d[3 + c] ?? NaN, d[6 + c] ?? NaN];
}

/** How `reference` maps onto `ours` (same voxels in the same or k-reversed order), or why it does not. */
export function alignGeometry(ours: ImageGeometry, reference: ImageGeometry, toleranceMm = 1e-4): GeometryAlignment {
  for (let c = 0; c < 3; c++) {
    if (ours.sizeIJK[c] !== reference.sizeIJK[c]) return { ok: false, reason: `size ${ours.sizeIJK.join('x')} vs reference ${reference.sizeIJK.join('x')}` };
  }
  const attempt = (kFlipped: boolean): GeometryAlignment => {
    let maxDiff = 0;
    const nk = ours.sizeIJK[2];
    const k2 = column(ours.directionLPS, 2);
    const origin: Vec3 = kFlipped
      ? [0, 1, 2].map((a) => ours.originLPS[a] + (nk - 1) * ours.spacingMm[2] * k2[a]) as Vec3
      : ours.originLPS;
    for (let c = 0; c < 3; c++) {
      const want = column(ours.directionLPS, c).map((v) => (kFlipped && c === 2 ? -v : v));
      const got = column(reference.directionLPS, c);
      for (let a = 0; a < 3; a++) {
        if (!(Math.abs(want[a] - got[a]) <= 1e-4)) return { ok: false, reason: `direction column ${c}: ${want.join(', ')} vs reference ${got.join(', ')}` };
      }
      const ds = Math.abs(ours.spacingMm[c] - reference.spacingMm[c]);
      const dOrigin = Math.abs(origin[c] - reference.originLPS[c]);
      if (!(ds <= toleranceMm)) return { ok: false, reason: `spacing ${ours.spacingMm.join(', ')} vs reference ${reference.spacingMm.join(', ')}` };
      if (!(dOrigin <= toleranceMm)) return { ok: false, reason: `origin ${origin.join(', ')} vs reference ${reference.originLPS.join(', ')}` };
      maxDiff = Math.max(maxDiff, ds, dOrigin);
    }
    return { ok: true, kFlipped, maxDifferenceMm: maxDiff };
  };
  const straight = attempt(false);
  if (straight.ok || ours.sizeIJK[2] < 2) return straight;
  const flipped = attempt(true);
  return flipped.ok ? flipped : straight;
}

/** Index into the reference buffer of our voxel p, given the alignment. */
export function referenceIndex(p: number, sizeIJK: Vec3, kFlipped: boolean): number {
  if (!kFlipped) return p;
  const slice = sizeIJK[0] * sizeIJK[1];
  const k = Math.floor(p / slice);
  return (sizeIJK[2] - 1 - k) * slice + (p - k * slice);
}

export interface ValueComparison {
  mismatches: number;
  firstMismatch?: { voxel: number; ours: number; reference: number };
}

/** Compare stored*slope+intercept against the reference's rescaled values, voxel for voxel. */
export function compareRescaled(
  stored: ArrayLike<number>,
  slope: number,
  intercept: number,
  reference: ArrayLike<number>,
  sizeIJK: Vec3,
  kFlipped: boolean,
  referenceIsFloat: boolean,
): ValueComparison {
  let mismatches = 0;
  let firstMismatch: ValueComparison['firstMismatch'];
  for (let p = 0; p < stored.length; p++) {
    const ours = stored[p] * slope + intercept;
    const ref = Number(reference[referenceIndex(p, sizeIJK, kFlipped)]);
    const equal = referenceIsFloat ? Math.abs(ours - ref) <= 1e-6 * Math.max(1, Math.abs(ref)) : ours === ref;
    if (!equal) {
      if (mismatches === 0) firstMismatch = { voxel: p, ours, reference: ref };
      mismatches++;
    }
  }
  return firstMismatch ? { mismatches, firstMismatch } : { mismatches };
}

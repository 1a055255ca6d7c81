import { describe, expect, it } from 'vitest';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { describeAxisMapping, findAxisMapping, reorderToTarget } from './grid-match.ts';
import { defaultToleranceMm, describeGeometry, indexToLps, lpsToIndex } from './target-grid.ts';

// Oblique target: rotated 30 degrees about z, anisotropic spacing.
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
const obliqueTarget: ImageGeometry = {
  sizeIJK: [4, 3, 2],
  spacingMm: [0.8, 0.9, 2.5],
  originLPS: [-10, 20, 30],
  directionLPS: [c, -s, 0, s, c, 0, 0, 0, 1],
};

/** Source grid that stores the same voxels with axes permuted/flipped: derived analytically from the target. */
function derivedSource(sourceAxisOf: Vec3, flipped: boolean[], target: ImageGeometry = obliqueTarget): ImageGeometry {
  const sizeIJK: Vec3 = [0, 0, 0];
  const spacingMm: Vec3 = [0, 0, 0];
  const directionLPS = new Array<number>(9).fill(0);
  for (let t = 0; t < 3; t++) {
    const a = sourceAxisOf[t];
    sizeIJK[a] = target.sizeIJK[t];
    spacingMm[a] = target.spacingMm[t];
    for (let r = 0; r < 3; r++) directionLPS[3 * r + a] = target.directionLPS[3 * r + t] * (flipped[t] ? -1 : 1);
  }
  // Source voxel 0 is the target voxel at the far end of every flipped axis.
  const far = [0, 1, 2].map((t) => (flipped[t] ? target.sizeIJK[t] - 1 : 0));
  return { sizeIJK, spacingMm, originLPS: indexToLps(target, far), directionLPS };
}

const target = obliqueTarget;

// Gantry-tilted (sheared) target: axial rows/cols, k axis 17 degrees off the normal towards +P; D is not orthogonal.
const tilt = (17 * Math.PI) / 180;
const shearedTarget: ImageGeometry = {
  sizeIJK: [4, 3, 5],
  spacingMm: [0.9, 0.9, 1.25 / Math.cos(tilt)],
  originLPS: [-100, -80, 40],
  directionLPS: [1, 0, 0, 0, 1, Math.sin(tilt), 0, 0, Math.cos(tilt)],
};

describe('findAxisMapping on a sheared (gantry-tilt) grid', () => {
  it('recovers every permutation + flip of the sheared lattice exactly', () => {
    const perms: Vec3[] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const perm of perms) {
      for (let f = 0; f < 8; f++) {
        const flipped = [!!(f & 1), !!(f & 2), !!(f & 4)];
        const r = findAxisMapping(derivedSource(perm, flipped, shearedTarget), shearedTarget, 1e-6);
        expect(r.matches, `${perm} ${flipped}`).toBe(true);
        expect(r.mapping).toEqual({ sourceAxisOf: perm, flipped });
      }
    }
  });

  it('the orthogonal grid through the same slice planes does not match: its far slice is off by the accumulated drift', () => {
    const orthogonal: ImageGeometry = { ...shearedTarget, spacingMm: [0.9, 0.9, 1.25], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const r = findAxisMapping(orthogonal, shearedTarget, defaultToleranceMm(shearedTarget));
    expect(r.matches).toBe(false);
    expect(r.maxDeviationMm).toBeCloseTo(4 * 1.25 * Math.tan(tilt), 9);
  });
});

describe('findAxisMapping / reorderToTarget', () => {
  it('identity grid: identity mapping with ~0 deviation', () => {
    const r = findAxisMapping(target, target, 1e-3);
    expect(r.matches).toBe(true);
    expect(r.mapping).toEqual({ sourceAxisOf: [0, 1, 2], flipped: [false, false, false] });
    expect(r.maxDeviationMm).toBeLessThan(1e-9);
    expect(describeAxisMapping(r.mapping!)).toContain('identical');
  });

  it('recovers every permutation + flip combination and reorders voxels exactly', () => {
    const perms: Vec3[] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const perm of perms) {
      for (let f = 0; f < 8; f++) {
        const flipped = [!!(f & 1), !!(f & 2), !!(f & 4)];
        const src = derivedSource(perm, flipped);
        const r = findAxisMapping(src, target, 1e-6);
        expect(r.matches, `${perm} ${flipped}`).toBe(true);
        expect(r.mapping).toEqual({ sourceAxisOf: perm, flipped });
        // Fill the source with the linear index of the target voxel each source voxel coincides with.
        const n = 24;
        const values = new Float64Array(n);
        for (let si = 0; si < n; si++) {
          const ijk = [si % src.sizeIJK[0], Math.floor(si / src.sizeIJK[0]) % src.sizeIJK[1], Math.floor(si / (src.sizeIJK[0] * src.sizeIJK[1]))];
          const t = lpsToIndex(target, indexToLps(src, ijk)).map(Math.round);
          values[si] = t[0] + 4 * (t[1] + 3 * t[2]);
        }
        const out = reorderToTarget(values, src.sizeIJK, r.mapping!, new Float64Array(n));
        expect(Array.from(out)).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
  });

  it('a shift beyond tolerance does not match and reports the deviation', () => {
    const shifted = { ...target, originLPS: [target.originLPS[0] + 0.05, target.originLPS[1], target.originLPS[2]] as Vec3 };
    const r = findAxisMapping(shifted, target, 0.01);
    expect(r.matches).toBe(false);
    expect(r.maxDeviationMm).toBeCloseTo(0.05, 9);
    expect(findAxisMapping(shifted, target, 0.06).matches).toBe(true);
  });

  it('a spacing error accumulates to the far corner and is caught', () => {
    const stretched = { ...target, spacingMm: [0.8, 0.9, 2.51] as Vec3 };
    const r = findAxisMapping(stretched, target, 0.005);
    expect(r.matches).toBe(false);
    expect(r.maxDeviationMm).toBeCloseTo(0.01, 9);
  });

  it('sizes that never fit: no candidate', () => {
    const r = findAxisMapping({ ...target, sizeIJK: [5, 3, 2] }, target, 1);
    expect(r.mapping).toBeUndefined();
    expect(r.matches).toBe(false);
  });

  it('default tolerance is 1% of the smallest spacing, at least 0.001 mm', () => {
    expect(defaultToleranceMm(target)).toBeCloseTo(0.008, 12);
    expect(defaultToleranceMm({ ...target, spacingMm: [0.05, 0.05, 0.05] })).toBe(0.001);
  });

  it('describeGeometry states size, spacing, origin and direction', () => {
    expect(describeGeometry(target)).toBe(
      'size 4x3x2, spacing (0.8, 0.9, 2.5) mm, origin LPS (-10, 20, 30) mm, direction LPS columns i(0.866025, 0.5, 0) j(-0.5, 0.866025, 0) k(0, 0, 1)',
    );
  });
});

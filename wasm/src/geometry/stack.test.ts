import { describe, expect, it } from 'vitest';
import { analyzeStack, angleToNearestAxisDeg } from './stack.ts';
import type { SliceGeometryInput } from './stack.ts';
import type { Vec3 } from './types.ts';

const AXIAL = [1, 0, 0, 0, 1, 0];
const base = { rows: 4, columns: 6, pixelSpacingMm: [0.5, 0.7] as [number, number] };

/** Slices at the given z (mm) along +S, with an optional per-slice in-plane shift along the column direction. */
function axialStack(zs: number[], shiftPerMmY = 0, orientation: number[] = AXIAL): SliceGeometryInput[] {
  return zs.map((z) => ({ positionLPS: [10, -20 + shiftPerMmY * z, z] as Vec3, orientationLPS: orientation }));
}

describe('analyzeStack', () => {
  it('sorts by position along the normal regardless of input order and builds the geometry', () => {
    const a = analyzeStack(axialStack([5, 0, 7.5, 2.5]), base);
    expect(a.order).toEqual([1, 3, 0, 2]);
    expect(a.positionsAlongNormalMm).toEqual([0, 2.5, 5, 7.5]);
    expect(a.spacing.medianMm).toBeCloseTo(2.5, 12);
    expect(a.uniform).toBe(true);
    expect(a.problems).toEqual([]);
    expect(a.geometry.sizeIJK).toEqual([6, 4, 4]);
    // i runs along a row: spacing between columns (PixelSpacing[1]) first.
    expect(a.geometry.spacingMm).toEqual([0.7, 0.5, 2.5]);
    expect(a.geometry.originLPS).toEqual([10, -20, 0]);
    expect(a.geometry.directionLPS).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('keeps the stack right-handed when slices run feet-first (normal from row x col, not from file order)', () => {
    // Row = +L, col = -S (coronal-like): normal = row x col = (1,0,0) x (0,0,-1) = (0,1,0).
    const coronal = [1, 0, 0, 0, 0, -1];
    const slices = [3, 0, 6].map((y) => ({ positionLPS: [0, y, 0] as Vec3, orientationLPS: coronal }));
    const a = analyzeStack(slices, base);
    expect(a.normalLPS).toEqual([0, 1, 0]);
    expect(a.order).toEqual([1, 0, 2]);
    expect(a.geometry.spacingMm[2]).toBeCloseTo(3, 12);
    expect(a.normalNearestAxis).toBe('P');
  });

  it('reports a gap with the estimated number of missing slices', () => {
    const a = analyzeStack(axialStack([0, 2.5, 5, 12.5, 15]), base);
    expect(a.gaps).toEqual([{ afterSortedIndex: 2, stepMm: 7.5, estimatedMissingSlices: 2 }]);
    expect(a.problems.map((p) => p.code)).toEqual(['gap']);
    // Mean step over the whole stack: (15 - 0) / 4.
    expect(a.geometry.spacingMm[2]).toBeCloseTo(3.75, 12);
  });

  it('reports non-uniform spacing beyond max(1 %, 0.01 mm) and tolerates rounding below it', () => {
    const tolerated = analyzeStack(axialStack([0, 2.5, 5.005, 7.5]), base);
    expect(tolerated.uniform).toBe(true);
    const a = analyzeStack(axialStack([0, 2.5, 5.2, 7.5, 10]), base);
    expect(a.nonUniformSteps).toEqual([1, 2]);
    expect(a.problems.map((p) => p.code)).toEqual(['non-uniform-spacing']);
  });

  it('reports duplicate positions', () => {
    const a = analyzeStack(axialStack([0, 2.5, 2.5, 5, 5, 5]), base);
    expect(a.duplicates).toEqual([
      { sortedIndices: [1, 2], positionAlongNormalMm: 2.5 },
      { sortedIndices: [3, 4, 5], positionAlongNormalMm: 5 },
    ]);
    expect(a.spacing.medianMm).toBeCloseTo(2.5, 12);
    expect(a.problems.map((p) => p.code)).toEqual(['duplicate-positions']);
  });

  it('measures gantry tilt and returns the exact sheared grid: k axis along the slice step, voxel = pixel area x plane distance', () => {
    const tiltDeg = 15;
    const tan = Math.tan((tiltDeg * Math.PI) / 180);
    const slices = axialStack([5, 0, 7.5, 2.5], tan);
    const a = analyzeStack(slices, base);
    expect(a.tiltDeg).toBeCloseTo(tiltDeg, 9);
    expect(a.maxInPlaneDriftMm).toBeCloseTo(7.5 * tan, 9);
    expect(a.maxLineDeviationMm).toBeLessThan(1e-9);
    expect(a.problems.map((p) => p.code)).toEqual(['tilt']);
    expect(a.problems[0]?.message).toMatch(/15 deg.*sheared.*pixel area x distance between slice planes/);
    expect(a.sheared).toBe(true);
    // Plane distance is measured along the normal; the step follows the tilted stacking direction.
    expect(a.planeDistanceMm).toBeCloseTo(2.5, 12);
    a.sliceStepLPS.forEach((v, c) => expect(v).toBeCloseTo([0, 2.5 * tan, 2.5][c] as number, 12));
    const g = a.geometry;
    expect(g.spacingMm[2]).toBeCloseTo(2.5 / Math.cos((tiltDeg * Math.PI) / 180), 12);
    const kAxis = [g.directionLPS[2], g.directionLPS[5], g.directionLPS[8]];
    kAxis.forEach((v, c) => expect(v).toBeCloseTo([0, Math.sin((tiltDeg * Math.PI) / 180), Math.cos((tiltDeg * Math.PI) / 180)][c] as number, 12));
    expect(g.directionLPS.slice(0, 2)).toEqual([1, 0]);
    // Every slice's IPP is the grid point (0, 0, k) of its sorted index k.
    a.order.forEach((input, k) => {
      const p = slices[input]?.positionLPS as Vec3;
      for (let r = 0; r < 3; r++) expect(g.originLPS[r] + (g.directionLPS[3 * r + 2] as number) * g.spacingMm[2] * k).toBeCloseTo(p[r], 12);
    });
    // |det(D diag(s))| = 0.7 x 0.5 x 2.5 mm3.
    const d = g.directionLPS as [number, number, number, number, number, number, number, number, number];
    const det = d[0] * (d[4] * d[8] - d[5] * d[7]) - d[1] * (d[3] * d[8] - d[5] * d[6]) + d[2] * (d[3] * d[7] - d[4] * d[6]);
    expect(Math.abs(det) * g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]).toBeCloseTo(0.7 * 0.5 * 2.5, 12);
  });

  it('a tilted stack whose positions do not lie on one line is not sheared and says why', () => {
    const slices = axialStack([0, 2.5, 5, 7.5]).map((s, k) => ({ ...s, positionLPS: [s.positionLPS[0], s.positionLPS[1] + (k === 2 ? 1 : 0), s.positionLPS[2]] as Vec3 }));
    const a = analyzeStack(slices, base);
    expect(a.problems.map((p) => p.code)).toEqual(['tilt']);
    expect(a.sheared).toBe(false);
    expect(a.maxLineDeviationMm).toBeCloseTo(1, 9);
    expect(a.problems[0]?.message).toMatch(/not lie on one straight line/);
    expect(a.geometry.directionLPS).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(a.geometry.spacingMm[2]).toBeCloseTo(2.5, 12);
  });

  it('untilted stacks are not sheared: k axis = normal, step = normal x spacing', () => {
    const a = analyzeStack(axialStack([0, 2.5, 5]), base);
    expect(a.sheared).toBe(false);
    expect(a.sliceStepLPS).toEqual([0, 0, 2.5]);
    expect(a.planeDistanceMm).toBe(2.5);
    expect(a.geometry.spacingMm[2]).toBe(2.5);
  });

  it('does not report tilt for IPP rounding on a short stack', () => {
    const slices: SliceGeometryInput[] = [
      { positionLPS: [0, 0, 0], orientationLPS: AXIAL },
      { positionLPS: [0.001, -0.001, 2.5], orientationLPS: AXIAL },
    ];
    expect(analyzeStack(slices, base).problems).toEqual([]);
  });

  it('measures obliqueness against the nearest patient axis', () => {
    const t = (20 * Math.PI) / 180;
    // Rotate the axial frame by 20 degrees about L: row stays +L, col tilts towards S.
    const oblique = [1, 0, 0, 0, Math.cos(t), Math.sin(t)];
    const normal: Vec3 = [0, -Math.sin(t), Math.cos(t)];
    const slices = [0, 1, 2].map((k) => ({ positionLPS: [normal[0] * 3 * k, normal[1] * 3 * k, normal[2] * 3 * k] as Vec3, orientationLPS: oblique }));
    const a = analyzeStack(slices, base);
    expect(a.obliqueDeg).toBeCloseTo(20, 9);
    expect(a.normalNearestAxis).toBe('S');
    expect(a.spacing.medianMm).toBeCloseTo(3, 12);
    expect(a.problems.map((p) => p.code)).toEqual(['oblique']);
  });

  it('flags inconsistent and invalid orientations', () => {
    const slices: SliceGeometryInput[] = [
      { positionLPS: [0, 0, 0], orientationLPS: AXIAL },
      { positionLPS: [0, 0, 1], orientationLPS: [1, 0, 0, 0, 0.9998, 0.02] },
    ];
    expect(analyzeStack(slices, base).problems.map((p) => p.code)).toContain('inconsistent-orientation');
    const bad = analyzeStack([{ positionLPS: [0, 0, 0], orientationLPS: [1, 0, 0, 0.5, 1, 0] }], { ...base, fallbackSliceSpacingMm: 2 });
    expect(bad.problems.map((p) => p.code)).toEqual(['invalid-orientation', 'single-slice']);
    // Gram-Schmidt keeps the direction matrix orthonormal.
    expect(bad.colLPS[0]).toBeCloseTo(0, 12);
    expect(bad.geometry.spacingMm[2]).toBe(2);
  });

  it('angleToNearestAxisDeg labels signed axes', () => {
    expect(angleToNearestAxisDeg([0, 0, -1])).toEqual({ angleDeg: 0, axis: 'I' });
    expect(angleToNearestAxisDeg([-1, 0, 0]).axis).toBe('R');
  });
});

import { describe, expect, it } from 'vitest';
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import { indexToLPS, sliceIndexAt, spacingAlongNormalMm, toCornerstoneDirection } from './direction.ts';

// A coronal acquisition: i -> +x (L), j -> -z (I), k -> +y (P); spacing 0.7, 0.7, 2.5.
const coronal: ImageGeometry = {
  sizeIJK: [4, 4, 3],
  spacingMm: [0.7, 0.7, 2.5],
  originLPS: [-10, 5, 100],
  directionLPS: [1, 0, 0, 0, 0, 1, 0, -1, 0],
};

describe('toCornerstoneDirection', () => {
  it('lists row cosines, column cosines, then the slice direction', () => {
    const m = toCornerstoneDirection(coronal.directionLPS);
    expect(m.slice(0, 3)).toEqual([1, 0, 0]);
    expect(m.slice(3, 6)).toEqual([0, 0, -1]);
    expect(m.slice(6, 9)).toEqual([0, 1, 0]);
  });
});

describe('indexToLPS / spacingAlongNormalMm', () => {
  it('maps indices through direction and spacing', () => {
    const p = indexToLPS(coronal, [2, 1, 2]);
    expect(p[0]).toBeCloseTo(-8.6);
    expect(p[1]).toBeCloseTo(10);
    expect(p[2]).toBeCloseTo(99.3);
  });
  it('gives the slice spacing along the acquisition normal and the pixel spacing across it', () => {
    expect(spacingAlongNormalMm(coronal, [0, -1, 0])).toBeCloseTo(2.5);
    expect(spacingAlongNormalMm(coronal, [0, 0, 1])).toBeCloseTo(0.7);
  });
});

describe('sliceIndexAt', () => {
  it('inverts indexToLPS along k for an oblique-free coronal grid', () => {
    expect(sliceIndexAt(coronal, indexToLPS(coronal, [1, 2, 2]))).toBeCloseTo(2, 9);
    expect(sliceIndexAt(coronal, indexToLPS(coronal, [3, 0, 0.5]))).toBeCloseTo(0.5, 9);
  });
  it('is exact on a sheared (gantry tilt) grid, whatever the in-plane position', () => {
    const t = Math.tan((20 * Math.PI) / 180);
    const norm = Math.hypot(1, t);
    // k step leans along -y (posterior) by tan(20 deg) per mm of z; unit k direction, spacing = its length.
    const sheared: ImageGeometry = { sizeIJK: [8, 8, 5], spacingMm: [1, 1, 2 * norm], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, -t / norm, 0, 0, 1 / norm] };
    for (const ijk of [[0, 0, 3], [7, 5, 3], [2, 7, 1.25]] as const) {
      expect(sliceIndexAt(sheared, indexToLPS(sheared, [ijk[0], ijk[1], ijk[2]]))).toBeCloseTo(ijk[2], 9);
    }
  });
});

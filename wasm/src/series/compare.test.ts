import { describe, expect, it } from 'vitest';
import type { ImageGeometry } from '../geometry/types.ts';
import { alignGeometry, compareRescaled, referenceIndex } from './compare.ts';

const ours: ImageGeometry = { sizeIJK: [2, 2, 3], spacingMm: [0.5, 0.5, 2], originLPS: [10, 20, -40], directionLPS: [-1, 0, 0, 0, 1, 0, 0, 0, -1] };

describe('alignGeometry / compareRescaled', () => {
  it('accepts the identical geometry and the k-reversed description of the same voxels', () => {
    expect(alignGeometry(ours, ours)).toEqual({ ok: true, kFlipped: false, maxDifferenceMm: 0 });
    // Reversed: origin at our last slice (-40 - 2*2 = -44 along -S), k axis +S.
    const reversed: ImageGeometry = { ...ours, originLPS: [10, 20, -44], directionLPS: [-1, 0, 0, 0, 1, 0, 0, 0, 1] };
    expect(alignGeometry(ours, reversed)).toMatchObject({ ok: true, kFlipped: true });
    const shifted: ImageGeometry = { ...ours, originLPS: [10, 20, -40.001] };
    expect(alignGeometry(ours, shifted)).toMatchObject({ ok: false });
    expect(alignGeometry(ours, { ...ours, sizeIJK: [2, 2, 4] })).toMatchObject({ ok: false });
  });

  it('compares in rescaled values through the k mapping', () => {
    const stored = Int16Array.from([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    const refFlipped = Int32Array.from([20, 21, 22, 23, 10, 11, 12, 13, 0, 1, 2, 3].map((v) => v - 1024));
    expect(referenceIndex(0, ours.sizeIJK, true)).toBe(8);
    expect(compareRescaled(stored, 1, -1024, refFlipped, ours.sizeIJK, true, false)).toEqual({ mismatches: 0 });
    const c = compareRescaled(stored, 1, -1024, refFlipped, ours.sizeIJK, false, false);
    expect(c.mismatches).toBe(8);
    expect(c.firstMismatch).toEqual({ voxel: 0, ours: -1024, reference: -1004 });
  });
});

import { describe, expect, it } from 'vitest';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { fillBetweenSlices, swapIK } from './fill-between-slices.ts';

/** Analytic ellipsoid: voxel centre inside (x/a)^2+(y/b)^2+(z/c)^2 <= 1 (in voxel units around `centre`). */
function ellipsoid(size: Vec3, centre: Vec3, radii: Vec3): Uint8Array {
  const [ni, nj, nk] = size;
  const out = new Uint8Array(ni * nj * nk);
  let p = 0;
  for (let k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++, p++) {
        const x = (i - centre[0]) / radii[0];
        const y = (j - centre[1]) / radii[1];
        const z = (k - centre[2]) / radii[2];
        if (x * x + y * y + z * z <= 1) out[p] = 1;
      }
  return out;
}

function dice(a: Uint8Array, b: Uint8Array, label: number): number {
  let inter = 0, na = 0, nb = 0;
  for (let p = 0; p < a.length; p++) {
    const x = a[p] === label, y = b[p] === 1;
    if (x) na++;
    if (y) nb++;
    if (x && y) inter++;
  }
  return (2 * inter) / (na + nb);
}

const index = (size: Vec3, i: number, j: number, k: number): number => (k * size[1] + j) * size[0] + i;

describe('fillBetweenSlices', () => {
  const size: Vec3 = [80, 72, 56];
  const geometry: ImageGeometry = { sizeIJK: size, spacingMm: [0.8, 0.8, 2.5], originLPS: [-30, 12, 100], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const truth = ellipsoid(size, [40, 36, 27.5], [30, 24, 24]);

  it('rebuilds an ellipsoid painted on every 5th slice (Dice > 0.9) without touching other labels', async () => {
    const painted = new Uint8Array(truth.length);
    const paintedK: number[] = [];
    for (let k = 5; k < size[2]; k += 5) {
      let any = false;
      for (let j = 0; j < size[1]; j++) for (let i = 0; i < size[0]; i++) {
        const p = index(size, i, j, k);
        if (truth[p]) {
          painted[p] = 1;
          any = true;
        }
      }
      if (any) paintedK.push(k);
    }
    expect(paintedK.length).toBeGreaterThan(8);
    // Another label inside the ellipsoid on an unpainted slice (must survive), and one far away.
    for (let j = 30; j < 40; j++) for (let i = 35; i < 45; i++) painted[index(size, i, j, 27)] = 2;
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) painted[index(size, i, j, 2)] = 3;
    const before = painted.slice();
    const result = await fillBetweenSlices(painted, geometry, { label: 1 });

    expect(painted).toEqual(before); // input untouched
    expect(result.paintedSlices).toEqual(paintedK);
    const d = dice(result.labelmap, truth, 1);
    expect(d).toBeGreaterThan(0.9);
    // Other labels untouched; label 2 blocked 100 voxels that the interpolation wanted.
    let label2 = 0, label3 = 0, changedNonBackground = 0, added = 0;
    for (let p = 0; p < before.length; p++) {
      if (result.labelmap[p] === 2) label2++;
      if (result.labelmap[p] === 3) label3++;
      if (before[p] !== 0 && result.labelmap[p] !== before[p]) changedNonBackground++;
      if (before[p] === 0 && result.labelmap[p] === 1) added++;
    }
    expect(label2).toBe(100);
    expect(label3).toBe(16);
    expect(changedNonBackground).toBe(0);
    expect(result.voxelsAdded).toBe(added);
    expect(result.voxelsBlockedByOtherLabels).toBe(100);
    // Every gap slice between the first and last painted slice got voxels, nothing outside that range.
    const expectedFilled: number[] = [];
    for (let k = paintedK[0] + 1; k < paintedK[paintedK.length - 1]; k++) if (!paintedK.includes(k)) expectedFilled.push(k);
    expect(result.slicesFilled).toEqual(expectedFilled);
  });

  it('interpolates across i when painted every 5th sagittal slice (axis 0 path)', async () => {
    const painted = new Uint8Array(truth.length);
    for (let k = 0; k < size[2]; k++) for (let j = 0; j < size[1]; j++) for (let i = 10; i < size[0]; i += 5) {
      const p = index(size, i, j, k);
      if (truth[p]) painted[p] = 1;
    }
    const result = await fillBetweenSlices(painted, geometry, { label: 1, axis: 0 });
    expect(dice(result.labelmap, truth, 1)).toBeGreaterThan(0.9);
    const first = result.paintedSlices[0];
    const last = result.paintedSlices[result.paintedSlices.length - 1];
    const expected: number[] = [];
    for (let i = first + 1; i < last; i++) if (i % 5 !== 0) expected.push(i);
    expect(result.slicesFilled).toEqual(expected);
  });

  it('does nothing with fewer than two painted slices and rejects a wrong-size labelmap', async () => {
    const one = new Uint8Array(truth.length);
    one[index(size, 40, 36, 20)] = 1;
    const r = await fillBetweenSlices(one, geometry, { label: 1 });
    expect(r.voxelsAdded).toBe(0);
    expect(r.labelmap).toEqual(one);
    await expect(fillBetweenSlices(new Uint8Array(10), geometry, { label: 1 })).rejects.toThrow(/10 voxels/);
  });

  it('swapIK is an involution that moves (i,j,k) to (k,j,i)', () => {
    const src = new Uint8Array(2 * 3 * 4).map((_, p) => p);
    const t = swapIK(src, 2, 3, 4);
    expect(t[(1 * 3 + 2) * 4 + 3]).toBe(src[(3 * 3 + 2) * 2 + 1]);
    expect(swapIK(t, 4, 3, 2)).toEqual(src);
  });
});

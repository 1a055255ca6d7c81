import { describe, expect, it } from 'vitest';
import type { ScalarVolume } from '../image/types.ts';
import { computeLabelStats } from './label-stats.ts';
import { computeRoleStats } from './role-stats.ts';

// 10 x 10 x 6 grid, 0.5 x 0.5 x 2 mm voxels (0.5 mm^3). Slabs by k:
//   k=0: 40 voxels label 1 (HU 50); k=1: 30 voxels label 2 (HU 70); k=3: 10 voxels tumour t=0 (HU 20) and 5 voxels t=2 (HU 0).
const nx = 10;
const ny = 10;
const nz = 6;
function build(): { labelmap: Uint8Array; image: ScalarVolume } {
  const labelmap = new Uint8Array(nx * ny * nz);
  const pixels = new Int16Array(nx * ny * nz);
  const put = (k: number, first: number, n: number, label: number, hu: number): void => {
    for (let c = 0; c < n; c++) {
      const idx = k * nx * ny + first + c;
      labelmap[idx] = label;
      pixels[idx] = hu + 1024;
    }
  };
  put(0, 20, 40, 1, 50);
  put(1, 20, 30, 2, 70);
  put(3, 20, 10, 10, 20);
  put(3, 40, 5, 12, 0);
  return {
    labelmap,
    image: {
      geometry: { sizeIJK: [nx, ny, nz], spacingMm: [0.5, 0.5, 2], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
      pixels,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
      rescaleUnits: 'HU',
    },
  };
}

describe('computeRoleStats', () => {
  it('derives liver, TLV measured, FLR and tumours from role labels', () => {
    const { labelmap, image } = build();
    const roles = computeRoleStats(computeLabelStats(labelmap, image), 4);
    expect(roles.liver.voxelCount).toBe(85);
    expect(roles.liver.volumeMl).toBeCloseTo((85 * 0.5) / 1000, 15);
    expect(roles.liver.labels).toEqual([1, 2, 10, 12]);
    expect(roles.liver.intensity?.mean).toBeCloseTo((40 * 50 + 30 * 70 + 10 * 20 + 5 * 0) / 85, 10);
    expect(roles.liver.intensity?.min).toBe(0);
    expect(roles.liver.intensity?.max).toBe(70);
    expect(roles.liver.slicesK).toEqual({ firstK: 0, lastK: 3, count: 3, runs: [[0, 1], [3, 3]] });
    expect(roles.liver.fovEdgeFaces).toEqual(['i=0', 'i=max', 'k=0']);
    expect(roles.tlvMeasured.voxelCount).toBe(70);
    expect(roles.tlvMeasured.slicesK?.runs).toEqual([[0, 1]]);
    expect(roles.flr.voxelCount).toBe(30);
    expect(roles.flr.intensity?.mean).toBeCloseTo(70, 10);
    expect(roles.tumoursAll.voxelCount).toBe(15);
    expect(roles.tumours.map((t) => [t.tumourIndex, t.label, t.voxelCount])).toEqual([
      [0, 10, 10],
      [1, 11, 0],
      [2, 12, 5],
      [3, 13, 0],
    ]);
    expect(roles.tumours[1]?.boundingBoxIJK).toBeNull();
    expect(roles.tumours[2]?.boundingBoxIJK).toEqual({ min: [0, 4, 3], max: [4, 4, 3] });
  });

  it('rejects reserved labels and reports an empty FLR as zero volume', () => {
    const { labelmap, image } = build();
    labelmap[5] = 4;
    expect(() => computeRoleStats(computeLabelStats(labelmap, image))).toThrow(/reserved labels 4/);
    labelmap[5] = 0;
    labelmap.forEach((v, i) => {
      if (v === 2) labelmap[i] = 1;
    });
    const roles = computeRoleStats(computeLabelStats(labelmap, image));
    expect(roles.flr.voxelCount).toBe(0);
    expect(roles.flr.volumeMl).toBe(0);
    expect(roles.flr.intensity).toBeNull();
    expect(roles.tumours).toHaveLength(3);
  });
});

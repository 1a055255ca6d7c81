import { describe, expect, it } from 'vitest';
import type { ImageGeometry } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import { chooseKeySlices, orientationLetters, planeLayout, renderKeyImage } from './key-image.ts';

function volumeOf(geometry: ImageGeometry): { volume: ScalarVolume; labels: Uint8Array } {
  const n = geometry.sizeIJK[0] * geometry.sizeIJK[1] * geometry.sizeIJK[2];
  return { volume: { geometry, pixels: new Int16Array(n).fill(60), rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'HU' }, labels: new Uint8Array(n) };
}

const axialLps: ImageGeometry = { sizeIJK: [8, 6, 4], spacingMm: [1, 1, 2], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
// Same grid with i running towards patient right and k towards inferior.
const flipped: ImageGeometry = { ...axialLps, directionLPS: [-1, 0, 0, 0, 1, 0, 0, 0, -1] };

describe('key-image orientation', () => {
  it('labels the edges radiologically for an LPS-aligned grid', () => {
    expect(planeLayout(axialLps, 'axial').orientation).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(planeLayout(axialLps, 'coronal').orientation).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    expect(orientationLetters([0.8, -0.6, 0])).toBe('LA');
  });

  it('puts a voxel on the patient right at the image left whichever way i runs', () => {
    for (const geometry of [axialLps, flipped]) {
      const { volume, labels } = volumeOf(geometry);
      // Voxel at the patient-right-most column (smallest L coordinate), slice k = 1, row j = 2: FLR.
      const iRight = geometry.directionLPS[0] === 1 ? 0 : 7;
      labels[1 * 48 + 2 * 8 + iRight] = 2;
      const image = renderKeyImage({ volume, labelmap: labels, plane: 'axial', sliceIndex: 1, window: { center: 60, width: 200 } });
      expect(image.width).toBe(8);
      expect(image.height).toBe(6);
      const o = (2 * image.width + 0) * 4; // row 2, leftmost column
      expect([image.rgba[o], image.rgba[o + 1], image.rgba[o + 2]]).toEqual([40, 210, 90]); // opaque outline, FLR colour
      const grey = (0 * image.width + 4) * 4;
      expect(Math.abs((image.rgba[grey] as number) - 127.5)).toBeLessThanOrEqual(0.5); // 60 HU at centre 60 width 200: mid grey
    }
  });

  it('resamples the coronal view to physical aspect (2 mm slices -> twice the rows) and picks key slices', () => {
    const { volume, labels } = volumeOf(axialLps);
    labels[2 * 48 + 3 * 8 + 4] = 2;
    labels[2 * 48 + 3 * 8 + 5] = 2;
    labels[3 * 48 + 3 * 8 + 4] = 1;
    const plan = chooseKeySlices(labels, axialLps);
    expect(plan.axial).toBe(2);
    expect(plan.coronal).toBe(3);
    const image = renderKeyImage({ volume, labelmap: labels, plane: 'coronal', sliceIndex: plan.coronal, window: { center: 60, width: 200 } });
    expect([image.width, image.height]).toEqual([8, 8]);
  });
});

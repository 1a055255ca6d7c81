import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../geometry/types.ts';
import { generatePhantom, phantomScalarVolume } from '../../../fixtures/src/phantom/index.ts';
import { isLiverLabel } from '../segments/roles.ts';
import { lockTable } from './constraints.ts';
import { growFromSeeds, seedsFromStrokes } from './grow.ts';
import type { EditTarget } from './tools.ts';

function dice(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let v = 0; v < a.length; v++) {
    if (a[v]) na++;
    if (b[v]) nb++;
    if (a[v] && b[v]) inter++;
  }
  return (2 * inter) / (na + nb);
}

describe('grow from seeds', () => {
  it('a few strokes inside and around the liver give the whole liver (tumours and vessel included): Dice >= 0.97', () => {
    const phantom = generatePhantom({ rows: 96, columns: 96, pixelSpacingMm: [4, 4], sliceCount: 60, sliceSpacingMm: 4, noiseSd: 15, obliqueRotationDeg: [0, 0, 8] });
    const image = phantomScalarVolume(phantom);
    const target: EditTarget = { labelmap: new Uint8Array(phantom.labels.length), geometry: image.geometry, image, lockedLabels: lockTable([]) };
    const { centreLPS: c, semiAxesMm: r } = phantom.anatomy.liver;
    const at = (u: number, v: number, w: number): Vec3 => [c[0] + u * r[0], c[1] + v * r[1], c[2] + w * r[2]];
    // Foreground: three short axial strokes through the parenchyma.
    const fgStroke = [at(0, 0, 0), at(0.3, 0, 0), at(0, 0, 0.5), at(0.2, -0.2, -0.5)];
    const fg = seedsFromStrokes(target, fgStroke, 6, [0, 0, 1]);
    // Background: strokes around the liver (air, body wall, beyond the liver's ends).
    const bgStroke = [at(-1.4, 0, 0), at(1.5, 0, 0), at(0, -1.5, 0), at(0, 1.5, 0), at(0, 0, 1.25), at(0, 0, -1.25), at(1.2, 1.2, 0), at(-1.1, -1.1, 0.3)];
    const bg = seedsFromStrokes(target, bgStroke, 6, [0, 0, 1]);
    for (const s of fg) expect(isLiverLabel(phantom.labels[s] as number)).toBe(true);
    for (const s of bg) expect(phantom.labels[s]).toBe(0);

    const result = growFromSeeds(target, { segment: { role: 'liver' }, foregroundSeeds: fg, backgroundSeeds: bg });
    const truth = phantom.labels.map((l) => (isLiverLabel(l) ? 1 : 0));
    const got = target.labelmap.map((l) => (isLiverLabel(l) ? 1 : 0));
    const d = dice(got, truth);
    expect(d).toBeGreaterThanOrEqual(0.97);
    // Tumours (40 HU, like the body wall) lie inside the parenchyma: they join the liver (grown or filled as holes).
    let tumourCovered = 0;
    let tumourTotal = 0;
    for (let v = 0; v < truth.length; v++) {
      if ((phantom.labels[v] as number) >= 10) {
        tumourTotal++;
        if (got[v]) tumourCovered++;
      }
    }
    expect(tumourCovered / tumourTotal).toBeGreaterThan(0.95);
    expect(result.diff.voxelsChanged).toBe(got.reduce((s, x) => s + x, 0));
    expect(result.edgeToleranceHu).toBe(0);
  });

  it('refuses missing seeds and seeds outside the volume with clear messages', () => {
    const phantom = generatePhantom({ rows: 16, columns: 16, pixelSpacingMm: [20, 20], sliceCount: 8, sliceSpacingMm: 20 });
    const image = phantomScalarVolume(phantom);
    const target: EditTarget = { labelmap: new Uint8Array(phantom.labels.length), geometry: image.geometry, image, lockedLabels: lockTable([]) };
    expect(() => growFromSeeds(target, { segment: { role: 'liver' }, foregroundSeeds: [], backgroundSeeds: [1] })).toThrow(/foreground seeds/);
    expect(() => growFromSeeds(target, { segment: { role: 'liver' }, foregroundSeeds: [1], backgroundSeeds: [1e9] })).toThrow(/outside the volume/);
    expect(() => growFromSeeds({ ...target, image: null }, { segment: { role: 'liver' }, foregroundSeeds: [1], backgroundSeeds: [2] })).toThrow(/needs the image/);
  });
});

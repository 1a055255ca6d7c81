import { describe, expect, it } from 'vitest';
import { generatePhantom, phantomScalarVolume } from '../../../fixtures/src/phantom/index.ts';
import { computeLabelStats } from './label-stats.ts';
import { computeRoleStats } from './role-stats.ts';

describe('label and role statistics on the synthetic abdomen phantom', () => {
  for (const obliqueRotationDeg of [
    [0, 0, 0],
    [12, -8, 20],
  ] as Array<[number, number, number]>) {
    it(`reproduce the generator's truth counts and the analytic volumes (rotation ${obliqueRotationDeg.join('/')} deg)`, () => {
      const phantom = generatePhantom({ obliqueRotationDeg });
      const stats = computeLabelStats(phantom.labels, phantomScalarVolume(phantom));
      // Exact voxel counts per label, as counted independently by the generator while rendering.
      const truthCounts = Object.fromEntries(Object.entries(phantom.truth.voxelCounts).filter(([label]) => label !== '0'));
      expect(Object.fromEntries(stats.labels.map((l) => [String(l.label), l.voxelCount]))).toEqual(truthCounts);
      for (const l of stats.labels) expect(l.volumeMl).toBeCloseTo(phantom.truth.voxelVolumesMl[l.label] as number, 9);

      // Role volumes against the analytic ellipsoid / sphere / cap volumes (voxelisation error well under 2 %).
      const roles = computeRoleStats(stats, phantom.anatomy.tumours.length);
      const analytic = phantom.truth.analyticMl;
      expect(Math.abs(roles.liver.volumeMl / analytic.liverTotal - 1)).toBeLessThan(0.02);
      expect(Math.abs(roles.tlvMeasured.volumeMl / analytic.liverParenchyma - 1)).toBeLessThan(0.02);
      expect(Math.abs(roles.flr.volumeMl / analytic.flr - 1)).toBeLessThan(0.02);
      roles.tumours.forEach((t, n) => expect(Math.abs(t.volumeMl / (analytic.tumours[n] as number) - 1)).toBeLessThan(0.1));
      expect(roles.liver.volumeMl).toBeCloseTo(roles.tlvMeasured.volumeMl + roles.tumoursAll.volumeMl, 9);

      // Mean attenuation of the liver parenchyma and tumours near the phantom's tissue values (noise SD 5 HU).
      expect(Math.abs((roles.tlvMeasured.intensity?.mean as number) - phantom.intensities.liver)).toBeLessThan(3);
      expect(Math.abs((roles.tumoursAll.intensity?.mean as number) - phantom.intensities.tumour)).toBeLessThan(3);
      expect(roles.liver.touchesFovEdge).toBe(false);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { buildMeasurementRecord } from '../../../wasm/src/measure/record.ts';
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import { SegmentationSession } from '../../../wasm/src/segmentation/session.ts';
import { liveVolumetry } from './live-volumetry.ts';

const geometry: ImageGeometry = { sizeIJK: [20, 18, 12], spacingMm: [1.5, 1.5, 2.5], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const n = 20 * 18 * 12;

describe('live volumetry', () => {
  it('equals buildMeasurementRecord on the same labelmap, after every edit and undo (incremental statistics)', () => {
    const pixels = new Int16Array(n).fill(100);
    const image = { geometry, pixels, rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'HU' };
    const session = new SegmentationSession({ labelmap: new Uint8Array(n), geometry, image });
    const anthro = { heightM: 1.75, weightKg: 80, chemotherapy: false };
    const check = (): void => {
      const live = liveVolumetry(session.panel(), anthro);
      const recordInput = () => ({
        roles: { labelmap: session.labelmap, qc: null },
        image,
        series: { studyInstanceUid: '1.2', seriesInstanceUid: '1.3', frameOfReferenceUid: '1.4', seriesDate: '20240101', modality: 'CT' },
        labelInput: { format: 'role-labelmap' as const, fileName: 'x.nii', sha256: 'a'.repeat(64), roleMapping: { liver: [1], tumours: [10], flr: [2] } },
        anthropometrics: { heightCm: 175, weightKg: 80, chemotherapy: false },
      });
      const record = buildMeasurementRecord(recordInput());
      expect(live.liverMl).toBe(record.volumes.liverMl);
      expect(live.tlvMeasuredMl).toBe(record.volumes.tlvMeasuredMl);
      expect(live.flrMl).toBe(record.volumes.flrMl);
      expect(live.tumoursMl).toBe(record.volumes.tumoursMl);
      expect(live.stlvMl).toBe(record.stlv?.valueMl);
      if (live.flrMl > 0) {
        expect(live.sflrPct).toBe(record.ratios.sflrPct);
        expect(live.verdict.status).toBe(record.verdict.status);
        // The shown sFLR (1 decimal, threshold-safe) re-derives the verdict.
        expect(live.text.sflr).toMatch(/^\d+\.\d%$/);
        expect(Number.parseFloat(live.text.sflr) >= (live.verdict.thresholdPct as number)).toBe(live.verdict.status === 'sufficient');
        // Chemotherapy not recorded: not assessable in the panel as in the record (never the normal-liver threshold).
        const unknown = liveVolumetry(session.panel(), { ...anthro, chemotherapy: null });
        const unknownRecord = buildMeasurementRecord({ ...recordInput(), anthropometrics: { heightCm: 175, weightKg: 80, chemotherapy: null } });
        expect(unknown.verdict).toMatchObject({ status: 'not-assessable', thresholdPct: null });
        expect(unknown.verdict.reason).toBe(unknownRecord.verdict.reason);
      }
    };
    session.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 9, pointsLPS: [[15, 13, 15]] });
    check();
    session.brush({ segment: { role: 'tumour', tumourIndex: 0 }, op: 'paint', shape: 'sphere', radiusMm: 3, pointsLPS: [[15, 13, 15]] });
    session.cutFlr({ plane: { kind: 'three-points', pointsLPS: [[18, 0, 0], [18, 1, 0], [18, 0, 1]] }, flrSidePointLPS: [25, 13, 15] });
    check();
    const live = liveVolumetry(session.panel(), anthro);
    expect(live.rows.map((r) => r.key)).toEqual(['liver', 'tumour:0', 'flr', 'tlv-measured']);
    session.undo();
    check();
    expect(liveVolumetry(session.panel(), anthro).flrMl).toBe(0);
  });

  it('flags a segment touching the edge of the field of view and missing anthropometrics', () => {
    const session = new SegmentationSession({ labelmap: new Uint8Array(n), geometry, image: null });
    session.brush({ segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 4, pointsLPS: [[0, 10, 10]] });
    const live = liveVolumetry(session.panel(), { heightM: null, weightKg: null, chemotherapy: null });
    expect(live.flags.join('\n')).toMatch(/liver touches the edge of the field of view \(i=0\)/);
    expect(live.flags.join('\n')).toMatch(/no height\/weight/);
    expect(live.stlvMl).toBeNull();
    expect(live.verdict.status).toBe('not-assessable');
  });
});

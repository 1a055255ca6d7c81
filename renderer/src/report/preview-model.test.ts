import { describe, expect, it } from 'vitest';
import type { ReportPreview } from '../../../electron/src/ipc/contract.ts';
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import { buildMeasurementRecord, growthRecord } from '../../../wasm/src/measure/index.ts';
import { defaultMeaning, fingerprintText, keyValidityText, previewModel } from './preview-model.ts';

// 20 x 20 x 10 grid of 2 x 2 x 5 mm voxels (20 mm³ each): liver 10 x 10 x 4 = 400 voxels, FLR the first 3 columns
// (120 voxels), one tumour of 2 x 2 x 2 = 8 voxels outside the FLR.
const geometry: ImageGeometry = { sizeIJK: [20, 20, 10], spacingMm: [2, 2, 5], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
function record(seriesDate: string, flrColumns: number, chemotherapy: boolean | null = false) {
  const labelmap = new Uint8Array(20 * 20 * 10);
  for (let k = 3; k < 7; k++) for (let j = 5; j < 15; j++) for (let i = 5; i < 15; i++) labelmap[i + 20 * (j + 20 * k)] = i < 5 + flrColumns ? 2 : 1;
  for (let k = 4; k < 6; k++) for (let j = 8; j < 10; j++) for (let i = 11; i < 13; i++) labelmap[i + 20 * (j + 20 * k)] = 10;
  return buildMeasurementRecord({
    roles: { labelmap, qc: null },
    image: { geometry, pixels: new Int16Array(labelmap.length), rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'HU' },
    series: { studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.4', frameOfReferenceUid: '1.2.3.5', seriesDate, modality: 'CT' },
    labelInput: { format: 'nifti', fileName: 'S_baseline_labels.nii.gz', sha256: 'cd'.repeat(32), roleMapping: { liver: [1, 2, 10], tumours: [10], flr: [2] } },
    anthropometrics: { heightCm: 113, weightKg: 38, chemotherapy },
    createdAt: '2024-03-22T10:00:00.000Z',
  });
}

function preview(withGrowth: boolean, chemotherapy: boolean | null = false): ReportPreview {
  const measurement = record('20240322', 3, chemotherapy);
  return {
    previewId: 'a'.repeat(32),
    caseId: 'S',
    timepointId: 'week-3',
    subjectId: 'S',
    timepoint: 'week-3',
    identification: { seriesDescription: 'Portal venous', sliceThicknessMm: 5, spacingMm: { row: 2, col: 2, slice: 5 }, sliceCount: 10, geometryWarnings: [] },
    measurement,
    growth: withGrowth ? growthRecord(record('20240301', 2), measurement) : null,
    baselineReport: withGrowth ? '/ws/base.json' : null,
    growthNote: withGrowth ? null : 'the baseline timepoint "Baseline" has no signed report yet',
    inputs: { instanceCount: 10, labelFile: { fileName: 'S_baseline_labels.nii.gz', sha256: 'cd'.repeat(32) }, labelmapSha256: 'ef'.repeat(32) },
    keyImages: [],
    defaultOutDir: '/ws/out',
    fileNames: [],
  };
}

describe('sign & export preview model', () => {
  it('lists the volumes, ratios and verdict of the record with the PDF formatting', () => {
    const m = previewModel(preview(false));
    expect(m.volumes.map((v) => [v.key, v.voxels, v.text])).toEqual([
      ['liver', 400, '8.0'],
      ['tumours', 8, '0.2'],
      ['tumour:0', 8, '0.2'],
      ['tlv-measured', 392, '7.8'],
      ['flr', 120, '2.4'],
    ]);
    const sflr = m.ratios.find((r) => r.key === 'sflr')!;
    expect(sflr.basis).toBe(true);
    expect(sflr.pct).toBe(preview(false).measurement.ratios.sflrPct);
    expect(sflr.text).toMatch(/^\d+\.\d %$/);
    expect(m.verdict.status).toBe('insufficient');
    expect(m.anthropometrics).toContainEqual(['Height', '113 cm']);
    expect(m.identification).toContainEqual(['Scan date', '2024-03-22']);
    expect(m.verdict.text).toMatch(/^FLR VOLUME: INSUFFICIENT: sFLR .* The volumetric verdict is the DRAGON 2 endpoint\.$/);
    // The same substituted formulas as the PDF and the CLI, with the sTLV in mL.
    const r = preview(false).measurement;
    expect(m.formulas).toContain(`sTLV (Vauthey) = -794.41 + 1267.28 x ${(r.bsa?.valueM2 as number).toFixed(4)} m² = ${(r.stlv?.valueMl as number).toFixed(1)} mL`);
    expect(m.formulas.some((f) => f.startsWith('BSA (Mosteller) = sqrt(113 cm x 38 kg / 3600) = '))).toBe(true);
    expect(m.signBlocker).toBeNull();
    expect(m.growth).toBeNull();
    expect(m.growthNote).toContain('no signed report');
  });

  it('blocks signing while the chemotherapy status is not recorded, and says what to record', () => {
    const m = previewModel(preview(false, null));
    expect(m.signBlocker).toContain('Record whether the liver is chemotherapy-damaged');
    expect(m.verdict.status).toBe('not-assessable');
    expect(m.anthropometrics.find(([k]) => k === 'Chemotherapy')?.[1]).toMatch(/^NOT RECORDED/);
    expect(m.thresholds).toContainEqual(['Applicable threshold', 'unknown (chemotherapy status not recorded)']);
  });

  it('adds the growth section when a baseline is given', () => {
    const m = previewModel(preview(true));
    expect(m.growth).toContainEqual(['Interval', '21 days = 3.00 weeks (from series dates)']);
    expect(m.growth).toContainEqual(['Baseline report', '/ws/base.json']);
    expect(m.growth?.find(([k]) => k === 'sTLV basis of DH/KGR')?.[1]).toMatch(/^baseline: baseline sTLV for both sFLRs/);
    expect(m.growth?.find(([k]) => k === 'Kinetic growth rate (KGR)')?.[1]).toMatch(/%\/week \((below|at or above) the 2 %\/week cut-off\)/);
  });

  it('key texts: validity, fingerprint, default meaning', () => {
    expect(keyValidityText({ status: 'expired', validFrom: '2020-01-01T00:00:00.000Z', validTo: '2021-01-01T00:00:00.000Z' })).toBe('EXPIRED on 2021-01-01');
    expect(keyValidityText({ status: 'valid', validFrom: '2024-01-01T00:00:00.000Z', validTo: '2026-01-01T00:00:00.000Z' })).toBe('valid 2024-01-01 to 2026-01-01');
    expect(fingerprintText('0a1b2c')).toBe('0A:1B:2C');
    expect(defaultMeaning('Reviewer')).toBe('Reviewer: volumetry performed and approved');
    expect(defaultMeaning('Adjudicator')).toBe('Adjudicator: volumetry performed and approved');
  });
});

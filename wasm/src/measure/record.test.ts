import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageGeometry } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import type { ImportedSegmentation } from '../labels/types.ts';
import { makeProtocol } from '../clinical/protocol.ts';
import { composeRoleLabelmap } from '../segments/compose.ts';
import type { RoleMapping } from '../segments/compose.ts';
import { CORE_VERSION } from '../version.ts';
import { formatGrowthText, formatMeasurementText } from './format.ts';
import { growthRecord } from './growth-record.ts';
import { patientIdSha256 } from './subject-key.ts';
import { MEASUREMENT_SCHEMA_VERSION, assertMeasurementRecord, buildMeasurementRecord } from './record.ts';
import type { MeasureInput } from './record.ts';

// 40 x 40 x 30 grid of 4 x 4 x 5 mm voxels (80 mm^3 = 0.08 mL each).
const [NX, NY, NZ] = [40, 40, 30];
const VOXEL_ML = (4 * 4 * 5) / 1000;
const geometry: ImageGeometry = { sizeIJK: [NX, NY, NZ], spacingMm: [4, 4, 5], originLPS: [-80, -80, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
type Box = [number, number, number, number, number, number]; // i0, i1, j0, j1, k0, k1 inclusive
const boxVoxels = (b: Box): number => (b[1] - b[0] + 1) * (b[3] - b[2] + 1) * (b[5] - b[4] + 1);

function fillBox(layer: Uint8Array, b: Box, value: number): void {
  for (let k = b[4]; k <= b[5]; k++) for (let j = b[2]; j <= b[3]; j++) for (let i = b[0]; i <= b[1]; i++) layer[i + NX * (j + NY * k)] = value;
}

const LIVER: Box = [5, 34, 5, 34, 3, 26]; // 30 x 30 x 24 = 21600 voxels = 1728 mL
const TUMOUR: Box = [25, 28, 10, 13, 10, 13]; // 64 voxels = 5.12 mL, outside the FLR
const flrBox = (lastI: number): Box => [5, lastI, 5, 34, 3, 26];

/** Three-segment NIfTI-like import: 1 liver, 2 tumour, 3 FLR, each on its own layer. */
function importSeg(liver: Box, flr: Box): ImportedSegmentation {
  const layers = [new Uint8Array(NX * NY * NZ), new Uint8Array(NX * NY * NZ), new Uint8Array(NX * NY * NZ)];
  fillBox(layers[0] as Uint8Array, liver, 1);
  fillBox(layers[1] as Uint8Array, TUMOUR, 1);
  fillBox(layers[2] as Uint8Array, flr, 1);
  return {
    geometry,
    layers,
    segments: [
      { segmentNumber: 1, layer: 0, labelValue: 1, label: 'Liver', voxelCount: boxVoxels(liver) },
      { segmentNumber: 2, layer: 1, labelValue: 1, label: 'Tumour', voxelCount: boxVoxels(TUMOUR) },
      { segmentNumber: 3, layer: 2, labelValue: 1, label: 'FLR', voxelCount: boxVoxels(flr) },
    ],
    source: { format: 'dicom-seg', fileName: 'seg.dcm', sha256: 'ab'.repeat(32), mappingNotes: [] },
  };
}

/** CT image: liver 100 HU, tumour 40 HU, elsewhere -1000 HU, stored with intercept -1024. */
function ctImage(): ScalarVolume {
  const pixels = new Int16Array(NX * NY * NZ).fill(24);
  const set = (b: Box, hu: number): void => {
    for (let k = b[4]; k <= b[5]; k++) for (let j = b[2]; j <= b[3]; j++) for (let i = b[0]; i <= b[1]; i++) pixels[i + NX * (j + NY * k)] = hu + 1024;
  };
  set(LIVER, 100);
  set(TUMOUR, 40);
  return { geometry, pixels, rescaleSlope: 1, rescaleIntercept: -1024, rescaleUnits: 'HU' };
}

const mapping: RoleMapping = { liver: [1], tumours: [2], flr: [3] };
/** SHA-256 of the PatientID "DRAGON2-0042" (`printf %s DRAGON2-0042 | sha256sum`), computed in the subject-key test. */
let SUBJECT_A = '';

function input(lastFlrI: number, overrides: Partial<MeasureInput> = {}, seriesDate = '20240101', seriesUid = '1.2.3.4.1'): MeasureInput {
  const composed = composeRoleLabelmap(importSeg(LIVER, flrBox(lastFlrI)), mapping);
  return {
    roles: composed,
    image: ctImage(),
    series: { studyInstanceUid: '1.2.3', seriesInstanceUid: seriesUid, frameOfReferenceUid: '1.2.3.9', seriesDate, modality: 'CT', patientIdSha256: SUBJECT_A },
    labelInput: { format: 'dicom-seg', fileName: 'seg.dcm', sha256: 'ab'.repeat(32), roleMapping: mapping },
    anthropometrics: { heightCm: 170, weightKg: 75, chemotherapy: false },
    createdAt: '2024-01-02T10:00:00.000Z',
    ...overrides,
  };
}

beforeAll(async () => {
  SUBJECT_A = (await patientIdSha256('DRAGON2-0042')) as string;
});

describe('buildMeasurementRecord', () => {
  it('measures volumes, BSA, sTLV, ratios and verdict from the composed role labelmap', () => {
    const r = buildMeasurementRecord(input(14));
    const liverMl = boxVoxels(LIVER) * VOXEL_ML; // 1728 mL
    const tumourMl = boxVoxels(TUMOUR) * VOXEL_ML; // 5.12 mL
    const flrMl = boxVoxels(flrBox(14)) * VOXEL_ML; // 10 x 30 x 24 voxels = 576 mL
    expect(r.volumes.liverMl).toBeCloseTo(liverMl, 9);
    expect(r.volumes.tumoursMl).toBeCloseTo(tumourMl, 9);
    expect(r.volumes.tumourMl).toHaveLength(1);
    expect(r.volumes.tlvMeasuredMl).toBeCloseTo(liverMl - tumourMl, 9);
    expect(r.volumes.flrMl).toBeCloseTo(flrMl, 9);
    expect(r.geometry.voxelVolume).toMatchObject({ valueMm3: 80, method: 'abs-det-direction-times-spacing' });

    const bsa = Math.sqrt((170 * 75) / 3600);
    const stlv = -794.41 + 1267.28 * bsa;
    expect(r.bsa).toMatchObject({ source: 'formula', formula: 'mosteller' });
    expect(r.bsa?.valueM2).toBeCloseTo(1.8819, 4);
    expect(r.stlv?.valueMl).toBeCloseTo(1590.5, 1);
    expect(r.ratios.sflrPct).toBeCloseTo((flrMl / stlv) * 100, 9);
    expect(r.ratios.flrToTlvMeasuredPct).toBeCloseTo((flrMl / (liverMl - tumourMl)) * 100, 9);
    expect(r.ratios.flrToBodyWeightPct).toBeCloseTo((flrMl / 75000) * 100, 9);
    expect(r.verdict.status).toBe('sufficient');
    expect(r.verdict.reason).toBe(`sFLR ${((flrMl / stlv) * 100).toFixed(1)}% >= 30% threshold (chemotherapy: no)`);
    expect(r.thresholds).toEqual({ verdictRatio: 'sflr', normalLiverPct: 30, chemotherapyDamagedLiverPct: 40, chemotherapy: false, applicablePct: 30 });

    // Segment and role statistics: HU means, provenance back to segment numbers.
    const tumourSeg = r.segments.find((s) => s.role === 'tumour');
    expect(tumourSeg).toMatchObject({ label: 10, name: 'tumour 1', tumourIndex: 0, sourceSegmentNumbers: [2], voxelCount: 64 });
    expect(tumourSeg?.intensity?.mean).toBeCloseTo(40, 9);
    expect(r.roles.liver.intensity?.mean).toBeCloseTo((100 * (21600 - 64) + 40 * 64) / 21600, 9);
    expect(r.roles.flr.boundingBoxIJK).toEqual({ min: [5, 5, 3], max: [14, 34, 26] });
    expect(r.qc.flags).toEqual([]);

    expect(r.provenance).toMatchObject({
      coreVersion: CORE_VERSION,
      schemaVersion: MEASUREMENT_SCHEMA_VERSION,
      formulas: { bsa: 'mosteller', tlv: 'vauthey' },
      seriesInstanceUid: '1.2.3.4.1',
      labelInputSha256: 'ab'.repeat(32),
      voxelVolumeMethod: 'abs-det-direction-times-spacing',
    });
    expect(r.provenance.protocol.name).toBe('DRAGON2-default');
    // JSON-serialisable without loss (no typed arrays, NaN or Infinity).
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('applies the chemotherapy threshold, records mebrofenin and handles missing anthropometrics', () => {
    const chemo = buildMeasurementRecord(input(14, { anthropometrics: { heightCm: 170, weightKg: 75, chemotherapy: true, mebrofeninFlrFunctionPctPerMinPerM2: 3.1 } }));
    expect(chemo.verdict.status).toBe('insufficient');
    expect(chemo.verdict.reason).toMatch(/^sFLR 36\.2% < 40% threshold \(chemotherapy: yes\); mebrofenin FLR function 3\.10 %\/min\/m² exceeds the 2\.67 %\/min\/m² threshold/);
    expect(chemo.inputs.anthropometrics.chemotherapyRecorded).toBe(true);
    const noBody = buildMeasurementRecord(input(14, { anthropometrics: { chemotherapy: false } }));
    expect(noBody.bsa).toBeNull();
    expect(noBody.stlv).toBeNull();
    expect(noBody.ratios.sflrPct).toBeNull();
    expect(noBody.ratios.flrToTlvMeasuredPct).toBeCloseTo((576 / (1728 - 5.12)) * 100, 9);
    expect(noBody.verdict).toMatchObject({ status: 'not-assessable', reason: 'sFLR cannot be computed: no BSA (give height and weight, or an explicit BSA)' });
    expect(noBody.qc.flags.map((f) => f.code)).toEqual(['bsa-missing']);
    const onTlv = buildMeasurementRecord(input(14, { anthropometrics: { chemotherapy: false }, protocol: makeProtocol({ name: 'site-tlv', verdictRatio: 'flr-to-tlv-measured' }) }));
    expect(onTlv.verdict.status).toBe('sufficient');
    expect(onTlv.verdict.reason).toBe('FLR/TLV measured 33.4% >= 30% threshold (chemotherapy: no)'); // 576 / 1722.88 = 33.43 %
    const explicit = buildMeasurementRecord(input(14, { anthropometrics: { bsaM2: 2.2, heightCm: 170, weightKg: 75, chemotherapy: false } }));
    expect(explicit.bsa).toMatchObject({ source: 'explicit', valueM2: 2.2, formula: null });
    expect(explicit.qc.flags.map((f) => f.code)).toEqual(['bsa-explicit-differs']);
  });

  it('is not assessable without an FLR mapping, and reports null ratios', () => {
    const noFlr: RoleMapping = { liver: [1], tumours: [2], flr: [] };
    const composed = composeRoleLabelmap(importSeg(LIVER, flrBox(14)), noFlr);
    const r = buildMeasurementRecord({ ...input(14), roles: composed, labelInput: { ...input(14).labelInput, roleMapping: noFlr } });
    expect(r.volumes.flrMl).toBe(0);
    expect(r.ratios).toEqual({ sflrPct: null, flrToTlvMeasuredPct: null, flrToBodyWeightPct: null, liverDensityGPerMl: 1 });
    expect(r.verdict).toMatchObject({ status: 'not-assessable', reason: 'sFLR cannot be computed: no segment is mapped to the FLR' });
    expect(r.qc.flags.map((f) => f.code)).toEqual(['flr-not-mapped']);
  });

  it('flags a liver touching the field of view, slice gaps, and records a voxel volume override', () => {
    const touching: Box = [0, 34, 5, 39, 3, 26];
    const composed = composeRoleLabelmap(importSeg(touching, flrBox(14)), mapping);
    // Remove slice k = 10 from the liver to create a gap.
    for (let idx = 10 * NX * NY; idx < 11 * NX * NY; idx++) composed.labelmap[idx] = 0;
    const r = buildMeasurementRecord({ ...input(14), roles: composed, voxelVolumeOverride: { valueMm3: 75, reason: 'gantry tilt 20 deg, shear not in geometry' } });
    const codes = r.qc.flags.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['liver-touches-fov-edge', 'liver-slice-gaps', 'flr-slice-gaps', 'voxel-volume-override']));
    expect(r.qc.flags.find((f) => f.code === 'liver-touches-fov-edge')?.message).toMatch(/\(i=0, j=max\)/);
    expect(r.qc.flags.find((f) => f.code === 'liver-slice-gaps')?.message).toMatch(/k 10\.\.10/);
    expect(r.geometry.voxelVolume).toMatchObject({ valueMm3: 75, method: 'explicit-override', geometryValueMm3: 80 });
    expect(r.volumes.flrMl).toBeCloseTo((10 * 30 * 23 * 75) / 1000, 9);
  });

  it('rejects bad provenance and grids with clear messages', () => {
    expect(() => buildMeasurementRecord({ ...input(14), labelInput: { ...input(14).labelInput, sha256: 'xyz' } })).toThrow(/labelInput.sha256 must be 64 lower-case hex digits, got "xyz"/);
    expect(() => buildMeasurementRecord(input(14, {}, '2024-01-01'))).toThrow(/series.seriesDate must be a DICOM date YYYYMMDD/);
    const other = { ...geometry, spacingMm: [4, 4, 2.5] as [number, number, number] };
    expect(() => buildMeasurementRecord({ ...input(14), roles: { ...input(14).roles, geometry: other } })).toThrow(/role labelmap geometry .* is not the image geometry/);
    expect(() => buildMeasurementRecord(input(14, { anthropometrics: { heightCm: 1.7, weightKg: 75, chemotherapy: false } }))).toThrow(/heightCm 1.7 is implausible/);
  });

  it('formats a readable summary', () => {
    const text = formatMeasurementText(buildMeasurementRecord(input(14)));
    expect(text).toMatch(/\n {2}FLR +576\.0 mL\n/);
    expect(text).toMatch(/\n {2}TLV measured \(liver - tumours\) +1722\.9 mL\n/);
    expect(text).toContain('Verdict:  FLR VOLUME: SUFFICIENT: sFLR 36.2% >= 30% threshold (chemotherapy: no)');
    // Formulas with the patient's numbers filled in.
    expect(text).toContain('BSA (Mosteller) = sqrt(170 cm x 75 kg / 3600) = 1.8819 m²');
    expect(text).toContain('sTLV (Vauthey) = -794.41 + 1267.28 x 1.8819 m² = 1590.5 mL');
    expect(text).toContain('sFLR = FLR 576.0 mL / sTLV 1590.5 mL x 100 = 36.2 %');
    expect(text).toContain('FLR/body weight = FLR 576.0 mL x 1 g/mL / (75 kg x 1000 g/kg) x 100 = 0.77 %');
    expect(text).toContain('BSA:      1.882 m² (Mosteller; height 170 cm, weight 75 kg)');
    expect(text).toContain('sTLV:     1590.5 mL (Vauthey');
  });
});

describe('growthRecord', () => {
  it('computes DH, KGR and relative FLR growth between two measurements', () => {
    const baseline = buildMeasurementRecord(input(14, {}, '20240101', '1.2.3.4.1'));
    const followup = buildMeasurementRecord(input(19, {}, '20240122', '1.2.3.4.2')); // FLR 15 columns: 864 mL
    const stlv = -794.41 + 1267.28 * Math.sqrt((170 * 75) / 3600);
    // Round trip through JSON as the CLI will (records are read back from files).
    const g = growthRecord(assertMeasurementRecord(JSON.parse(JSON.stringify(baseline)), 'baseline.json'), followup, { createdAt: '2024-02-01T00:00:00.000Z' });
    const dh = ((864 - 576) / stlv) * 100;
    expect(g.degreeOfHypertrophyPp).toBeCloseTo(dh, 9);
    expect(g.interval).toEqual({ days: 21, weeks: 3, source: 'series-dates', seriesDateDays: 21 });
    expect(g.kineticGrowthRatePctPerWeek).toBeCloseTo(dh / 3, 9);
    expect(g.relativeFlrGrowthPct).toBeCloseTo(50, 9);
    expect(g.kgrBelowCutoff).toBe(false);
    expect(g.flags).toEqual([]);
    expect(g.stlvBasis).toBe('baseline');
    expect(formatGrowthText(g)).toContain(`Kinetic growth rate (KGR):      ${(dh / 3).toFixed(2)} %/week (at or above the 2 %/week cut-off) = DH / weeks`);

    const explicit = growthRecord(baseline, followup, { intervalDays: 28 });
    expect(explicit.kineticGrowthRatePctPerWeek).toBeCloseTo(dh / 4, 9);
    expect(explicit.flags.map((f) => f.code)).toEqual(['interval-differs-from-dates']);
  });

  it('refuses mismatched protocols unless allowed, and bad intervals', () => {
    const baseline = buildMeasurementRecord(input(14, {}, '20240101', '1.2.3.4.1'));
    const urata = buildMeasurementRecord(input(19, { protocol: makeProtocol({ name: 'urata-site', tlvFormula: 'urata' }) }, '20240122', '1.2.3.4.2'));
    expect(() => growthRecord(baseline, urata)).toThrow(/different protocols \(name: DRAGON2-default vs urata-site; tlvFormula: vauthey vs urata\)/);
    const allowed = growthRecord(baseline, urata, { allowProtocolMismatch: true });
    expect(allowed.flags.map((f) => [f.code, f.severity])).toContainEqual(['protocol-mismatch', 'error']);
    const sameDay = buildMeasurementRecord(input(19, {}, '20240101', '1.2.3.4.2'));
    expect(() => growthRecord(baseline, sameDay)).toThrow(/not after the baseline date 20240101 \(0 days\)/);
    expect(() => growthRecord(baseline, sameDay, { intervalDays: -7 })).toThrow(/intervalDays must be a positive number of days, got -7/);
    expect(() => assertMeasurementRecord({ kind: 'other' }, 'x.json')).toThrow('x.json: kind is "other", expected "remnant.measurement"');
  });

  it('uses the baseline sTLV for DH/KGR by default, reports the per-timepoint variant and the weight change', () => {
    // The review's repro: FLR unchanged (576 mL), weight 75 -> 70 kg: no hypertrophy on the baseline basis.
    const baseline = buildMeasurementRecord(input(14, {}, '20240101', '1.2.3.4.1'));
    const lighter = buildMeasurementRecord(input(14, { anthropometrics: { heightCm: 170, weightKg: 70, chemotherapy: false } }, '20240122', '1.2.3.4.2'));
    const g = growthRecord(baseline, lighter);
    expect(g.stlvBasis).toBe('baseline');
    expect(g.degreeOfHypertrophyPp).toBeCloseTo(0, 12);
    expect(g.kgrBelowCutoff).toBe(true);
    const own = g.byBasis['per-timepoint'];
    expect(own.degreeOfHypertrophyPp).toBeCloseTo((lighter.ratios.sflrPct as number) - (baseline.ratios.sflrPct as number), 12);
    expect(own.degreeOfHypertrophyPp as number).toBeGreaterThan(1.5);
    expect(g.followup.weightKg).toBe(70);
    const stlvFlag = g.flags.find((f) => f.code === 'stlv-changed');
    expect(stlvFlag?.severity).toBe('info');
    expect(stlvFlag?.message).toMatch(/weight 75 -> 70 kg/);
    const text = formatGrowthText(g);
    expect(text).toContain('weight 75.0 -> 70.0 kg');
    expect(text).toContain('sTLV basis of DH/KGR:           baseline');
    expect(text).toMatch(/DH \/ KGR, per-timepoint basis: +1\.\d\d pp/);
    // A protocol on the per-timepoint basis reports that one, and the sTLV change becomes a warning.
    const p = makeProtocol({ name: 'own-stlv', growthStlvBasis: 'per-timepoint' });
    const g2 = growthRecord(buildMeasurementRecord(input(14, { protocol: p }, '20240101', '1.2.3.4.1')), buildMeasurementRecord(input(14, { protocol: p, anthropometrics: { heightCm: 170, weightKg: 70, chemotherapy: false } }, '20240122', '1.2.3.4.2')));
    expect(g2.degreeOfHypertrophyPp).toBeCloseTo(own.degreeOfHypertrophyPp as number, 12);
    expect(g2.flags.find((f) => f.code === 'stlv-changed')?.severity).toBe('warning');
  });

  it('refuses measurements of two different subjects unless allowed, and flags an unverifiable subject', async () => {
    // The key is the plain SHA-256 of the trimmed PatientID: auditable with any sha256 tool, never the ID itself.
    expect(SUBJECT_A).toBe(createHash('sha256').update('DRAGON2-0042', 'utf8').digest('hex'));
    expect(await patientIdSha256('  DRAGON2-0042 \0')).toBe(SUBJECT_A);
    expect(await patientIdSha256('')).toBeNull();
    expect(await patientIdSha256(undefined)).toBeNull();
    const subjectB = (await patientIdSha256('DRAGON2-0043')) as string;
    const baseline = buildMeasurementRecord(input(14, {}, '20240101', '1.2.3.4.1'));
    expect(baseline.provenance.patientIdSha256).toBe(SUBJECT_A);
    expect(JSON.stringify(baseline)).not.toContain('DRAGON2-0042');
    const other = (date: string, key: string | null) => buildMeasurementRecord(input(19, { series: { ...input(19).series, seriesInstanceUid: '1.2.3.4.2', seriesDate: date, patientIdSha256: key } }));
    const followupB = other('20240122', subjectB);
    expect(() => growthRecord(baseline, followupB)).toThrow(/different subjects \(baseline PatientID SHA-256 [0-9a-f]{12}\.\.\., follow-up [0-9a-f]{12}\.\.\.\)/);
    const allowed = growthRecord(baseline, followupB, { allowSubjectMismatch: true });
    expect(allowed.flags.map((f) => [f.code, f.severity])).toContainEqual(['subject-mismatch', 'error']);
    expect(allowed.baseline.patientIdSha256).toBe(SUBJECT_A);
    expect(allowed.followup.patientIdSha256).toBe(subjectB);
    // Same subject: no subject flag; a different FrameOfReferenceUID is not required to match.
    const sameSubject = buildMeasurementRecord(input(19, { series: { ...input(19).series, seriesInstanceUid: '1.2.3.4.2', frameOfReferenceUid: '1.2.3.77', seriesDate: '20240122' } }));
    expect(growthRecord(baseline, sameSubject).flags.map((f) => f.code)).toEqual([]);
    // A key missing on one side (no PatientID, or a record from before the key existed) cannot be checked: a warning.
    const unknown = growthRecord(baseline, other('20240122', null));
    expect(unknown.flags.filter((f) => f.code === 'subject-unverified').map((f) => [f.severity, f.message])).toEqual([['warning', 'the follow-up has no PatientID key (patientIdSha256): check that both measurements are of the same subject']]);
    const legacy = JSON.parse(JSON.stringify(baseline)) as { inputs: { series: Record<string, unknown> }; provenance: Record<string, unknown> };
    delete legacy.inputs.series.patientIdSha256;
    delete legacy.provenance.patientIdSha256;
    expect(growthRecord(assertMeasurementRecord(legacy, 'old.json'), sameSubject).flags.map((f) => f.code)).toEqual(['subject-unverified']);
    // The subject check does not relax the date order: a follow-up on or before the baseline date is refused.
    expect(() => growthRecord(baseline, other('20231225', SUBJECT_A))).toThrow(/follow-up series date 20231225 is not after the baseline date 20240101 \(-7 days\)/);
    expect(() => buildMeasurementRecord(input(14, { series: { ...input(14).series, patientIdSha256: 'DRAGON2-0042' } }))).toThrow(/patientIdSha256 must be 64 lower-case hex digits/);
  });

  it('identifies UID-less series by content for the same-series check', () => {
    const noUid = (date: string, sha: string) => buildMeasurementRecord({ ...input(14, {}, date), series: { studyInstanceUid: null, seriesInstanceUid: null, frameOfReferenceUid: '1.2.3.9', seriesDate: date, modality: 'CT', sourceFileSha256: sha } });
    const a = noUid('20240101', 'aa'.repeat(32));
    expect(a.provenance.seriesInstanceUid).toBeNull();
    expect(a.qc.flags.find((f) => f.code === 'series-without-uid')?.severity).toBe('warning');
    expect(growthRecord(a, noUid('20240122', 'bb'.repeat(32))).flags.map((f) => f.code)).not.toContain('same-series');
    expect(growthRecord(a, noUid('20240122', 'aa'.repeat(32))).flags.map((f) => f.code)).toContain('same-series');
  });
});

describe('verdict safety', () => {
  it('is not assessable with an unrecorded chemotherapy status, and says so', () => {
    const r = buildMeasurementRecord(input(14, { anthropometrics: { heightCm: 170, weightKg: 75, chemotherapy: null } }));
    expect(r.verdict.status).toBe('not-assessable');
    expect(r.verdict.reason).toBe('not assessable: chemotherapy status not recorded');
    expect(r.thresholds).toMatchObject({ chemotherapy: null, applicablePct: null });
    expect(r.inputs.anthropometrics).toMatchObject({ chemotherapy: null, chemotherapyRecorded: false });
    expect(r.ratios.sflrPct).toBeCloseTo(36.2, 1);
    expect(r.qc.flags.map((f) => f.code)).toContain('chemotherapy-not-recorded');
    expect(formatMeasurementText(r)).toContain('Chemo:    NOT RECORDED');
  });

  it('is not assessable when a QC flag is an error: an exclusive labelmap mapped as --liver 1 --flr 2', () => {
    // Exclusive labels in one layer: 1 = liver outside the FLR, 2 = FLR (the review's repro).
    const layer = new Uint8Array(NX * NY * NZ);
    fillBox(layer, LIVER, 1);
    fillBox(layer, flrBox(14), 2);
    const exclusive: ImportedSegmentation = {
      geometry,
      layers: [layer],
      segments: [
        { segmentNumber: 1, layer: 0, labelValue: 1, label: 'liver', voxelCount: boxVoxels(LIVER) - boxVoxels(flrBox(14)) },
        { segmentNumber: 2, layer: 0, labelValue: 2, label: 'flr', voxelCount: boxVoxels(flrBox(14)) },
      ],
      source: { format: 'nifti', fileName: 'labels.nii.gz', sha256: 'cd'.repeat(32), mappingNotes: [] },
    };
    const wrong: RoleMapping = { liver: [1], tumours: [], flr: [2] };
    const composed = composeRoleLabelmap(exclusive, wrong);
    const flag = composed.qc.flags.find((f) => f.code === 'flr-outside-liver');
    expect(flag?.severity).toBe('error');
    expect(flag?.message).toContain('map the liver as --liver 1,2');
    const base = input(14);
    const r = buildMeasurementRecord({ ...base, roles: composed, labelInput: { ...base.labelInput, roleMapping: wrong } });
    expect(r.verdict.status).toBe('not-assessable');
    expect(r.verdict.reason).toMatch(/^not assessable: QC error\(s\): flr-outside-liver, flr-empty/);
    // Mapped right, the same file measures: no error, a verdict.
    const right: RoleMapping = { liver: [1, 2], tumours: [], flr: [2] };
    const ok = buildMeasurementRecord({ ...base, roles: composeRoleLabelmap(exclusive, right), labelInput: { ...base.labelInput, roleMapping: right } });
    expect(ok.qc.flags.filter((f) => f.severity === 'error')).toEqual([]);
    expect(ok.verdict.status).toBe('sufficient');
    expect(ok.volumes.flrMl).toBeCloseTo(576, 9);
  });

  it('refuses placeholder UIDs and a non-positive sTLV, records the FRACTIONAL threshold', () => {
    const base = input(14);
    expect(() => buildMeasurementRecord({ ...base, series: { ...base.series, seriesInstanceUid: '(no SeriesInstanceUID)' } })).toThrow(/series.seriesInstanceUid must be a DICOM UID .* or null/);
    expect(() => buildMeasurementRecord({ ...base, series: { ...base.series, seriesInstanceUid: null } })).toThrow(/needs sourceFileSha256/);
    // Urata at a (plausible for the formula check) BSA of 0.3 m² is positive, Vauthey is not: 0.3 m² -> -414 mL.
    expect(() => buildMeasurementRecord({ ...base, anthropometrics: { bsaM2: 0.3, chemotherapy: false } })).toThrow(/Vauthey sTLV = -794.41 \+ 1267.28 x BSA 0.3 m² = -414.226 mL is not a positive volume/);
    const frac = buildMeasurementRecord({ ...base, labelInput: { ...base.labelInput, fractionalThreshold: 0.3 } });
    expect(frac.provenance.fractionalThreshold).toBe(0.3);
    expect(buildMeasurementRecord(base).provenance.fractionalThreshold).toBeNull();
  });
});

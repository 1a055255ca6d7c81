import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom, writePhantomLabelsNifti, writePhantomSeries } from '../../../../fixtures/src/phantom/index.ts';
import { bsaM2 } from '../../../../wasm/src/clinical/bsa.ts';
import { standardisedTlvMl } from '../../../../wasm/src/clinical/tlv.ts';
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import { formatMeasurementText } from '../../../../wasm/src/measure/format.ts';
import { growthRecord } from '../../../../wasm/src/measure/growth-record.ts';
import { buildMeasurementRecord } from '../../../../wasm/src/measure/record.ts';
import type { MeasurementRecord } from '../../../../wasm/src/measure/record.ts';
import { composeRoleLabelmap } from '../../../../wasm/src/segments/compose.ts';
import { measureSeries } from '../measure/measure-series.ts';
import { EDC_COLUMNS, EDC_SCHEMA_VERSION, edcRows, formatDecimal, isoUtcWithOffset, measurementRecordSha256, parseCsv, parseCsvRecords, roundDecimal, toCsv, toJson } from './edc.ts';
import type { EdcEntry, EdcRow } from './edc.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-edc-'));

describe('decimal formatting', () => {
  it('rounds half away from zero on the decimal text and never prints -0', () => {
    expect(roundDecimal(1.005, 2)).toBe(1.01);
    expect(roundDecimal(-1.005, 2)).toBe(-1.01);
    expect(roundDecimal(2.675, 2)).toBe(2.68);
    expect(roundDecimal(1e-7, 2)).toBe(0);
    expect(formatDecimal(-0.001, 2)).toBe('0.00');
    expect(formatDecimal(1234567.891, 2)).toBe('1234567.89');
    expect(formatDecimal(1.81811868577262, 4)).toBe('1.8181');
  });

  it('renders timestamps in UTC with an explicit offset', () => {
    expect(isoUtcWithOffset('2025-03-01T10:30:15.123+01:00')).toBe('2025-03-01T09:30:15+00:00');
    expect(() => isoUtcWithOffset('yesterday')).toThrow(/not an ISO 8601 timestamp/);
  });
});

describe('EDC columns', () => {
  it('have REDCap-compatible names (lower case, start with a letter, at most 26 characters) and units in decimal names', () => {
    for (const c of EDC_COLUMNS) {
      expect(c.name).toMatch(/^[a-z][a-z0-9_]{0,25}$/);
      if (c.type === 'decimal') expect(c.name).toMatch(/_(ml|m2|pct|pp|per_week|days)$/);
    }
    expect(new Set(EDC_COLUMNS.map((c) => c.name)).size).toBe(EDC_COLUMNS.length);
  });
});

describe('parseCsvRecords', () => {
  it('reads RFC 4180 quoting (commas, doubled quotes, line breaks) and a BOM', () => {
    expect(parseCsvRecords('\ufeffa,"b,1","c ""q""","d\r\ne"\r\n1,,3,4\r\n')).toEqual([
      ['a', 'b,1', 'c "q"', 'd\r\ne'],
      ['1', '', '3', '4'],
    ]);
    expect(() => parseCsvRecords('a,"b')).toThrow(/unterminated/);
  });
});

describe('edcRows / toCsv / parseCsv on phantom measurements', () => {
  const entries: EdcEntry[] = [];
  beforeAll(async () => {
    const phantom = generatePhantom({ rows: 40, columns: 40, sliceCount: 20, pixelSpacingMm: [6, 6], sliceSpacingMm: 7, seed: 'edc' });
    await writePhantomSeries(phantom, path.join(tmp, 'series'));
    await writePhantomLabelsNifti(phantom, path.join(tmp, 'labels.nii.gz'));
    const measure = async (flr: number[], anthro: Parameters<typeof measureSeries>[0]['anthropometrics']): Promise<MeasurementRecord> =>
      (await measureSeries({ seriesDir: path.join(tmp, 'series'), labelsFile: path.join(tmp, 'labels.nii.gz'), mapping: { liver: [1, 2, 10, 11], tumours: [10, 11], flr }, anthropometrics: anthro })).record;
    const baseline = await measure([2], { chemotherapy: false, heightCm: 165, weightKg: 70 });
    const followup = await measure([1, 2], { chemotherapy: false, heightCm: 165, weightKg: 70 });
    const chemo = await measure([2], { chemotherapy: true, bsaM2: 1.7 });
    const noBsa = await measure([], { chemotherapy: false });
    const growth = growthRecord(baseline, followup, { intervalDays: 21 });
    entries.push(
      { record: baseline, subjectId: 'D2-001', timepoint: 'baseline', reviewer: { name: 'Doe^Jane', role: 'radiologist' } },
      { record: followup, subjectId: 'D2-001', timepoint: 'week3', reviewer: { name: 'Doe^Jane', role: 'radiologist' }, growth },
      { record: chemo, subjectId: 'D2-002', timepoint: 'baseline', reviewer: { name: 'Müller, "Jo"', role: 'surgeon\nsecond reader' } },
      { record: noBsa, subjectId: 'D2-003', timepoint: 'baseline', reviewer: { name: 'Roe^Richard', role: 'radiologist' } },
    );
  });

  it('the CSV parses back to the same values at the documented precision', () => {
    const rows = edcRows(entries);
    const csv = toCsv(rows);
    expect(csv.startsWith('subject_id,timepoint,scan_date,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const back = parseCsv(csv);
    expect(back).toEqual(rows);
    const r = entries.map((e) => e.record);
    const expectRounded = (row: EdcRow, name: keyof EdcRow, value: number | null, decimals: number): void => {
      expect(row[name]).toBe(value === null ? null : Number(formatDecimal(value, decimals)));
    };
    back.forEach((row, n) => {
      const rec = r[n] as MeasurementRecord;
      expectRounded(row, 'liver_ml', rec.volumes.liverMl, 2);
      expectRounded(row, 'tumours_ml', rec.volumes.tumoursMl, 2);
      expectRounded(row, 'tlv_measured_ml', rec.volumes.tlvMeasuredMl, 2);
      expectRounded(row, 'flr_ml', rec.volumes.flrMl, 2);
      expectRounded(row, 'bsa_m2', rec.bsa?.valueM2 ?? null, 4);
      expectRounded(row, 'stlv_ml', rec.stlv?.valueMl ?? null, 2);
      expectRounded(row, 'sflr_pct', rec.ratios.sflrPct, 2);
      expectRounded(row, 'flr_tlv_measured_pct', rec.ratios.flrToTlvMeasuredPct, 2);
      expectRounded(row, 'flr_bw_pct', rec.ratios.flrToBodyWeightPct, 2);
      expectRounded(row, 'threshold_pct', rec.thresholds.applicablePct, 2);
      expect(row.chemotherapy).toBe(rec.inputs.anthropometrics.chemotherapy ? 1 : 0);
      expect(row.verdict).toBe(rec.verdict.status);
      expect(row.scan_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.measured_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      expect(row.record_sha256).toBe(measurementRecordSha256(rec));
      expect(row.label_sha256).toBe(rec.inputs.labelInput.sha256);
      expect(row.series_instance_uid).toBe(rec.inputs.series.seriesInstanceUid);
    });
    const growth = entries[1]?.growth;
    expect(back[1]?.dh_pp).toBe(Number(formatDecimal(growth?.degreeOfHypertrophyPp as number, 2)));
    expect(back[1]?.kgr_pct_per_week).toBe(Number(formatDecimal(growth?.kineticGrowthRatePctPerWeek as number, 2)));
    expect(back[0]?.dh_pp).toBeNull();
    expect(back[0]?.kgr_pct_per_week).toBeNull();
    expect(back[2]?.bsa_formula).toBe('explicit');
    expect(back[2]?.reviewer).toBe('Müller, "Jo"');
    expect(back[2]?.reviewer_role).toBe('surgeon\nsecond reader');
    expect(back[3]?.bsa_m2).toBeNull();
    expect(back[3]?.verdict).toBe('not-assessable');
    // Text cells are exactly as given; decimal cells have exactly their documented number of places.
    const cells = parseCsvRecords(csv);
    const liverCol = EDC_COLUMNS.findIndex((c) => c.name === 'liver_ml');
    const bsaCol = EDC_COLUMNS.findIndex((c) => c.name === 'bsa_m2');
    expect(cells[1]?.[liverCol]).toMatch(/^\d+\.\d{2}$/);
    expect(cells[1]?.[bsaCol]).toMatch(/^\d+\.\d{4}$/);
    expect(cells[4]?.[bsaCol]).toBe('');
  });

  it('the JSON holds the same rows, columns and schema', () => {
    const rows = edcRows(entries);
    const json = JSON.parse(toJson(rows)) as { kind: string; columns: Array<{ name: string }>; rows: EdcRow[] };
    expect(json.kind).toBe('remnant.edc');
    expect(json.columns.map((c) => c.name)).toEqual(EDC_COLUMNS.map((c) => c.name));
    expect(json.rows).toEqual(rows);
  });

  it('refuses a growth record of another series and empty identifiers', () => {
    const [baseline, followup] = entries;
    expect(() => edcRows([{ ...(baseline as EdcEntry), growth: growthRecord(followup!.record, { ...baseline!.record, inputs: { ...baseline!.record.inputs, series: { ...baseline!.record.inputs.series, seriesInstanceUid: '1.2.3' } } }, { intervalDays: 7 }) }])).toThrow(/follow-up is series 1\.2\.3/);
    expect(() => edcRows([{ ...(baseline as EdcEntry), timepoint: '' }])).toThrow(/timepoint must be a non-empty text/);
  });

  it('parseCsv names the file and the cell on bad input', () => {
    expect(() => parseCsv('a,b\r\n1,2\r\n', 'x.csv')).toThrow(/x\.csv: header is not the Remnant EDC header/);
    const lines = toCsv(edcRows(entries.slice(0, 1))).split('\r\n');
    const fields = parseCsvRecords(lines[1] as string)[0] as string[];
    fields[EDC_COLUMNS.findIndex((c) => c.name === 'liver_ml')] = '1,5';
    expect(() => parseCsv(`${lines[0]}\r\n${fields.map((f) => (f.includes(',') ? `"${f}"` : f)).join(',')}\r\n`, 'y.csv')).toThrow(/y\.csv: row 2 column liver_ml: "1,5" is not a decimal with 2 places/);
  });
});

/** A record whose FLR is exactly `flrMl` (voxel volume override), 170 cm / 75 kg, no chemotherapy. */
function recordWithFlr(flrMl: number, seriesDate: string, seriesUid: string, chemotherapy: boolean | null = false, mebrofenin?: number): MeasurementRecord {
  const geometry: ImageGeometry = { sizeIJK: [10, 10, 10], spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const liver = new Uint8Array(1000);
  const flr = new Uint8Array(1000);
  for (let i = 100; i < 400; i++) liver[i] = 1;
  for (let i = 100; i < 200; i++) flr[i] = 1;
  const mapping = { liver: [1], tumours: [], flr: [2] };
  const composed = composeRoleLabelmap(
    {
      geometry,
      layers: [liver, flr],
      segments: [
        { segmentNumber: 1, layer: 0, labelValue: 1, label: 'Liver', voxelCount: 300 },
        { segmentNumber: 2, layer: 1, labelValue: 1, label: 'FLR', voxelCount: 100 },
      ],
      source: { format: 'dicom-seg', fileName: 'seg.dcm', sha256: 'ab'.repeat(32), mappingNotes: [] },
    },
    mapping,
  );
  return buildMeasurementRecord({
    roles: composed,
    image: { geometry, pixels: new Int16Array(1000).fill(1124), rescaleSlope: 1, rescaleIntercept: -1024, rescaleUnits: 'HU' },
    series: { studyInstanceUid: '1.2.3', seriesInstanceUid: seriesUid, frameOfReferenceUid: '1.2.3.9', seriesDate, modality: 'CT' },
    labelInput: { format: 'dicom-seg', fileName: 'seg.dcm', sha256: 'ab'.repeat(32), roleMapping: mapping },
    anthropometrics: { heightCm: 170, weightKg: 75, chemotherapy, ...(mebrofenin !== undefined ? { mebrofeninFlrFunctionPctPerMinPerM2: mebrofenin } : {}) },
    voxelVolumeOverride: { valueMm3: (flrMl * 1000) / 100, reason: 'FLR volume chosen for a threshold test' },
    createdAt: '2024-01-02T10:00:00.000Z',
  });
}

describe('threshold-safe export next to the verdict (review C1 repro)', () => {
  const stlv = standardisedTlvMl('vauthey', bsaM2('mosteller', 170, 75));

  it('sFLR 29.996 % (insufficient) is exported as 29.99, never 30.00, and the CLI text agrees', () => {
    const r = recordWithFlr(0.29996 * stlv, '20240101', '1.2.3.4.1');
    expect(r.ratios.sflrPct).toBeCloseTo(29.996, 9);
    expect(r.verdict.status).toBe('insufficient');
    const [row] = parseCsv(toCsv(edcRows([{ record: r, subjectId: 'S1', timepoint: 'baseline', reviewer: { name: 'A', role: 'radiologist' } }])));
    expect(row?.sflr_pct).toBe(29.99);
    expect(row?.threshold_pct).toBe(30);
    expect(row?.verdict).toBe('insufficient');
    // Re-deriving the endpoint from the exported numbers gives the exported verdict.
    expect((row?.sflr_pct as number) >= (row?.threshold_pct as number)).toBe(false);
    // The verdict and threshold columns sit next to the ratio.
    const names = EDC_COLUMNS.map((c) => c.name);
    expect(names.slice(names.indexOf('sflr_pct'), names.indexOf('sflr_pct') + 4)).toEqual(['sflr_pct', 'threshold_pct', 'verdict', 'verdict_ratio']);
    const text = formatMeasurementText(r);
    expect(text).toContain('Ratios:   sFLR 29.9%');
    expect(text).toContain('= 29.9 %');
    expect(text).not.toMatch(/sFLR 30\.0/);
  });

  it('KGR 1.9987 %/week (below the cut-off) is exported as 1.99 with kgr_below_cutoff 1', () => {
    const baseline = recordWithFlr(0.25 * stlv, '20240101', '1.2.3.4.1');
    // 21 days = 3 weeks; DH 3 x 1.9987 pp on the baseline sTLV.
    const followup = recordWithFlr((0.25 + (3 * 1.9987) / 100) * stlv, '20240122', '1.2.3.4.2');
    const growth = growthRecord(baseline, followup);
    expect(growth.kineticGrowthRatePctPerWeek).toBeCloseTo(1.9987, 9);
    expect(growth.kgrBelowCutoff).toBe(true);
    const [row] = parseCsv(toCsv(edcRows([{ record: followup, subjectId: 'S1', timepoint: 'week3', reviewer: { name: 'A', role: 'radiologist' }, growth }])));
    expect(row).toMatchObject({ kgr_pct_per_week: 1.99, kgr_cutoff_pct_per_week: 2, kgr_below_cutoff: 1, interval_days: 21, growth_stlv_basis: 'baseline' });
    const names = EDC_COLUMNS.map((c) => c.name);
    expect(names.indexOf('kgr_below_cutoff') - names.indexOf('kgr_pct_per_week')).toBe(2);
    const [atBaseline] = edcRows([{ record: baseline, subjectId: 'S1', timepoint: 'baseline', reviewer: { name: 'A', role: 'radiologist' } }]);
    expect(atBaseline).toMatchObject({ kgr_pct_per_week: null, kgr_below_cutoff: null, interval_days: null, growth_stlv_basis: '' });
  });

  it('carries what re-derives the endpoint: chemotherapy, threshold, mebrofenin value/threshold/exceeds, growth with relative FLR growth', () => {
    const baseline = recordWithFlr(0.25 * stlv, '20240101', '1.2.3.4.1', true, 2.67);
    const followup = recordWithFlr(0.35 * stlv, '20240122', '1.2.3.4.2', true, 2.6701);
    const growth = growthRecord(baseline, followup);
    const rows = parseCsv(toCsv(edcRows([
      { record: baseline, subjectId: 'S1', timepoint: 'baseline', reviewer: { name: 'A', role: 'radiologist' } },
      { record: followup, subjectId: 'S1', timepoint: 'week3', reviewer: { name: 'A', role: 'radiologist' }, growth },
    ])));
    // Mebrofenin exactly at 2.67 does not exceed it; 2.6701 does and is never shown as 2.67 (threshold-safe: 2.68).
    expect(rows[0]).toMatchObject({ chemotherapy: 1, threshold_pct: 40, verdict: 'insufficient', mebrofenin_pct_per_min_m2: 2.67, meb_threshold_pct_min_m2: 2.67, mebrofenin_exceeds: 0, relative_flr_growth_pct: null, dh_pp: null });
    expect(rows[1]).toMatchObject({ mebrofenin_pct_per_min_m2: 2.68, meb_threshold_pct_min_m2: 2.67, mebrofenin_exceeds: 1, interval_days: 21, growth_stlv_basis: 'baseline', dh_pp: 10, kgr_pct_per_week: 3.33, relative_flr_growth_pct: 40 });
    expect(growth.relativeFlrGrowthPct).toBeCloseTo(40, 9);
    // Without mebrofenin the mebrofenin columns are empty.
    const [none] = edcRows([{ record: recordWithFlr(0.35 * stlv, '20240101', '1.2.3.4.1'), subjectId: 'S1', timepoint: 'baseline', reviewer: { name: 'A', role: 'radiologist' } }]);
    expect(none).toMatchObject({ mebrofenin_pct_per_min_m2: null, meb_threshold_pct_min_m2: null, mebrofenin_exceeds: null });
    expect(JSON.parse(toJson(rows)).schemaVersion).toBe(EDC_SCHEMA_VERSION);
  });

  it('an unrecorded chemotherapy status exports an empty chemotherapy and threshold, and not-assessable', () => {
    const unrecorded = recordWithFlr(0.35 * stlv, '20240101', '1.2.3.4.1', null);
    const [row] = parseCsv(toCsv(edcRows([{ record: unrecorded, subjectId: 'S1', timepoint: 'baseline', reviewer: { name: 'A', role: 'radiologist' } }])));
    expect(row).toMatchObject({ chemotherapy: null, threshold_pct: null, verdict: 'not-assessable' });
  });
});


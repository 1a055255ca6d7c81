import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScalarVolume } from '../image/types.ts';
import type { TargetGrid } from '../labels/target-grid.ts';
import { growthRecord } from '../measure/growth-record.ts';
import { buildMeasurementRecord } from '../measure/record.ts';
import type { MeasurementRecord } from '../measure/record.ts';
import { buildSegDicom } from './seg-export.ts';
import type { DerivedInstanceInfo, SourceContext } from './seg-export.ts';
import { buildMeasurementSr, numItem, SR_CODES } from './sr-export.ts';
import { encodeDataset } from './writer.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-sr-export-'));

const target: TargetGrid = {
  geometry: { sizeIJK: [4, 4, 3], spacingMm: [1.5, 1.5, 2], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  sopInstanceUidsByK: ['1.2.826.0.1.3680043.10.5.1', '1.2.826.0.1.3680043.10.5.2', '1.2.826.0.1.3680043.10.5.3'],
  frameOfReferenceUid: '1.2.826.0.1.3680043.10.9',
  seriesInstanceUid: '1.2.826.0.1.3680043.10.2',
};
const source: SourceContext = {
  patientName: 'TEST^PATIENT', patientId: 'P-1', patientBirthDate: '', patientSex: 'F', studyInstanceUid: '1.2.826.0.1.3680043.10.1',
  studyDate: '20250102', studyTime: '101500', studyId: 'S1', accessionNumber: '', referringPhysicianName: '', studyDescription: '',
  seriesInstanceUid: target.seriesInstanceUid, frameOfReferenceUid: '1.2.826.0.1.3680043.10.9', modality: 'MR', sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
};
const inst = (n: number): DerivedInstanceInfo => ({
  seriesInstanceUid: `1.2.826.0.1.3680043.10.${40 + n}`, sopInstanceUid: `1.2.826.0.1.3680043.10.${50 + n}`, seriesNumber: 9701 + n, instanceNumber: 1,
  seriesDescription: 'x', contentDate: '20250103', contentTime: '120000',
});

function labelmap(): Uint8Array {
  const lm = new Uint8Array(48);
  for (let i = 16; i < 40; i++) lm[i] = 1;
  lm[20] = 2;
  lm[21] = 2;
  lm[25] = 10;
  return lm;
}

function record(lm: Uint8Array, anthro: MeasurementRecord['inputs']['anthropometrics'], series: { uid: string; date: string } = { uid: source.seriesInstanceUid, date: '20250102' }): MeasurementRecord {
  const image: ScalarVolume = { geometry: target.geometry, pixels: new Int16Array(48), rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'US' } as ScalarVolume;
  return buildMeasurementRecord({
    roles: { labelmap: lm, qc: null },
    image,
    series: { studyInstanceUid: source.studyInstanceUid, seriesInstanceUid: series.uid, frameOfReferenceUid: source.frameOfReferenceUid, seriesDate: series.date, modality: 'MR' },
    labelInput: { format: 'role-labelmap', fileName: 'lm', sha256: 'a'.repeat(64), roleMapping: { liver: [1], tumours: [3], flr: [2] } },
    anthropometrics: anthro,
  });
}

function dsrdump(bytes: Uint8Array, name: string): { code: number; text: string; errors: string[] } {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  const d = spawnSync('dsrdump', ['+Pc', file], { encoding: 'utf8' });
  const v = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return { code: d.status ?? -1, text: d.stdout, errors: `${v.stdout}\n${v.stderr}`.split('\n').filter((l) => l.includes('Error')) };
}

describe('buildMeasurementSr', () => {
  it('writes one volume per segment and leaves out ratios that cannot be computed (MR, no BSA)', () => {
    const lm = labelmap();
    const seg = buildSegDicom({ roleLabelmap: lm, target, source, instance: inst(0), contentCreatorName: 'Doe^Jane', algorithmType: 'MANUAL', segmentPlan: { tumourCount: 1, includeEmptyFlr: true } });
    const rec = record(lm, { chemotherapy: false, chemotherapyRecorded: true });
    const sr = buildMeasurementSr({ record: rec, source, sourceInstanceUids: target.sopInstanceUidsByK, seg, instance: inst(1), observerName: 'Doe^Jane' });
    expect(sr.measurements.map((m) => [m.label, m.volumeMl])).toEqual([
      ['Liver', rec.volumes.liverMl],
      ['FLR', rec.volumes.flrMl],
      ['Tumour 1', rec.volumes.tumourMl[0]],
    ]);
    const out = dsrdump(sr.bytes, 'mr.dcm');
    expect(out.code).toBe(0);
    expect(out.errors).toEqual([]);
    expect(out.text).toContain('(113091000,SCT,"MRI")');
    expect(out.text).toContain(`<contains NUM:(118565006,SCT,"Volume")="${rec.volumes.liverMl}" (ml,UCUM,"mL")>`);
    expect(out.text).not.toContain('SFLR');
    expect(out.text).toContain('=(NOTASSESSABLE,99REMNANT,"Not assessable")');
  });

  it('carries the chemotherapy status, threshold, mebrofenin and the growth since baseline, with exact values', () => {
    const lm = labelmap();
    const seg = buildSegDicom({ roleLabelmap: lm, target, source, instance: inst(0), contentCreatorName: 'Doe^Jane', algorithmType: 'MANUAL', segmentPlan: { tumourCount: 1, includeEmptyFlr: true } });
    const anthro = { chemotherapy: true, chemotherapyRecorded: true, heightCm: 170, weightKg: 75, mebrofeninFlrFunctionPctPerMinPerM2: 2.67 };
    const rec = record(lm, anthro, { uid: source.seriesInstanceUid, date: '20250123' });
    const baselineLm = labelmap();
    baselineLm[21] = 1; // one FLR voxel at baseline, two at follow-up
    const baseline = record(baselineLm, anthro, { uid: '1.2.826.0.1.3680043.10.3', date: '20250102' });
    const growth = growthRecord(baseline, rec);
    const sr = buildMeasurementSr({ record: rec, source, sourceInstanceUids: target.sopInstanceUidsByK, seg, instance: inst(1), observerName: 'Doe^Jane', timepoint: 'week 3', growth });
    const out = dsrdump(sr.bytes, 'growth.dcm');
    expect(out.code).toBe(0);
    expect(out.errors).toEqual([]);
    // Chemotherapy Yes selects the 40 % threshold.
    expect(out.text).toContain('<contains CODE:(CHEMOLIVER,99REMNANT,"Chemotherapy-damaged liver (selects the threshold)")=(373066001,SCT,"Yes")>');
    expect(out.text).toContain('<contains NUM:(FLRTHRESH,99REMNANT,"FLR sufficiency threshold applied")="40" (%,UCUM,"%")>');
    // Mebrofenin exactly at 2.67 does not exceed it (the trial's criterion is > 2.67).
    expect(out.text).toContain('<contains NUM:(MEBFUNC,99REMNANT,"FLR function on 99mTc-mebrofenin HBS")="2.67" (%/min/m2,UCUM,"%/min/m2")>');
    expect(out.text).toContain('<contains NUM:(MEBTHRESH,99REMNANT,"Mebrofenin FLR function threshold")="2.67" (%/min/m2,UCUM,"%/min/m2")>');
    expect(out.text).toContain('<contains CODE:(MEBEXCEEDS,99REMNANT,"Mebrofenin FLR function exceeds threshold")=(373067005,SCT,"No")>');
    // Growth: 21 days on the baseline sTLV basis; DH/KGR exact (DS, plus FloatingPointValue when the DS rounds).
    expect(out.text).toContain('<has obs context TEXT:(112039,DCM,"Tracking Identifier")="FLR growth">');
    expect(out.text).toContain('<contains NUM:(GROWTHDAYS,99REMNANT,"Interval from the baseline scan")="21" (d,UCUM,"day")>');
    expect(out.text).toContain('<contains CODE:(GROWTHBASIS,99REMNANT,"sTLV basis of DH and KGR")=(BASELINESTLV,99REMNANT,"Baseline sTLV for both sFLRs")>');
    expect(out.text).toContain('<contains NUM:(KGRCUTOFF,99REMNANT,"Kinetic growth rate cut-off")="2" (%/wk,UCUM,"%/week")>');
    expect(out.text).toContain('<contains CODE:(KGRBELOW,99REMNANT,"Kinetic growth rate below cut-off")=(373066001,SCT,"Yes")>');
    expect(out.text).toContain('<contains NUM:(FLRGROWTH,99REMNANT,"Relative FLR growth")="100" (%,UCUM,"%")>');
    const dh = growth.degreeOfHypertrophyPp as number;
    expect(dh).toBeGreaterThan(0);
    // FloatingPointValue (0040,A161) FD holding exactly these doubles (little endian).
    const fdOf = (v: number): Buffer => {
      const b = Buffer.alloc(16);
      b.set([0x40, 0x00, 0x61, 0xa1, 0x46, 0x44, 0x08, 0x00]);
      b.writeDoubleLE(v, 8);
      return b;
    };
    for (const v of [dh, growth.kineticGrowthRatePctPerWeek as number, rec.ratios.sflrPct as number]) expect(Buffer.from(sr.bytes).includes(fdOf(v))).toBe(true);
    // An unrecorded chemotherapy status is written as Unknown, with no threshold; a growth record of another series is refused.
    const unknown = buildMeasurementSr({ record: record(lm, { chemotherapy: null, chemotherapyRecorded: false }), source, sourceInstanceUids: target.sopInstanceUidsByK, seg, instance: inst(2), observerName: 'Doe^Jane' });
    const u = dsrdump(unknown.bytes, 'unknown.dcm');
    expect(u.errors).toEqual([]);
    expect(u.text).toContain('=(261665006,SCT,"Unknown")>');
    expect(u.text).not.toContain('FLRTHRESH');
    expect(u.text).not.toContain('MEBFUNC');
    expect(u.text).not.toContain('FLR growth');
    expect(() => buildMeasurementSr({ record: rec, source, sourceInstanceUids: target.sopInstanceUidsByK, seg, instance: inst(1), observerName: 'X', growth: growthRecord(rec, baseline, { intervalDays: 7 }) })).toThrow(
      /growth record's follow-up is series 1\.2\.826\.0\.1\.3680043\.10\.3, not the measured series 1\.2\.826\.0\.1\.3680043\.10\.2/,
    );
  });

  it('refuses a SEG whose voxel counts differ from the record', () => {
    const lm = labelmap();
    const seg = buildSegDicom({ roleLabelmap: lm, target, source, instance: inst(0), contentCreatorName: 'Doe^Jane', algorithmType: 'MANUAL' });
    const other = labelmap();
    other[30] = 0;
    expect(() => buildMeasurementSr({ record: record(other, { chemotherapy: false, chemotherapyRecorded: true }), source, sourceInstanceUids: target.sopInstanceUidsByK, seg, instance: inst(1), observerName: 'X' })).toThrow(
      /segment 1 "Liver" has 24 voxels but the measurement record has 23/,
    );
  });
});

describe('numItem', () => {
  it('adds FloatingPointValue only when the 16-character DS rounds the value', () => {
    const exact = encodeDataset(numItem('CONTAINS', SR_CODES.volume, 12.5, SR_CODES.mL));
    const rounded = encodeDataset(numItem('CONTAINS', SR_CODES.volume, 1 / 3, SR_CODES.mL));
    const hasFd = (b: Uint8Array): boolean => Buffer.from(b).includes(Buffer.from([0x40, 0x00, 0x61, 0xa1, 0x46, 0x44]));
    expect(hasFd(exact)).toBe(false);
    expect(hasFd(rounded)).toBe(true);
    expect(() => numItem('CONTAINS', SR_CODES.volume, Number.NaN, SR_CODES.mL)).toThrow(/Volume.*NaN/);
  });

});

describe('non-ASCII text (SpecificCharacterSet ISO_IR 192)', () => {
  it('keeps UTF-8 observer and patient names and "m²" in the formula text; code values stay ASCII; dciodvfy finds no error', () => {
    const lm = labelmap();
    const src: SourceContext = { ...source, patientName: 'Ødegård^Åse', referringPhysicianName: 'Hoëlscher^Jürgen' };
    const seg = buildSegDicom({ roleLabelmap: lm, target, source: src, instance: inst(0), contentCreatorName: 'Müller^Jo', algorithmType: 'MANUAL' });
    const rec = record(lm, { chemotherapy: false, chemotherapyRecorded: true, heightCm: 172, weightKg: 78 });
    expect(rec.stlv?.expression).toContain('m²');
    const sr = buildMeasurementSr({ record: rec, source: src, sourceInstanceUids: target.sopInstanceUidsByK, seg, instance: inst(1), observerName: 'Łukasiewicz^Jan' });
    const out = dsrdump(sr.bytes, 'utf8.dcm');
    expect(out.code).toBe(0);
    expect(out.errors).toEqual([]);
    const u8 = spawnSync('dsrdump', ['+U8', '+Pc', path.join(tmp, 'utf8.dcm')], { encoding: 'utf8' }).stdout;
    expect(u8).toContain('Ødegård^Åse');
    expect(u8).toContain('PNAME:(121008,DCM,"Person Observer Name")="Łukasiewicz^Jan"');
    expect(u8).toContain('(m2,UCUM,"m2")');
    const dump = spawnSync('dcmdump', ['+U8', '+L', path.join(tmp, 'utf8.dcm')], { encoding: 'utf8' }).stdout;
    expect(dump).toContain('-794.41 + 1267.28 * BSA (m²)');
    expect(spawnSync('dcmdump', [path.join(tmp, 'utf8.dcm')], { encoding: 'utf8' }).stdout).toMatch(/\(0008,0005\) CS \[ISO_IR 192\]/);
    expect(dump).toContain('(0010,0010) PN [Ødegård^Åse]');
    // Every code value is plain ASCII.
    for (const m of dump.matchAll(/\(0008,0100\) SH \[([^\]]*)\]/g)) expect(m[1]).toMatch(/^[\x20-\x7e]+$/);
  });
});

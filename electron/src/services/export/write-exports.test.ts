import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATIENT, generatePhantom, writePhantomLabelsNifti, writePhantomSeries } from '../../../../fixtures/src/phantom/index.ts';
import { sharedDataDir } from '../../../../fixtures/src/shared-data.ts';
import { extractEncapsulatedDocument } from '../../../../wasm/src/dicom/encapsulated-pdf.ts';
import { parseDicomHeader } from '../../../../wasm/src/dicom/header.ts';
import { formatDS } from '../../../../wasm/src/dicom/writer.ts';
import { roleMappingOfSegments } from '../../../../wasm/src/dicom/seg-export.ts';
import { importDicomSeg } from '../../../../wasm/src/labels/dicom-seg.ts';
import { growthRecord } from '../../../../wasm/src/measure/growth-record.ts';
import { composeRoleLabelmap } from '../../../../wasm/src/segments/compose.ts';
import { measureSeries } from '../measure/measure-series.ts';
import type { MeasureOutcome } from '../measure/measure-series.ts';
import { parseCsv } from './edc.ts';
import { ExportError, writeExports } from './write-exports.ts';
import type { ExportResult } from './write-exports.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-exports-'));

function tool(cmd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function dciodvfyErrors(file: string): string[] {
  const r = tool('dciodvfy', [file]);
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('Error'));
}

async function reimportedRoles(segFile: string, outcome: MeasureOutcome, segments: ExportResult['segments']): Promise<Uint8Array> {
  const imported = await importDicomSeg(new Uint8Array(readFileSync(segFile)), path.basename(segFile), outcome.target);
  return composeRoleLabelmap(imported, roleMappingOfSegments(segments)).labelmap;
}

function differingVoxels(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

async function smallPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('Remnant', { x: 20, y: 100, size: 12 });
  return doc.save();
}

const fileOf = (r: ExportResult, kind: string): string => {
  const f = r.files.find((x) => x.kind === kind);
  if (!f) throw new Error(`no ${kind} file`);
  return f.path;
};

describe('writeExports on an oblique phantom with liver, FLR and two tumours', () => {
  // A non-ASCII patient name: the source series is UTF-8 (ISO_IR 192) and every export copies the name as such.
  const patientName = 'Ødegård^Åse';
  const phantom = generatePhantom({ rows: 48, columns: 44, sliceCount: 24, pixelSpacingMm: [5, 5], sliceSpacingMm: 6, obliqueRotationDeg: [8, -5, 12], seed: 'exports', patient: { ...DEFAULT_PATIENT, name: patientName } });
  let outcome: MeasureOutcome;
  let result: ExportResult;
  let pdf: Uint8Array;
  const outDir = path.join(tmp, 'out');
  beforeAll(async () => {
    await writePhantomSeries(phantom, path.join(tmp, 'series'), { shuffleFileNames: true });
    await writePhantomLabelsNifti(phantom, path.join(tmp, 'labels.nii.gz'));
    outcome = await measureSeries({
      seriesDir: path.join(tmp, 'series'),
      labelsFile: path.join(tmp, 'labels.nii.gz'),
      mapping: { liver: [1, 2, 10, 11], tumours: [10, 11], flr: [2] },
      anthropometrics: { chemotherapy: true, heightCm: 172, weightKg: 81 },
    });
    pdf = await smallPdf();
    mkdirSync(outDir);
    result = await writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', signedPdf: pdf, outDir });
  });

  it('with a growth record, the SR gets an FLR growth group and the EDC row the growth columns', async () => {
    // A baseline of the same subject three weeks earlier, with a 20 % smaller FLR (a record as `remnant measure --out` writes it).
    const r = outcome.record;
    const baseline = {
      ...r,
      inputs: { ...r.inputs, series: { ...r.inputs.series, seriesInstanceUid: '1.2.826.0.1.3680043.10.777', seriesDate: '20000101' } },
      provenance: { ...r.provenance, seriesInstanceUid: '1.2.826.0.1.3680043.10.777', sourceFileSha256: 'cd'.repeat(32) },
      volumes: { ...r.volumes, flrMl: r.volumes.flrMl * 0.8 },
      ratios: { ...r.ratios, sflrPct: (r.ratios.sflrPct as number) * 0.8 },
    };
    const growth = growthRecord(baseline, r, { intervalDays: 21 });
    const dir = path.join(tmp, 'growth-out');
    mkdirSync(dir);
    const g = await writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'week3', outDir: dir, growth });
    expect(dciodvfyErrors(fileOf(g, 'sr'))).toEqual([]);
    const dump = tool('dsrdump', ['+Pc', fileOf(g, 'sr')]).stdout;
    expect(dump).toContain('="FLR growth">');
    expect(dump).toContain('<contains NUM:(GROWTHDAYS,99REMNANT,"Interval from the baseline scan")="21" (d,UCUM,"day")>');
    expect(dump).toContain('<contains NUM:(FLRGROWTH,99REMNANT,"Relative FLR growth")="25" (%,UCUM,"%")>');
    expect(dump).toContain('<contains CODE:(CHEMOLIVER,99REMNANT,"Chemotherapy-damaged liver (selects the threshold)")=(373066001,SCT,"Yes")>');
    const [row] = parseCsv(readFileSync(fileOf(g, 'edc-csv'), 'utf8'));
    expect(row).toMatchObject({ interval_days: 21, relative_flr_growth_pct: 25, growth_stlv_basis: 'baseline', chemotherapy: 1, threshold_pct: 40 });
  });

  it('writes the documented files with their SHA-256, and nothing else', () => {
    expect(result.files.map((f) => path.basename(f.path)).sort()).toEqual(['edc.csv', 'edc.json', 'report-pdf.dcm', 'seg.dcm', 'sr.dcm']);
    expect(readdirSync(outDir).sort()).toEqual(['edc.csv', 'edc.json', 'report-pdf.dcm', 'seg.dcm', 'sr.dcm']);
    for (const f of result.files) expect(createHash('sha256').update(readFileSync(f.path)).digest('hex')).toBe(f.sha256);
  });

  it('every DICOM object passes dciodvfy without errors', () => {
    for (const kind of ['seg', 'sr', 'pdf-dicom']) expect(dciodvfyErrors(fileOf(result, kind))).toEqual([]);
  });

  it('the SEG re-imports onto the series grid as voxel-identical role labels', async () => {
    const back = await reimportedRoles(fileOf(result, 'seg'), outcome, result.segments);
    expect(differingVoxels(back, outcome.roleLabelmap)).toBe(0);
    expect(result.segments.map((s) => s.label)).toEqual(['Liver', 'FLR', 'Tumour 1', 'Tumour 2']);
  });

  it('dsrdump parses the SR and shows each segment volume in mL, referencing the SEG segment', () => {
    const dump = tool('dsrdump', ['+Pc', '+Pu', '+Pl', fileOf(result, 'sr')]);
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('<CONTAINER:(126000,DCM,"Imaging Measurement Report")=SEPARATE>');
    const seg = result.files.find((f) => f.kind === 'seg');
    const record = outcome.record;
    const expected = [record.volumes.liverMl, record.volumes.flrMl, ...record.volumes.tumourMl];
    expect(result.measurements.map((m) => m.volumeMl)).toEqual(expected);
    for (const m of result.measurements) {
      expect(dump.stdout).toContain(`<contains NUM:(118565006,SCT,"Volume")="${formatDS(m.volumeMl)}" (ml,UCUM,"mL")>`);
      expect(dump.stdout).toContain(`<has obs context TEXT:(112039,DCM,"Tracking Identifier")="${m.label}">`);
      expect(dump.stdout).toContain(`<contains IMAGE:(121191,DCM,"Referenced Segment")=(SG image,"${seg?.sopInstanceUid}",${m.segmentNumber})>`);
    }
    expect(dump.stdout).toContain(`<contains NUM:(SFLR,99REMNANT,"Standardized future liver remnant")="${formatDS(record.ratios.sflrPct as number)}" (%,UCUM,"%")>`);
    expect(dump.stdout).toContain(`<has obs context PNAME:(121008,DCM,"Person Observer Name")="Doe^Jane">`);
    const xml = tool('dsr2xml', [fileOf(result, 'sr')]);
    expect(xml.code).toBe(0);
  });

  it('the encapsulated report gives back the PDF byte for byte', () => {
    const file = fileOf(result, 'pdf-dicom');
    const out = extractEncapsulatedDocument(new Uint8Array(readFileSync(file)), file);
    expect(Buffer.from(out.document).equals(Buffer.from(pdf))).toBe(true);
  });

  it('the EDC CSV holds the record values at the documented precision', () => {
    const [row] = parseCsv(readFileSync(fileOf(result, 'edc-csv'), 'utf8'));
    expect(row?.subject_id).toBe('D2-017');
    expect(row?.liver_ml).toBe(Number(outcome.record.volumes.liverMl.toFixed(2)));
    expect(row?.chemotherapy).toBe(1);
    expect(row?.threshold_pct).toBe(outcome.record.thresholds.applicablePct);
    expect(row?.verdict).toBe(outcome.record.verdict.status);
  });

  it('a missing or read-only output folder is refused, naming the folder', async () => {
    const missing = path.join(tmp, 'no-such-folder');
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir: missing })).rejects.toThrow(
      new RegExp(`output folder ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not exist`),
    );
    // /proc/self is a directory no process can create files in (EPERM even for root).
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir: '/proc/self' })).rejects.toThrow(
      /output folder \/proc\/self is not writable/,
    );
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir: file })).rejects.toThrow(/is not a folder/);
  });

  it('on failure nothing is written: existing files, an invalid PDF and a bad reviewer name leave the folder as it was', async () => {
    const before = readdirSync(outDir).map((f) => [f, readFileSync(path.join(outDir, f)).toString('base64')]);
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir })).rejects.toThrow(ExportError);
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir })).rejects.toThrow(/seg\.dcm already exists/);
    expect(readdirSync(outDir).map((f) => [f, readFileSync(path.join(outDir, f)).toString('base64')])).toEqual(before);

    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    await expect(
      writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir: empty, signedPdf: new TextEncoder().encode('not a pdf') }),
    ).rejects.toThrow(/not a PDF/);
    await expect(writeExports({ outcome, reviewer: { name: 'Müller\\Jo', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir: empty })).rejects.toThrow(/reviewer name "Müller\\Jo" contains a control character or a backslash/);
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane\n', role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', outDir: empty })).rejects.toThrow(/contains a control character/);
    await expect(writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: ' ', timepoint: 'baseline', outDir: empty })).rejects.toThrow(/subjectId must be a non-empty text/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('a UTF-8 reviewer name and patient name: ISO_IR 192, dcmdump +U8 shows them, dciodvfy finds no error, our parser reads them back', async () => {
    const dir = path.join(tmp, 'utf8');
    mkdirSync(dir);
    const reviewer = 'Łukasiewicz^Jan';
    const r = await writeExports({ outcome, reviewer: { name: reviewer, role: 'radiologist' }, subjectId: 'D2-017', timepoint: 'baseline', signedPdf: pdf, outDir: dir });
    for (const kind of ['seg', 'sr', 'pdf-dicom']) {
      const file = fileOf(r, kind);
      expect(dciodvfyErrors(file)).toEqual([]);
      const dump = tool('dcmdump', ['+U8', file]).stdout;
      expect(dump).toContain(`(0010,0010) PN [${patientName}]`);
      const header = parseDicomHeader(new Uint8Array(readFileSync(file)));
      if (!header.ok) throw new Error(header.message);
      expect(header.header.specificCharacterSet).toEqual(['ISO_IR 192']);
      expect(header.header.patientName).toBe(patientName);
      if (kind === 'seg') expect(header.header.contentCreatorName).toBe(reviewer);
    }
    expect(tool('dsrdump', ['+U8', '+Pc', fileOf(r, 'sr')]).stdout).toContain(`PNAME:(121008,DCM,"Person Observer Name")="${reviewer}"`);
    const [row] = parseCsv(readFileSync(fileOf(r, 'edc-csv'), 'utf8'));
    expect(row?.reviewer).toBe(reviewer);
    expect(readFileSync(fileOf(r, 'edc-csv')).includes(Buffer.from(reviewer, 'utf8'))).toBe(true);
  });

  it('overwrite replaces the set atomically (no temp files left)', async () => {
    const again = await writeExports({ outcome, reviewer: { name: 'Roe^Richard', role: 'surgeon' }, subjectId: 'D2-017', timepoint: 'baseline', outDir, overwrite: true });
    expect(readdirSync(outDir).sort()).toEqual(['edc.csv', 'edc.json', 'seg.dcm', 'sr.dcm', 'report-pdf.dcm'].sort());
    const [row] = parseCsv(readFileSync(fileOf(again, 'edc-csv'), 'utf8'));
    expect(row?.reviewer).toBe('Roe^Richard');
    // report-pdf.dcm is from the first export (no PDF this time); the SR now names the new reviewer.
    expect(tool('dsrdump', [fileOf(again, 'sr')]).stdout).toContain('"Roe^Richard"');
  });
});

describe('writeExports on real data (dcmqi ct-3slice + liver.dcm)', () => {
  it('exports a SEG that re-imports as the identical 107098-voxel liver', async () => {
    const dir = sharedDataDir('dcmqi', 'data', 'segmentations');
    const outcome = await measureSeries({
      seriesDir: path.join(dir, 'ct-3slice'),
      labelsFile: path.join(dir, 'liver.dcm'),
      mapping: { liver: [1], tumours: [], flr: [] },
      anthropometrics: { chemotherapy: false },
    });
    const outDir = path.join(tmp, 'dcmqi');
    mkdirSync(outDir);
    const result = await writeExports({ outcome, reviewer: { name: 'Doe^Jane', role: 'radiologist' }, subjectId: 'QIN-1', timepoint: 'baseline', outDir, algorithmType: 'MANUAL' });
    expect(result.segments.map((s) => [s.label, s.voxelCount])).toEqual([['Liver', 107098]]);
    const back = await reimportedRoles(fileOf(result, 'seg'), outcome, result.segments);
    expect(differingVoxels(back, outcome.roleLabelmap)).toBe(0);
    expect(back.reduce((n, v) => n + (v === 1 ? 1 : 0), 0)).toBe(107098);
    expect(dciodvfyErrors(fileOf(result, 'seg'))).toEqual([]);
    expect(dciodvfyErrors(fileOf(result, 'sr'))).toEqual([]);
    const dump = tool('dsrdump', [fileOf(result, 'sr')]);
    expect(dump.stdout).toContain(`="${formatDS(outcome.record.volumes.liverMl)}" (ml,UCUM,"mL")`);
    const [row] = parseCsv(readFileSync(fileOf(result, 'edc-csv'), 'utf8'));
    expect(row?.liver_ml).toBe(70.36);
    expect(row?.sflr_pct).toBeNull();
    expect(row?.verdict).toBe('not-assessable');
  });
});

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom, writePhantomLabelsNifti, writePhantomSeries } from '../../../fixtures/src/phantom/index.ts';
import { repoRoot, sharedDataDir } from '../../../fixtures/src/shared-data.ts';
import { el, writeDicomPart10 } from '../../../wasm/src/dicom/writer.ts';
import { readNifti } from '../../../wasm/src/io/nifti-read.ts';
import { encodeNifti1 } from '../../../wasm/src/io/nifti-write.ts';
import type { PhantomAnatomy } from '../../../fixtures/src/phantom/model.ts';
import type { IndexResult } from '../services/dicom-index/types.ts';
import type { MeasurementRecord } from '../../../wasm/src/measure/index.ts';
import { main } from './main.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function remnant(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

async function measureJson(...argv: string[]): Promise<MeasurementRecord> {
  const run = await remnant('measure', ...argv, '--json');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as MeasurementRecord;
}

const dcmqi = sharedDataDir('dcmqi', 'data', 'segmentations');
const ct3 = path.join(dcmqi, 'ct-3slice');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-measure-'));

describe('remnant measure on real data', () => {
  it('dcmqi ct-3slice + liver.dcm: 107098 voxels = 70.36 mL, and liver_seg.nrrd gives the identical result', async () => {
    const seg = await measureJson('--series', ct3, '--labels', path.join(dcmqi, 'liver.dcm'), '--liver', '1');
    const nrrd = await measureJson('--series', ct3, '--labels', path.join(dcmqi, 'liver_seg.nrrd'), '--liver', '1');
    for (const record of [seg, nrrd]) {
      expect(record.roles.liver.voxelCount).toBe(107098);
      expect(record.volumes.liverMl).toBeCloseTo(70.36, 2);
    }
    expect(nrrd.roles.liver.boundingBoxIJK).toEqual(seg.roles.liver.boundingBoxIJK);
    expect(nrrd.roles.liver.intensity).toEqual(seg.roles.liver.intensity);
    expect(seg.inputs.labelInput.format).toBe('dicom-seg');
    expect(nrrd.inputs.labelInput.format).toBe('nrrd');
    expect(seg.inputs.labelInput.sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(readFileSync(path.join(dcmqi, 'liver.dcm'))).digest('hex'),
    );
  });

  it('TotalSegmentator NIfTI (rows flipped against the DICOM grid): liver label 5 maps with mean HU about 90', async () => {
    const dir = sharedDataDir('totalsegmentator-example', 'tests', 'reference_files');
    const labels = path.join(dir, 'example_seg_dicom.nii.gz');
    const record = await measureJson('--series', path.join(dir, 'example_ct_dicom'), '--labels', labels, '--liver', '5');
    // The series has no UIDs: recorded as null with its content hash as identity, never a placeholder text.
    expect(record.inputs.series.seriesInstanceUid).toBeNull();
    expect(record.provenance.seriesInstanceUid).toBeNull();
    expect(record.provenance.sourceFileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.qc.flags.find((f) => f.code === 'series-without-uid')?.message).toContain(record.provenance.sourceFileSha256 as string);
    expect(JSON.stringify([record.inputs.series, record.provenance])).not.toContain('(no SeriesInstanceUID)');
    const nifti = readNifti(gunzipSync(new Uint8Array(readFileSync(labels))), 'example_seg_dicom.nii.gz');
    let ownCount = 0;
    for (const v of nifti.data) if (v === 5) ownCount++;
    const niftiVoxelMm3 = nifti.geometry.spacingMm[0] * nifti.geometry.spacingMm[1] * nifti.geometry.spacingMm[2];
    expect(record.roles.liver.voxelCount).toBe(ownCount);
    expect(record.volumes.liverMl).toBeCloseTo((ownCount * niftiVoxelMm3) / 1000, 6);
    expect(record.roles.liver.intensity?.mean).toBeGreaterThan(85);
    expect(record.roles.liver.intensity?.mean).toBeLessThan(95);
  });
});

describe('remnant measure on an oblique phantom with liver, tumours and FLR', () => {
  const phantom = generatePhantom({ rows: 96, columns: 96, sliceCount: 48, pixelSpacingMm: [4, 4], sliceSpacingMm: 5, obliqueRotationDeg: [8, -5, 12], seed: 'measure-cli' });
  const seriesDir = path.join(tmp, 'oblique');
  const labelsFile = path.join(tmp, 'oblique-labels.nii.gz');
  beforeAll(async () => {
    await writePhantomSeries(phantom, seriesDir, { shuffleFileNames: true });
    await writePhantomLabelsNifti(phantom, labelsFile);
  });

  it('reports exact voxel counts, volumes, sTLV, ratios and verdict from the formulas', async () => {
    const record = await measureJson(
      '--series', seriesDir, '--labels', labelsFile,
      '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2',
      '--height-cm', '168', '--weight-kg', '72', '--no-chemo',
    );
    const counts = phantom.truth.voxelCounts;
    const voxelMl = phantom.truth.voxelVolumeMl as number;
    const liver = (counts[1] ?? 0) + (counts[2] ?? 0) + (counts[10] ?? 0) + (counts[11] ?? 0);
    expect(record.roles.liver.voxelCount).toBe(liver);
    expect(record.roles.flr.voxelCount).toBe(counts[2]);
    expect(record.roles.tlvMeasured.voxelCount).toBe((counts[1] ?? 0) + (counts[2] ?? 0));
    expect(record.volumes.tumourMl.length).toBe(2);
    expect(record.volumes.liverMl).toBeCloseTo(liver * voxelMl, 6);
    const bsa = Math.sqrt((168 * 72) / 3600);
    const stlv = -794.41 + 1267.28 * bsa;
    const flrMl = (counts[2] ?? 0) * voxelMl;
    expect(record.bsa?.valueM2).toBeCloseTo(bsa, 10);
    expect(record.stlv?.valueMl).toBeCloseTo(stlv, 6);
    expect(record.ratios.sflrPct).toBeCloseTo((100 * flrMl) / stlv, 6);
    expect(record.ratios.flrToTlvMeasuredPct).toBeCloseTo((100 * (counts[2] ?? 0)) / ((counts[1] ?? 0) + (counts[2] ?? 0)), 6);
    expect(record.verdict.status).toBe((100 * flrMl) / stlv >= 30 ? 'sufficient' : 'insufficient');
    expect(record.provenance.seriesInstanceUid).toBe(phantom.uids.seriesInstanceUid);
    expect(record.provenance.protocol.name).toBe('DRAGON2-default');
    expect(record.inputs.anthropometrics).toMatchObject({ chemotherapy: false, chemotherapyRecorded: true });
    expect(record.inputs.series.seriesDateSource).not.toBeNull();
  });

  it('without --chemo or --no-chemo the verdict is not assessable: "chemotherapy status not recorded"', async () => {
    const args = ['--series', seriesDir, '--labels', labelsFile, '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2', '--height-cm', '168', '--weight-kg', '72'];
    const record = await measureJson(...args);
    expect(record.verdict).toMatchObject({ status: 'not-assessable', reason: 'not assessable: chemotherapy status not recorded', thresholdPct: null });
    expect(record.inputs.anthropometrics).toMatchObject({ chemotherapy: null, chemotherapyRecorded: false });
    expect((await measureJson(...args, '--chemo')).verdict.thresholdPct).toBe(40);
    const both = await remnant('measure', ...args, '--chemo', '--no-chemo');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--chemo and --no-chemo contradict each other');
  });

  it('remnant growth gives DH and KGR between two records', async () => {
    const baselineFile = path.join(tmp, 'baseline.json');
    const followupFile = path.join(tmp, 'followup.json');
    const common = ['--series', seriesDir, '--labels', labelsFile, '--liver', '1,2,10,11', '--tumour', '10,11', '--height-cm', '168', '--weight-kg', '72'];
    // Baseline: FLR = label 2. Follow-up: the same grid with the whole tumour-free liver as FLR (a large, known increase).
    expect((await remnant('measure', ...common, '--flr', '2', '--out', baselineFile)).code).toBe(0);
    expect((await remnant('measure', ...common, '--flr', '1,2', '--out', followupFile)).code).toBe(0);
    const run = await remnant('growth', baselineFile, followupFile, '--interval-days', '14', '--json');
    expect(run.stderr).toBe('');
    const growth = JSON.parse(run.stdout) as { degreeOfHypertrophyPp: number; kineticGrowthRatePctPerWeek: number; relativeFlrGrowthPct: number };
    const b = JSON.parse(readFileSync(baselineFile, 'utf8')) as MeasurementRecord;
    const f = JSON.parse(readFileSync(followupFile, 'utf8')) as MeasurementRecord;
    const dh = (f.ratios.sflrPct as number) - (b.ratios.sflrPct as number);
    expect(growth.degreeOfHypertrophyPp).toBeCloseTo(dh, 10);
    expect(growth.kineticGrowthRatePctPerWeek).toBeCloseTo(dh / 2, 10);
    expect(growth.relativeFlrGrowthPct).toBeCloseTo((100 * (f.volumes.flrMl - b.volumes.flrMl)) / b.volumes.flrMl, 10);
  });

  it('remnant growth refuses records of two different subjects (PatientID SHA-256) unless --allow-subject-mismatch', async () => {
    const baselineFile = path.join(tmp, 'subject-baseline.json');
    const followupFile = path.join(tmp, 'subject-followup.json');
    const common = ['--series', seriesDir, '--labels', labelsFile, '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2', '--height-cm', '168', '--weight-kg', '72', '--no-chemo'];
    expect((await remnant('measure', ...common, '--out', baselineFile)).code).toBe(0);
    const b = JSON.parse(readFileSync(baselineFile, 'utf8')) as MeasurementRecord;
    // The key is the SHA-256 of the series' PatientID; the ID itself is not in the record.
    const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
    expect(b.provenance.patientIdSha256).toBe(sha(phantom.options.patient.id));
    expect(b.inputs.series.patientIdSha256).toBe(sha(phantom.options.patient.id));
    expect(readFileSync(baselineFile, 'utf8')).not.toContain(phantom.options.patient.id);
    // The follow-up record of another subject: same measurement, another PatientID key.
    const other = { ...b, inputs: { ...b.inputs, series: { ...b.inputs.series, patientIdSha256: sha('someone-else') } }, provenance: { ...b.provenance, patientIdSha256: sha('someone-else') } };
    writeFileSync(followupFile, JSON.stringify(other));
    const refused = await remnant('growth', baselineFile, followupFile, '--interval-days', '14');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/baseline and follow-up are of different subjects \(baseline PatientID SHA-256 [0-9a-f]{12}\.\.\., follow-up [0-9a-f]{12}\.\.\.\)/);
    const allowed = await remnant('growth', baselineFile, followupFile, '--interval-days', '14', '--allow-subject-mismatch', '--json');
    expect(allowed.code).toBe(0);
    const growth = JSON.parse(allowed.stdout) as { flags: Array<{ code: string; severity: string }>; followup: { patientIdSha256: string } };
    expect(growth.flags).toContainEqual(expect.objectContaining({ code: 'subject-mismatch', severity: 'error' }));
    expect(growth.followup.patientIdSha256).toBe(sha('someone-else'));
    expect((await remnant('growth', baselineFile, followupFile, '--interval-days', '14', '--allow-subject-mismatch')).stdout).toContain('subject-mismatch');
  });
});

describe('remnant measure refuses bad input with a clear message', () => {
  const phantom = generatePhantom({ rows: 40, columns: 40, sliceCount: 12, pixelSpacingMm: [8, 8], sliceSpacingMm: 16, seed: 'measure-errors' });
  const seriesDir = path.join(tmp, 'small');
  const labelsFile = path.join(tmp, 'small-labels.nii.gz');
  beforeAll(async () => {
    await writePhantomSeries(phantom, seriesDir);
    await writePhantomLabelsNifti(phantom, labelsFile);
  });

  it('a label grid that does not match states both geometries', async () => {
    const run = await remnant('measure', '--series', ct3, '--labels', labelsFile, '--liver', '1,2');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('small-labels.nii.gz');
    expect(run.stderr).toContain('40'); // the label grid (40 x 40 x 12)
    expect(run.stderr).toContain('512'); // the series grid (512 x 512 x 3)
  });

  it('a SEG that references another series names both series', async () => {
    const seg = sharedDataDir('highdicom-seg', 'data', 'test_files');
    const files = readdirSync(seg).filter((f) => f.startsWith('seg_') && f.endsWith('.dcm'));
    expect(files.length).toBeGreaterThan(0);
    const run = await remnant('measure', '--series', ct3, '--labels', path.join(seg, files[0] as string), '--liver', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/series/i);
    expect(run.stderr).toContain(files[0] as string);
  });

  it('an empty SEG (no segments, no frames) is refused', async () => {
    const seriesUid = '1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1';
    const empty = writeDicomPart10([
      el(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.66.4'),
      el(0x00080018, 'UI', '2.25.1234567'),
      el(0x00080060, 'CS', 'SEG'),
      el(0x00081115, 'SQ', [[el(0x0020000e, 'UI', seriesUid)]]),
      el(0x0020000e, 'UI', '2.25.7654321'),
      el(0x00280008, 'IS', 0),
      el(0x00280010, 'US', 512),
      el(0x00280011, 'US', 512),
      el(0x00280100, 'US', 1),
      el(0x00620001, 'CS', 'BINARY'),
      el(0x00620002, 'SQ', []),
    ]);
    const file = path.join(tmp, 'empty-seg.dcm');
    writeFileSync(file, empty);
    const run = await remnant('measure', '--series', ct3, '--labels', file, '--liver', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('empty-seg.dcm');
    expect(run.stderr).toMatch(/no segment|empty/i);
  });

  it('refuses a series with a missing slice, naming the series and the gap; --allow-gaps no longer exists', async () => {
    const gapped = path.join(tmp, 'gapped');
    await writePhantomSeries(phantom, gapped, { missingSliceIndices: [5] });
    const run = await remnant('measure', '--series', gapped, '--labels', labelsFile, '--liver', '1,2', '--no-chemo');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`series ${phantom.uids.seriesInstanceUid} in ${gapped}`);
    expect(run.stderr).toMatch(/gap/);
    expect(run.stderr).toContain('Volumetry needs a complete stack with uniform slice spacing');
    expect(run.stderr).not.toContain('allowGaps');
    const option = await remnant('measure', '--series', gapped, '--labels', labelsFile, '--liver', '1,2', '--allow-gaps');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--allow-gaps'");
  });

  it('a missing liver role is a usage error; a role mapped to an absent segment lists the segments', async () => {
    const missing = await remnant('measure', '--series', seriesDir, '--labels', labelsFile, '--flr', '2');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--liver');
    const absent = await remnant('measure', '--series', seriesDir, '--labels', labelsFile, '--liver', '1,7');
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain('7');
  });

  it('non-positive or implausible height and weight are refused, naming the value', async () => {
    for (const [flag, value] of [['--height-cm', '0'], ['--height-cm', '400'], ['--weight-kg', '-3'], ['--weight-kg', '900']] as const) {
      const other = flag === '--height-cm' ? ['--weight-kg', '70'] : ['--height-cm', '170'];
      const run = await remnant('measure', '--series', seriesDir, '--labels', labelsFile, '--liver', '1,2', `${flag}=${value}`, ...other);
      expect(run.code, `${flag} ${value}`).toBe(1);
      expect(run.stderr).toContain(value);
    }
  });

  it('runs as `node bin/remnant.js` with a readable summary and exit 0', () => {
    const child = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'remnant.js'), 'measure', '--series', seriesDir, '--labels', labelsFile, '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2', '--bsa', '1.8'], {
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('sTLV');
    expect(child.stdout).toContain('Vauthey');
  });
});

describe('remnant measure on gantry-tilted (sheared) and oblique phantoms at about 1 mm', () => {
  // Explicit anatomy, large enough that voxelisation at about 1 mm is well under 1 % for every structure.
  const liverCentre: [number, number, number] = [-15, 0, 0];
  const anatomy: PhantomAnatomy = {
    body: { centreXYLPS: [-15, 0], semiAxesXYMm: [63, 69] },
    spine: { centreXYLPS: [-15, 56], radiusMm: 6 },
    liver: { centreLPS: liverCentre, semiAxesMm: [55, 45, 40] },
    flrPlane: { pointLPS: [10, 0, 0], normalLPS: [1, 0.15, 0.1] },
    tumours: [
      { centreLPS: [-40, 10, 10], radiusMm: 14 },
      { centreLPS: [-25, -20, -15], radiusMm: 12 },
    ],
    vessel: null,
  };
  // 128 x 128 pixels of 1.1 mm (between rows) x 1.0 mm (between columns), 72 slices 1.25 mm apart (between planes).
  const grid = { rows: 128, columns: 128, pixelSpacingMm: [1.1, 1.0] as [number, number], sliceCount: 72, sliceSpacingMm: 1.25, centreLPS: liverCentre, anatomy, includeVesselMask: false };
  const tiltDeg = 18;
  const cases = [
    { name: 'tilted', phantom: generatePhantom({ ...grid, gantryTiltDeg: tiltDeg, seed: 'measure-tilt' }) },
    { name: 'oblique', phantom: generatePhantom({ ...grid, obliqueRotationDeg: [8, -5, 12], seed: 'measure-oblique-1mm' }) },
  ];
  beforeAll(async () => {
    for (const c of cases) {
      await writePhantomSeries(c.phantom, path.join(tmp, `${c.name}-1mm`), { shuffleFileNames: true });
      await writePhantomLabelsNifti(c.phantom, path.join(tmp, `${c.name}-1mm-labels.nii.gz`));
    }
  });

  const within = (value: number, reference: number, relative: number): void => {
    expect(Math.abs(value / reference - 1), `${value} vs ${reference}`).toBeLessThan(relative);
  };

  for (const { name, phantom } of cases) {
    it(`${name}: exact truth voxel counts, volumes = counts x voxel volume, and within 1 % of the analytic volumes`, async () => {
      const record = await measureJson(
        '--series', path.join(tmp, `${name}-1mm`), '--labels', path.join(tmp, `${name}-1mm-labels.nii.gz`),
        '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2', '--bsa', '1.8',
      );
      const counts = phantom.truth.voxelCounts;
      const voxelMl = phantom.truth.voxelVolumeMl as number;
      // Truth voxel volume = pixel area x distance between slice planes, whatever the tilt.
      expect(voxelMl).toBeCloseTo((1.1 * 1.0 * 1.25) / 1000, 15);
      within(record.geometry.voxelVolume.valueMm3, voxelMl * 1000, 1e-6);
      expect(record.geometry.voxelVolume.method).toBe('abs-det-direction-times-spacing');
      // det D = cos(tilt) on the sheared grid (k axis along the slice step), 1 on the orthonormal oblique grid.
      expect(record.geometry.voxelVolume.detDirection).toBeCloseTo(name === 'tilted' ? Math.cos((tiltDeg * Math.PI) / 180) : 1, 6);
      // The series' own geometry findings travel with the numbers as QC flags.
      const seriesCodes = record.qc.flags.map((f) => f.code).filter((c) => c.startsWith('series-'));
      expect(seriesCodes).toContain(name === 'tilted' ? 'series-tilt' : 'series-oblique');
      expect(seriesCodes).toContain('series-identifying-data');

      const liverCount = (counts[1] ?? 0) + (counts[2] ?? 0) + (counts[10] ?? 0) + (counts[11] ?? 0);
      expect(record.roles.liver.voxelCount).toBe(liverCount);
      expect(record.roles.flr.voxelCount).toBe(counts[2]);
      expect(record.roles.tlvMeasured.voxelCount).toBe((counts[1] ?? 0) + (counts[2] ?? 0));
      expect(record.roles.tumours.map((t) => t.voxelCount)).toEqual([counts[10], counts[11]]);
      within(record.volumes.liverMl, liverCount * voxelMl, 1e-6);
      within(record.volumes.flrMl, (counts[2] ?? 0) * voxelMl, 1e-6);
      record.volumes.tumourMl.forEach((ml, t) => within(ml, (counts[10 + t] ?? 0) * voxelMl, 1e-6));

      const analytic = phantom.truth.analyticMl;
      within(record.volumes.liverMl, analytic.liverTotal, 0.01);
      within(record.volumes.tlvMeasuredMl, analytic.liverParenchyma, 0.01);
      within(record.volumes.flrMl, analytic.flr, 0.01);
      expect(record.volumes.tumourMl).toHaveLength(2);
      record.volumes.tumourMl.forEach((ml, t) => within(ml, analytic.tumours[t] as number, 0.01));
    });
  }

  it('tilted: the label grid must carry the shear (an orthogonal NIfTI through the same planes is refused), and `remnant index` reports the tilt', async () => {
    const tilted = cases[0]?.phantom as (typeof cases)[number]['phantom'];
    const geometry = tilted.geometry as NonNullable<typeof tilted.geometry>;
    // Same origin, pixel axes and plane distance, k axis along the normal: slice k is k x 1.25 tan(18 deg) mm off.
    const orthogonal = { ...geometry, spacingMm: [geometry.spacingMm[0], geometry.spacingMm[1], 1.25] as [number, number, number], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const file = path.join(tmp, 'tilted-1mm-orthogonal-labels.nii');
    writeFileSync(file, encodeNifti1(tilted.labels, orthogonal));
    const refused = await remnant('measure', '--series', path.join(tmp, 'tilted-1mm'), '--labels', file, '--liver', '1,2');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('tilted-1mm-orthogonal-labels.nii');

    const index = await remnant('index', path.join(tmp, 'tilted-1mm'), '--json');
    expect(index.code).toBe(0);
    const stacks = (JSON.parse(index.stdout) as IndexResult).studies.flatMap((s) => s.series.flatMap((se) => se.stacks));
    expect(stacks).toHaveLength(1);
    const tilt = stacks[0]?.problems.find((p) => p.code === 'tilt');
    expect(tilt?.message).toMatch(/18 deg from the normal \(gantry tilt\).*sheared/);
    expect(stacks[0]?.problems.map((p) => p.code)).toContain('gantry-tilt');
  });
});

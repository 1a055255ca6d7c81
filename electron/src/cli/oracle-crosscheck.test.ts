/**
 * Independent oracles (Debian's dcm2niix and plastimatch, installed by .ci/run) cross-check what `remnant measure`
 * reports: dcm2niix converts the DICOM series on its own, and plastimatch counts the voxels of a label mask over that
 * image and averages the image under it, resampling by physical geometry where the grids differ in orientation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom, writePhantomLabelsNifti, writePhantomSeries } from '../../../fixtures/src/phantom/index.ts';
import { sharedDataDir } from '../../../fixtures/src/shared-data.ts';
import type { MeasurementRecord } from '../../../wasm/src/measure/index.ts';
import { readSeriesFromFiles } from '../../../wasm/src/node/index.ts';
import { main } from './main.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-oracles-'));

async function measure(...argv: string[]): Promise<MeasurementRecord> {
  let stdout = '';
  let stderr = '';
  const code = await main(['measure', ...argv, '--json'], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as MeasurementRecord;
}

/** dcm2niix's own conversion of a DICOM folder to an uncompressed NIfTI; returns its path. */
function dcm2niix(seriesDir: string, name: string): string {
  const out = path.join(tmp, `${name}-dcm2niix`);
  execFileSync('mkdir', ['-p', out]);
  execFileSync('dcm2niix', ['-z', 'n', '-b', 'n', '-o', out, '-f', name, seriesDir], { encoding: 'utf8' });
  const nii = readdirSync(out).filter((f) => f.endsWith('.nii'));
  expect(nii, `dcm2niix wrote ${readdirSync(out).join(', ')}`).toHaveLength(1);
  return path.join(out, nii[0] as string);
}

interface PlastimatchStats {
  min: number;
  mean: number;
  max: number;
  voxels: number;
}

/** `plastimatch stats [--mask M] image`: MIN AVE MAX ... NUMVOX. */
function plastimatchStats(image: string, mask?: string): PlastimatchStats {
  const out = execFileSync('plastimatch', ['stats', ...(mask ? ['--mask', mask] : []), image], { encoding: 'utf8' });
  const m = /MIN\s+(\S+)\s+AVE\s+(\S+)\s+MAX\s+(\S+).*NUMVOX\s+(\d+)/.exec(out);
  if (!m) throw new Error(`unexpected plastimatch output: ${out}`);
  return { min: Number(m[1]), mean: Number(m[2]), max: Number(m[3]), voxels: Number(m[4]) };
}

/** A binary mask of the voxels whose label lies in `labels`, written by plastimatch itself. */
function plastimatchMask(labelsFile: string, labels: number[], name: string): string {
  const out = path.join(tmp, `${name}.nii.gz`);
  const range = labels.map((l) => `${l},${l}`).join(',');
  execFileSync('plastimatch', ['threshold', '--input', labelsFile, '--output', out, '--range', range], { encoding: 'utf8' });
  return out;
}

describe('cross-check against dcm2niix + plastimatch', () => {
  it('dcmqi ct-3slice liver: plastimatch counts the same 107098 voxels with the same mean HU over dcm2niix\'s image', async () => {
    const dir = sharedDataDir('dcmqi', 'data', 'segmentations');
    const record = await measure('--series', path.join(dir, 'ct-3slice'), '--labels', path.join(dir, 'liver.dcm'), '--liver', '1');
    const oracle = plastimatchStats(dcm2niix(path.join(dir, 'ct-3slice'), 'ct3'), path.join(dir, 'liver_seg.nrrd'));
    expect(record.roles.liver.voxelCount).toBe(oracle.voxels);
    expect(record.roles.liver.intensity?.mean).toBeCloseTo(oracle.mean, 4);
    expect(record.roles.liver.intensity?.min).toBe(oracle.min);
    expect(record.roles.liver.intensity?.max).toBe(oracle.max);
  });

  it('tcia-hcc048: the fast reader and dcm2niix give the same voxel count and HU range and mean', async () => {
    const dir = sharedDataDir('tcia-hcc048', 'HCC048_portal_venous');
    const files = readdirSync(dir).filter((f) => f.endsWith('.dcm')).map((f) => path.join(dir, f));
    const read = await readSeriesFromFiles(files);
    const { pixels, rescaleSlope, rescaleIntercept } = read.volume;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of pixels) {
      const hu = v * rescaleSlope + rescaleIntercept;
      if (hu < min) min = hu;
      if (hu > max) max = hu;
      sum += hu;
    }
    const oracle = plastimatchStats(dcm2niix(dir, 'hcc048'));
    expect(pixels.length).toBe(oracle.voxels);
    expect(min).toBe(oracle.min);
    expect(max).toBe(oracle.max);
    expect(sum / pixels.length).toBeCloseTo(oracle.mean, 3);
  });

  describe('oblique phantom with liver, tumours and FLR', () => {
    const phantom = generatePhantom({ rows: 80, columns: 80, sliceCount: 40, pixelSpacingMm: [4.5, 4.5], sliceSpacingMm: 6, obliqueRotationDeg: [6, -4, 10], seed: 'oracle-oblique' });
    const seriesDir = path.join(tmp, 'oblique');
    const labelsFile = path.join(tmp, 'oblique-labels.nii.gz');
    let record: MeasurementRecord;
    let image: string;
    beforeAll(async () => {
      await writePhantomSeries(phantom, seriesDir);
      await writePhantomLabelsNifti(phantom, labelsFile);
      record = await measure('--series', seriesDir, '--labels', labelsFile, '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2', '--bsa', '1.8');
      image = dcm2niix(seriesDir, 'oblique');
    });

    const roles: Array<{ role: 'liver' | 'flr' | 'tlvMeasured'; labels: number[] }> = [
      { role: 'liver', labels: [1, 2, 10, 11] },
      { role: 'flr', labels: [2] },
      { role: 'tlvMeasured', labels: [1, 2] },
    ];
    for (const { role, labels } of roles) {
      it(`${role}: plastimatch's voxel count and mean HU equal the record's`, () => {
        const oracle = plastimatchStats(image, plastimatchMask(labelsFile, labels, `oblique-${role}`));
        const stats = record.roles[role];
        expect(stats.voxelCount).toBe(oracle.voxels);
        expect(stats.intensity?.mean).toBeCloseTo(oracle.mean, 4);
        expect(stats.voxelCount).toBe(labels.reduce((n, l) => n + (phantom.truth.voxelCounts[l] ?? 0), 0));
      });
    }
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageNode } from '@itk-wasm/image-io';
import { sharedDataDir } from '../../../fixtures/src/shared-data.ts';
import { parseDicomHeader } from '../dicom/header.ts';
import { readReferenceSeriesFromFiles } from '../node/reference-reader.ts';
import type { ReferenceSeries } from '../pipelines/reference-reader.ts';
import { readNifti } from '../io/nifti-read.ts';
import type { TargetGrid } from './target-grid.ts';
import { importNiftiLabels, importNrrdLabels } from './nifti-nrrd-import.ts';

async function seriesAndTarget(dir: string): Promise<{ series: ReferenceSeries; target: TargetGrid }> {
  const files = readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
  const series = await readReferenceSeriesFromFiles(files);
  const headers = series.sortedFiles.map((f) => {
    const r = parseDicomHeader(new Uint8Array(readFileSync(f)));
    if (!r.ok) throw new Error(`${f}: ${r.message}`);
    return r.header;
  });
  return {
    series,
    target: {
      geometry: series.geometry,
      // TotalSegmentator's example series is anonymised down to empty SOP/Series Instance UIDs.
      sopInstanceUidsByK: headers.map((h, k) => h.sopInstanceUid || `${path.basename(series.sortedFiles[k])}`),
      frameOfReferenceUid: headers[0].frameOfReferenceUid,
      seriesInstanceUid: headers[0].seriesInstanceUid || 'anonymised-series',
    },
  };
}

const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(file));

describe('NIfTI label import: TotalSegmentator output on its DICOM series (LAS, row axis flipped)', () => {
  const ref = sharedDataDir('totalsegmentator-example', 'tests', 'reference_files');
  const niftiPath = path.join(ref, 'example_seg_dicom.nii.gz');
  let series: ReferenceSeries;
  let target: TargetGrid;
  beforeAll(async () => {
    ({ series, target } = await seriesAndTarget(path.join(ref, 'example_ct_dicom')));
  });

  it('reads the same LPS geometry as itk-wasm image-io (independent NIfTI reader)', async () => {
    const ours = readNifti(bytesOf(niftiPath), 'example_seg_dicom.nii.gz');
    const itk = await readImageNode(niftiPath);
    expect(ours.geometry.sizeIJK).toEqual(itk.size);
    ours.geometry.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(itk.spacing[i], 4));
    ours.geometry.originLPS.forEach((o, i) => expect(o).toBeCloseTo(itk.origin[i], 3));
    ours.geometry.directionLPS.forEach((d, i) => expect(d).toBeCloseTo(Number(itk.direction[i]), 5));
  });

  it('liver (label 5) maps with the row flip; count equals the NIfTI count of 5; mean HU about 90', async () => {
    const nifti = readNifti(bytesOf(niftiPath), 'example_seg_dicom.nii.gz');
    let niftiCount5 = 0;
    for (const v of nifti.data) if (Number(v) === 5) niftiCount5++;
    expect(niftiCount5).toBeGreaterThan(1000);

    const seg = await importNiftiLabels(bytesOf(niftiPath), 'example_seg_dicom.nii.gz', target);
    const liver = seg.segments.find((s) => s.labelValue === 5)!;
    expect(liver.voxelCount).toBe(niftiCount5);
    expect(liver.segmentNumber).toBe(5);
    expect(seg.source.format).toBe('nifti');
    const notes = seg.source.mappingNotes.join('\n');
    expect(notes).toMatch(/RAS->LPS/);
    expect(notes).toMatch(/j axis flipped to match the target/);

    const hu = series.rescaledValues as ArrayLike<number>;
    const layer = seg.layers[liver.layer];
    let sum = 0;
    let n = 0;
    for (let i = 0; i < layer.length; i++) {
      if (layer[i] === 5) {
        sum += Number(hu[i]);
        n++;
      }
    }
    const meanHu = sum / n;
    expect(meanHu).toBeGreaterThan(70);
    expect(meanHu).toBeLessThan(110);

    // Control: the same mask without the flip (raw NIfTI voxel order) lands largely outside the liver.
    let sumRaw = 0;
    for (let i = 0; i < nifti.data.length; i++) if (Number(nifti.data[i]) === 5) sumRaw += Number(hu[i]);
    expect(Math.abs(sumRaw / niftiCount5 - meanHu)).toBeGreaterThan(20);
  });

  it('a NIfTI on another grid (the 3 mm resampled example_seg.nii.gz) is rejected with both geometries', async () => {
    const other = path.join(ref, 'example_seg.nii.gz');
    const err = await importNiftiLabels(bytesOf(other), 'example_seg.nii.gz', target).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^example_seg\.nii\.gz: label grid does not match the target series/);
    expect(msg).toContain(`Label grid: size ${readNifti(bytesOf(other), 'x').geometry.sizeIJK.join('x')}`);
    expect(msg).toMatch(/Target grid: size 512x512x20, spacing \(0\.97656\d, 0\.97656\d, 2\) mm/);
    expect(msg).toMatch(/origin LPS \(.*\) mm, direction LPS columns i\(/);
  });
});

describe('NRRD label import on dcmqi series', () => {
  const seg = (name: string): string => sharedDataDir('dcmqi', 'data', 'segmentations', name);
  let ct3: TargetGrid;
  beforeAll(async () => {
    ({ target: ct3 } = await seriesAndTarget(sharedDataDir('dcmqi', 'data', 'segmentations', 'ct-3slice')));
  });

  it('liver_spine_seg.nrrd: two labels listed with counts (liver 107098)', async () => {
    const r = await importNrrdLabels(bytesOf(seg('liver_spine_seg.nrrd')), 'liver_spine_seg.nrrd', ct3);
    expect(r.segments.map((s) => [s.segmentNumber, s.labelValue, s.voxelCount])).toEqual([
      [1, 1, 107098],
      [2, 2, 12439],
    ]);
    expect(r.layers).toHaveLength(1);
    expect(r.source.mappingNotes.join('\n')).toContain('voxel axes identical to the target grid');
  });

  it('grid mismatch (24x38x3 label map onto the 512x512x3 series) -> error with both geometries', async () => {
    await expect(importNrrdLabels(bytesOf(seg('sparse_labelmap_noppv_seg.nrrd')), 'sparse_labelmap_noppv_seg.nrrd', ct3)).rejects.toThrow(
      /sparse_labelmap_noppv_seg\.nrrd: label grid does not match .*grid sizes differ.*Label grid: size 24x38x3, spacing \(0\.7, 0\.7, 2\.5\) mm, origin LPS \(46\.4649.*Target grid: size 512x512x3, spacing \(0\.810547, 0\.810547, 1\) mm, origin LPS \(-235\.199997, -226\.800003, -128\.690002\)/,
    );
  });

  it('same size but shifted by 0.3 mm -> error stating the deviation', async () => {
    const g = ct3.geometry;
    const shifted: TargetGrid = { ...ct3, geometry: { ...g, originLPS: [g.originLPS[0], g.originLPS[1] + 0.3, g.originLPS[2]] } };
    await expect(importNrrdLabels(bytesOf(seg('liver_seg.nrrd')), 'liver_seg.nrrd', shifted)).rejects.toThrow(/voxel centres up to 0\.3000 mm apart \(tolerance 0\.0081 mm\)/);
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOverlappingSegmentationNode } from '@itk-wasm/dicom';
import { sharedDataDir } from '../../../fixtures/src/shared-data.ts';
import { parseDicomHeader } from '../dicom/header.ts';
import { readReferenceSeriesFromFiles } from '../node/reference-reader.ts';
import { readNrrd } from '../io/nrrd-read.ts';
import type { ImportedSegmentation } from './types.ts';
import type { TargetGrid } from './target-grid.ts';
import { importDicomSeg } from './dicom-seg.ts';
import { importNrrdLabels } from './nifti-nrrd-import.ts';

/** Target grid of a real series: geometry from itk-wasm (reference reader), SOP UIDs from our header parser. */
async function targetFromFiles(files: string[]): Promise<TargetGrid> {
  const series = await readReferenceSeriesFromFiles([...files].sort());
  const headers = series.sortedFiles.map((f) => {
    const r = parseDicomHeader(new Uint8Array(readFileSync(f)));
    if (!r.ok) throw new Error(`${f}: ${r.message}`);
    return r.header;
  });
  return {
    geometry: series.geometry,
    sopInstanceUidsByK: headers.map((h) => h.sopInstanceUid),
    frameOfReferenceUid: headers[0].frameOfReferenceUid,
    seriesInstanceUid: headers[0].seriesInstanceUid,
  };
}

const seriesFiles = (...dir: string[]): string[] => {
  const d = sharedDataDir(...dir);
  return readdirSync(d)
    .sort()
    .map((f) => path.join(d, f));
};

const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(file));
const dcmqi = (name: string): string => sharedDataDir('dcmqi', 'data', 'segmentations', name);
const pyd = (name: string): string => sharedDataDir('pydicom-data', 'data_store', 'data', name);
const hd = (name: string): string => sharedDataDir('highdicom-seg', 'data', 'test_files', name);

function voxelsOf(seg: ImportedSegmentation, segmentNumber: number): number[] {
  const s = seg.segments.find((x) => x.segmentNumber === segmentNumber)!;
  const layer = seg.layers[s.layer];
  const out: number[] = [];
  for (let i = 0; i < layer.length; i++) if (layer[i] === s.labelValue) out.push(i);
  return out;
}

function indicesWhere(values: ArrayLike<number | bigint>, value: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number(values[i]) === value) out.push(i);
  return out;
}

describe('DICOM SEG on dcmqi ct-3slice', () => {
  let ct3: TargetGrid;
  beforeAll(async () => {
    ct3 = await targetFromFiles(seriesFiles('dcmqi', 'data', 'segmentations', 'ct-3slice'));
  });

  it('liver.dcm: 107098 voxels = 70.36 mL, placed by ReferencedSOPInstanceUID, identical to liver_seg.nrrd', async () => {
    const seg = await importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', ct3);
    expect(seg.segments).toEqual([expect.objectContaining({ segmentNumber: 1, label: 'Liver', voxelCount: 107098, layer: 0 })]);
    const voxelMm3 = ct3.geometry.spacingMm[0] * ct3.geometry.spacingMm[1] * ct3.geometry.spacingMm[2];
    expect(((seg.segments[0].voxelCount * voxelMm3) / 1000).toFixed(2)).toBe('70.36');
    expect(seg.source.format).toBe('dicom-seg');
    expect(seg.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(seg.source.referencedSeriesInstanceUid).toBe(ct3.seriesInstanceUid);
    expect(seg.source.mappingNotes.join('\n')).toContain('3 by ReferencedSOPInstanceUID');

    const nrrd = await importNrrdLabels(bytesOf(dcmqi('liver_seg.nrrd')), 'liver_seg.nrrd', ct3);
    expect(nrrd.segments.map((s) => [s.segmentNumber, s.voxelCount])).toEqual([[1, 107098]]);
    expect(voxelsOf(nrrd, 1)).toEqual(voxelsOf(seg, 1));
  });

  it('pydicom-data liver variants (LE, BE, RLE, deflated frames) give the identical voxel set', async () => {
    const reference = voxelsOf(await importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', ct3), 1);
    expect(reference.length).toBe(107098);
    for (const name of ['liver.dcm', 'liver_expb.dcm', 'liver_rle.dcm', 'liver_deflate.dcm']) {
      const seg = await importDicomSeg(bytesOf(pyd(name)), name, ct3);
      expect(seg.segments[0].voxelCount, name).toBe(107098);
      expect(voxelsOf(seg, 1), name).toEqual(reference);
    }
  });

  it('JPEG 2000 liver variants: clear unsupported-transfer-syntax error naming the file and syntax', async () => {
    for (const name of ['liver_j2k.dcm', 'liver_nonbyte_aligned_j2k.dcm']) {
      await expect(importDicomSeg(bytesOf(pyd(name)), name, ct3)).rejects.toThrow(
        new RegExp(`^${name.replace('.', '\\.')}: unsupported transfer syntax 1\\.2\\.840\\.10008\\.1\\.2\\.4\\.90 \\(JPEG 2000`),
      );
    }
  });

  it('non-byte-aligned 510x510 variants: frames do not fit the 512x512 series -> clear error', async () => {
    await expect(importDicomSeg(bytesOf(pyd('liver_nonbyte_aligned.dcm')), 'liver_nonbyte_aligned.dcm', ct3)).rejects.toThrow(
      /liver_nonbyte_aligned\.dcm frame 1: 510 rows x 510 columns do not match the target slices \(512 rows x 512 columns\)/,
    );
  });

  it('non-byte-aligned variants land on a 510x510 crop of the series grid with the same 107098 voxels (native, RLE, deflate)', async () => {
    const crop: TargetGrid = { ...ct3, geometry: { ...ct3.geometry, sizeIJK: [510, 510, 3] } };
    const full = await importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', ct3);
    const expected = voxelsOf(full, 1).map((i) => {
      const x = i % 512;
      const y = Math.floor(i / 512) % 512;
      const z = Math.floor(i / (512 * 512));
      return x + 510 * (y + 510 * z);
    });
    for (const name of ['liver_nonbyte_aligned.dcm', 'liver_nonbyte_aligned_rle.dcm', 'liver_nonbyte_aligned_deflate.dcm']) {
      const seg = await importDicomSeg(bytesOf(pyd(name)), name, crop);
      expect(voxelsOf(seg, 1), name).toEqual(expected);
    }
  });

  it('partial_overlaps.dcm: 5 segments, overlapping ones on separate layers, each equal to dcmqi nrrd and itk-wasm', async () => {
    const seg = await importDicomSeg(bytesOf(dcmqi('partial_overlaps.dcm')), 'partial_overlaps.dcm', ct3);
    expect(seg.segments.map((s) => [s.segmentNumber, s.label, s.voxelCount])).toEqual([
      [1, 'GREEN', 9602],
      [2, 'ORANGE', 11888],
      [3, 'PURPLE', 10743],
      [4, 'LIGHT_BLUE', 6693],
      [5, 'DARK_BLUE', 4713],
    ]);
    expect(seg.layers.length).toBeGreaterThan(1);
    // Within a layer no voxel is claimed twice by construction; across layers the overlaps are real:
    const v1 = new Set(voxelsOf(seg, 1));
    expect(voxelsOf(seg, 2).some((i) => v1.has(i)) || voxelsOf(seg, 3).some((i) => v1.has(i))).toBe(true);

    // dcmqi's own nrrd export (one file per non-overlapping group) as oracle.
    const oracle = new Map<number, number[]>();
    for (const f of ['partial_overlaps-1.nrrd', 'partial_overlaps-2.nrrd', 'partial_overlaps-3.nrrd']) {
      const n = readNrrd(bytesOf(dcmqi(f)), f).components[0];
      for (let s = 1; s <= 5; s++) {
        const idx = indicesWhere(n, s);
        if (idx.length > 0) oracle.set(s, idx);
      }
    }
    for (let s = 1; s <= 5; s++) expect(voxelsOf(seg, s), `segment ${s}`).toEqual(oracle.get(s));

    // itk-wasm readOverlappingSegmentation (DCMQI-based) as a second, independent oracle: counts per segment.
    const itk = await readOverlappingSegmentationNode(dcmqi('partial_overlaps.dcm'));
    const comps = itk.segImage.imageType.components;
    const data = itk.segImage.data as ArrayLike<number>;
    const counts = Array.from({ length: comps }, () => 0);
    for (let i = 0; i < data.length; i++) if (data[i]) counts[i % comps]++;
    expect(counts.filter((c) => c > 0).sort((a, b) => a - b)).toEqual([4713, 6693, 9602, 10743, 11888]);
  });

  it('SEG of another series -> error naming both series UIDs', async () => {
    const other = await targetFromFiles(seriesFiles('dcmqi', 'data', 'segmentations', '24x38x3', 'image'));
    await expect(importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', other)).rejects.toThrow(
      `liver.dcm: DICOM SEG references series ${ct3.seriesInstanceUid}, not the target series ${other.seriesInstanceUid}`,
    );
  });

  it('SEG with no ReferencedSeriesSequence but a different frame of reference -> error naming both', async () => {
    const moved: TargetGrid = { ...ct3, frameOfReferenceUid: '1.2.3.4' };
    await expect(importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', moved)).rejects.toThrow(/frame of reference 1\.2\.392\.\S+ differs from target series \S+'s frame of reference 1\.2\.3\.4/);
  });

  it('frames placed by position when the SOP UIDs are unknown; a shifted grid is rejected', async () => {
    const anonymous: TargetGrid = { ...ct3, sopInstanceUidsByK: ct3.sopInstanceUidsByK.map((_, k) => `9.9.${k}`) };
    const seg = await importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', anonymous);
    expect(seg.segments[0].voxelCount).toBe(107098);
    expect(seg.source.mappingNotes.join('\n')).toContain('0 by ReferencedSOPInstanceUID, 3 by ImagePositionPatient');
    const g = ct3.geometry;
    const shifted: TargetGrid = { ...anonymous, geometry: { ...g, originLPS: [g.originLPS[0] + 0.4, g.originLPS[1], g.originLPS[2]] } };
    await expect(importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', shifted)).rejects.toThrow(/frame 1: its plane does not coincide with a target slice \(corner pixels up to 0\.4000 mm/);
    // By reference but at the wrong place: the position check still applies.
    const wrongPlace: TargetGrid = { ...ct3, geometry: shifted.geometry };
    await expect(importDicomSeg(bytesOf(dcmqi('liver.dcm')), 'liver.dcm', wrongPlace)).rejects.toThrow(/references target slice \d but its plane does not coincide/);
  });
});

describe('DICOM SEG: Label Map SEG and highdicom variants', () => {
  it('sparse Label Map SEGs (8-bit, one frame missing) on 24x38x3: liver = 630 voxels, identical to dcmqi nrrd', async () => {
    const target = await targetFromFiles(seriesFiles('dcmqi', 'data', 'segmentations', '24x38x3', 'image'));
    for (const [dcm, nrrdName] of [
      ['sparse-labelmap-noppv.dcm', 'sparse_labelmap_noppv_seg.nrrd'],
      ['sparse-labelmap-ppv5.dcm', 'sparse_labelmap_ppv5_seg.nrrd'],
    ]) {
      const seg = await importDicomSeg(bytesOf(dcmqi(dcm)), dcm, target);
      expect(seg.segments.map((s) => [s.segmentNumber, s.label, s.voxelCount]), dcm).toEqual([[1, 'Liver', 630]]);
      expect(seg.layers.length).toBe(1);
      const oracle = readNrrd(bytesOf(dcmqi(nrrdName)), nrrdName).components[0];
      expect(voxelsOf(seg, 1), dcm).toEqual(indicesWhere(oracle, 1));
    }
  });

  describe('highdicom SEGs on pydicom CT2', () => {
    let ct2: TargetGrid;
    beforeAll(async () => {
      // CT2 slice 0.93 lies 200 mm away from the regular 0.94-0.96 stack; the series grid is the regular stack.
      const files = seriesFiles('pydicom-testfiles', 'test_files', 'dicomdirtests', '77654033', 'CT2').filter((f) => !f.endsWith('17106'));
      ct2 = await targetFromFiles(files);
    });

    it('BINARY: 1 segment, 638 voxels (127 + 256 + 255 per frame)', async () => {
      const seg = await importDicomSeg(bytesOf(hd('seg_image_ct_binary.dcm')), 'seg_image_ct_binary.dcm', ct2);
      expect(seg.segments.map((s) => [s.segmentNumber, s.label, s.voxelCount])).toEqual([[1, 'first segment', 638]]);
    });

    it('FRACTIONAL with binary values equals BINARY; true FRACTIONAL follows the threshold', async () => {
      const binary = voxelsOf(await importDicomSeg(bytesOf(hd('seg_image_ct_binary.dcm')), 'b.dcm', ct2), 1);
      const frac = await importDicomSeg(bytesOf(hd('seg_image_ct_binary_fractional.dcm')), 'f.dcm', ct2);
      expect(voxelsOf(frac, 1)).toEqual(binary);
      expect(frac.source.mappingNotes.join('\n')).toContain('value >= 0.5 x MaximumFractionalValue 255');
      // Values 128/255 (0.502) are in at the default 0.5, values 64/255 (0.251) only at a 0.25 threshold.
      const half = await importDicomSeg(bytesOf(hd('seg_image_ct_true_fractional.dcm')), 't.dcm', ct2);
      expect(half.segments[0].voxelCount).toBe(638);
      const quarter = await importDicomSeg(bytesOf(hd('seg_image_ct_true_fractional.dcm')), 't.dcm', ct2, { fractionalThreshold: 0.25 });
      expect(quarter.segments[0].voxelCount).toBe(638 + 22 + 1);
      const strict = await importDicomSeg(bytesOf(hd('seg_image_ct_true_fractional.dcm')), 't.dcm', ct2, { fractionalThreshold: 0.6 });
      expect(strict.segments[0].voxelCount).toBe(0);
    });

    it('overlap SEG has frames on the far slice 0.93 that is not on the regular grid -> clear error', async () => {
      await expect(importDicomSeg(bytesOf(hd('seg_image_ct_binary_overlap.dcm')), 'seg_image_ct_binary_overlap.dcm', ct2)).rejects.toThrow(
        /seg_image_ct_binary_overlap\.dcm frame 1: position LPS \(-125\.000, -128\.100, -99\.480\) lies outside the target series/,
      );
    });
  });

  it('single-frame SEG on highdicom ct_image.dcm: 1832 voxels', async () => {
    const target = await targetFromFiles([hd('ct_image.dcm')]);
    const seg = await importDicomSeg(bytesOf(hd('seg_image_ct_binary_single_frame.dcm')), 'single.dcm', target);
    expect(seg.segments.map((s) => [s.segmentNumber, s.voxelCount])).toEqual([[1, 1832]]);
    expect(seg.geometry.sizeIJK).toEqual([128, 128, 1]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReferenceReaderError, summarizeFileList } from '../pipelines/reference-reader.ts';
import { readReferenceSeriesFromFiles } from './reference-reader.ts';
import { sharedDataPath } from './test-data.ts';

describe('readReferenceSeriesFromFiles (itk-wasm, Node)', () => {
  it('direction layout: column 1 of directionLPS is the IOP column cosine on the oblique dcm-qa-ts slice', async () => {
    // IOP = 1\-1e-16\0 \ 1e-16\0.99415096409965\-0.1079993545339 (row cosines, then column cosines)
    const ref = await readReferenceSeriesFromFiles([sharedDataPath('dcm-qa-ts', 'In', '1.dcm')]);
    const d = ref.geometry.directionLPS;
    expect([d[1], d[4], d[7]].map((v) => Number(v.toFixed(9)))).toEqual([0, 0.994150964, -0.107999355]);
    expect([d[0], d[3], d[6]].map((v) => Number(v.toFixed(9)))).toEqual([1, -0, 0]);
    // Column 2 = row x col (right-handed), pointing mostly +S.
    expect(d[8]).toBeCloseTo(0.99415096409965, 9);
    expect(d[5]).toBeCloseTo(0.1079993545339, 9);
    expect(ref.provenance.variant).toBe('node');
    expect(ref.provenance.packageVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('returns rescaled (HU) values and the itk sort order for ct-3slice', async () => {
    const dir = sharedDataPath('dcmqi', 'data', 'segmentations', 'ct-3slice');
    const ref = await readReferenceSeriesFromFiles(['01.dcm', '02.dcm', '03.dcm'].map((f) => path.join(dir, f)));
    expect(ref.geometry.sizeIJK).toEqual([512, 512, 3]);
    expect(ref.componentType).toBe('int32');
    let min = Infinity;
    for (const v of ref.rescaledValues) min = Math.min(min, v);
    expect(min).toBeLessThan(-900); // air in HU, not a stored value >= 0
    expect(ref.sortedFiles.map((f) => path.basename(f)).sort()).toEqual(['01.dcm', '02.dcm', '03.dcm']);
  });

  it('fails with a ReferenceReaderError carrying stderr and the file list on a non-DICOM file', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-ref-'));
    const bad = path.join(tmp, 'not-dicom.dcm');
    fs.writeFileSync(bad, 'this is not DICOM'.repeat(20));
    try {
      const error = await readReferenceSeriesFromFiles([bad]).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ReferenceReaderError);
      const e = error as ReferenceReaderError;
      expect(e.message).toContain('not-dicom.dcm');
      expect(e.files).toEqual([bad]);
      expect(typeof e.stderr).toBe('string');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('summarizes file lists for error messages', () => {
    expect(summarizeFileList(['/a/b/1.dcm', '/a/b/2.dcm', '/a/b/3.dcm'])).toBe('3 files in /a/b: 1.dcm .. 3.dcm');
    expect(summarizeFileList(['/a/x.dcm'])).toBe('1 file in /a: x.dcm');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom, writePhantomSeries } from '../../../../fixtures/src/phantom/index.ts';
import type { PhantomOptions, PhantomSeriesWriteOptions } from '../../../../fixtures/src/phantom/index.ts';
import { sharedDataDir } from '../../../../fixtures/src/shared-data.ts';
import { IndexRootError, indexPath } from './scan.ts';
import type { IndexResult, StackEntry } from './types.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'remnant-index-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A small noise-free phantom (fast): 16 x 12 pixels, 10 slices of 2.5 mm unless overridden. */
const small: Partial<PhantomOptions> = { rows: 12, columns: 16, pixelSpacingMm: [2, 1.5], sliceCount: 10, sliceSpacingMm: 2.5, noiseSd: 0, includeVesselMask: false };

async function phantomIndex(name: string, options: Partial<PhantomOptions>, write: Partial<PhantomSeriesWriteOptions> = {}): Promise<{ result: IndexResult; stacks: StackEntry[] }> {
  const dir = path.join(work, name);
  await writePhantomSeries(generatePhantom({ ...small, ...options }), dir, write);
  const result = await indexPath(dir);
  const stacks = result.studies.flatMap((s) => s.series.flatMap((se) => se.stacks));
  return { result, stacks };
}

const codes = (s: StackEntry | undefined): string[] => (s?.problems ?? []).map((p) => p.code);

describe('indexPath on phantom series', () => {
  it('indexes a clean axial series: slice count, spacing, geometry, anthropometrics', async () => {
    const { result, stacks } = await phantomIndex('clean', {});
    expect(result.unreadableFiles).toEqual([]);
    expect(stacks).toHaveLength(1);
    const s = stacks[0];
    expect(s?.sliceCount).toBe(10);
    expect(s?.rows).toBe(12);
    expect(s?.columns).toBe(16);
    expect(s?.spacingMm.row).toBe(2);
    expect(s?.spacingMm.col).toBe(1.5);
    expect(s?.spacingMm.slice).toBeCloseTo(2.5, 6);
    expect(s?.geometry?.spacingMm[0]).toBe(1.5);
    expect(codes(s)).toEqual([]);
    const p = result.studies[0]?.patient;
    expect(p?.anthropometrics.patientSizeM).toBe(1.68);
    expect(p?.anthropometrics.patientWeightKg).toBe(72);
    expect(p?.identifyingFieldsPresent).toContain('PatientName');
  });

  it('sorts by position, not instance number or file name (reversed numbering, shuffled names, no extension)', async () => {
    const { stacks: ref } = await phantomIndex('order-ref', {});
    const { stacks } = await phantomIndex('order', {}, { reverseSliceOrder: true, shuffleFileNames: true, fileExtension: '' });
    const s = stacks[0];
    expect(s?.sliceCount).toBe(10);
    expect(codes(s)).toEqual([]);
    expect(s?.geometry).toEqual(ref[0]?.geometry);
    expect(s?.files.every((f) => !f.endsWith('.dcm'))).toBe(true);
    // Slice identities follow the same k order: the phantom's SOP Instance UIDs, k = 0 first, whatever the file order.
    expect(s?.sliceKeys).toEqual(generatePhantom({ ...small }).uids.sopInstanceUids);
    expect(s?.sliceKeys).toEqual(ref[0]?.sliceKeys);
  });

  it('reports missing slices as a gap with the estimated count', async () => {
    const { stacks } = await phantomIndex('gap', {}, { missingSliceIndices: [4, 5] });
    const s = stacks[0];
    expect(s?.sliceCount).toBe(8);
    expect(codes(s)).toEqual(['gap']);
    expect(s?.problems[0]?.message).toMatch(/about 2 missing/u);
  });

  it('reports non-uniform spacing', async () => {
    const { stacks } = await phantomIndex('nonuniform', { sliceOffsetsMm: [0, 2.5, 5, 7.7, 10, 12.5] });
    expect(codes(stacks[0])).toEqual(['non-uniform-spacing']);
  });

  it('reports gantry tilt from the tag and from positions drifting off the normal', async () => {
    const { stacks } = await phantomIndex('tilt', { gantryTiltDeg: 12 });
    expect(codes(stacks[0])).toEqual(expect.arrayContaining(['tilt', 'gantry-tilt']));
  });

  it('reports an oblique stack and keeps its spacing along the normal', async () => {
    const { stacks } = await phantomIndex('oblique', { obliqueRotationDeg: [15, 0, 0] });
    expect(codes(stacks[0])).toEqual(['oblique']);
    expect(stacks[0]?.spacingMm.slice).toBeCloseTo(2.5, 6);
  });

  it('reports duplicate positions', async () => {
    const { stacks } = await phantomIndex('dup', {}, { duplicatePositionSliceIndices: [3] });
    expect(stacks[0]?.sliceCount).toBe(11);
    expect(codes(stacks[0])).toEqual(['duplicate-positions']);
  });

  it('splits a localizer into its own stack and flags it', async () => {
    const { stacks } = await phantomIndex('localizer', {}, { includeLocalizer: true });
    expect(stacks.map((s) => s.sliceCount)).toEqual([10, 1]);
    expect(stacks[0]?.localizer).toBe(false);
    expect(codes(stacks[0])).toEqual([]);
    expect(codes(stacks[1])).toContain('localizer');
  });

  it('reports inconsistent rescale and lossy compression', async () => {
    const { stacks } = await phantomIndex('rescale', {}, { inconsistentRescaleSliceIndices: [2] });
    expect(codes(stacks[0])).toEqual(['inconsistent-rescale']);
    expect(stacks[0]?.rescale).toHaveLength(2);
    const lossy = await phantomIndex('lossy', {}, { lossyImageCompression: true });
    expect(codes(lossy.stacks[0])).toEqual(['lossy']);
    expect(lossy.stacks[0]?.problems[0]?.message).toMatch(/LossyImageCompression = 01/u);
  });

  it('reads an Enhanced multi-frame object as one stack from its functional groups', async () => {
    const { stacks: ref } = await phantomIndex('mf-ref', { gantryTiltDeg: 0 });
    const { result, stacks } = await phantomIndex('mf', {}, { format: 'enhanced' });
    expect(result.unreadableFiles).toEqual([]);
    expect(stacks).toHaveLength(1);
    expect(stacks[0]?.multiFrame).toBe(true);
    expect(stacks[0]?.sliceCount).toBe(10);
    expect(stacks[0]?.geometry?.originLPS).toEqual(ref[0]?.geometry?.originLPS);
    expect(stacks[0]?.geometry?.spacingMm[2]).toBeCloseTo(ref[0]?.geometry?.spacingMm[2] ?? 0, 6);
  });

  it('flags de-identified series', async () => {
    const { result } = await phantomIndex('deid', {}, { deidentified: true });
    const p = result.studies[0]?.patient;
    expect(p?.patientIdentityRemoved).toBe('YES');
    expect(p?.identifyingFieldsPresent).not.toContain('PatientBirthDate');
  });

  it('throws IndexRootError naming a missing root', async () => {
    await expect(indexPath(path.join(work, 'nope'))).rejects.toThrow(IndexRootError);
    await expect(indexPath(path.join(work, 'nope'))).rejects.toThrow(/nope/u);
  });
});

describe('indexPath on the shared real data', () => {
  let r: IndexResult;
  beforeAll(async () => {
    r = await indexPath(sharedDataDir());
  });
  const allStacks = (): Array<StackEntry & { seriesUid: string }> =>
    r.studies.flatMap((s) => s.series.flatMap((se) => se.stacks.map((st) => ({ ...st, seriesUid: se.seriesInstanceUid }))));

  it('finds the TCIA portal-venous CT with 89 slices, 0.703 mm and 2.5 mm', () => {
    const s = allStacks().find((x) => x.files[0]?.startsWith('tcia-hcc048/'));
    expect(s?.sliceCount).toBe(89);
    expect(s?.spacingMm.row).toBeCloseTo(0.703, 3);
    expect(s?.spacingMm.col).toBeCloseTo(0.703, 3);
    expect(s?.spacingMm.slice).toBeCloseTo(2.5, 6);
    expect(codes(s)).toEqual([]);
  });

  it('finds dcmqi ct-3slice with 3 slices and links the liver SEG to it', () => {
    const s = allStacks().find((x) => x.files[0]?.startsWith('dcmqi/data/segmentations/ct-3slice/'));
    expect(s?.sliceCount).toBe(3);
    const seg = r.nonImageObjects.find((n) => n.path === 'dcmqi/data/segmentations/liver.dcm');
    expect(seg?.category).toBe('segmentation');
    expect(seg?.linkedSeries).toEqual([{ seriesInstanceUid: s?.seriesUid, via: 'ReferencedSeriesSequence', indexed: true }]);
  });

  it('lists every DICOMDIR under pydicom-testfiles with no missing referenced files', () => {
    const dirs = r.mediaDirectories.map((m) => m.path);
    for (const f of ['DICOMDIR', 'DICOMDIR-bigEnd', 'DICOMDIR-empty.dcm', 'DICOMDIR-implicit', 'DICOMDIR-nooffset', 'DICOMDIR-nopatient', 'DICOMDIR-reordered', 'TINY_ALPHA/DICOMDIR']) {
      expect(dirs).toContain(`pydicom-testfiles/test_files/dicomdirtests/${f}`);
    }
    expect(r.mediaDirectories.every((m) => m.missingFiles.length === 0)).toBe(true);
  });

  it('reports each malformed pydicom test file with a reason', () => {
    const byPath = new Map(r.unreadableFiles.map((u) => [u.path, u]));
    const expected: Record<string, string> = {
      'MR_truncated.dcm': 'truncated',
      'rtplan_truncated.dcm': 'truncated',
      'no_meta.dcm': 'not-dicom',
      'meta_missing_tsyntax.dcm': 'malformed',
      'empty_charset_LEI.dcm': 'malformed',
    };
    for (const [file, code] of Object.entries(expected)) {
      const u = byPath.get(`pydicom-testfiles/test_files/${file}`);
      expect(u?.code, file).toBe(code);
      expect(u?.reason.length).toBeGreaterThan(10);
    }
    // Every SEG in the data is linked to a series.
    const segs = r.nonImageObjects.filter((n) => n.category === 'segmentation');
    expect(segs.length).toBeGreaterThan(10);
    expect(segs.every((n) => n.linkedSeries.length > 0)).toBe(true);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageNode } from '@itk-wasm/image-io';
import { readNifti } from './nifti-read.ts';
import { importNiftiLabels } from '../labels/nifti-nrrd-import.ts';
import type { TargetGrid } from '../labels/target-grid.ts';

/** Typed-array values as plain numbers (bigint arrays included). */
const nums = (a: ArrayLike<number | bigint>): number[] => Array.from({ length: a.length }, (_, i) => Number(a[i]));

interface Nifti1Spec {
  dims: number[];
  datatype: number;
  bitpix: number;
  pixdim: number[];
  data: Uint8Array;
  littleEndian?: boolean;
  sform?: number[][];
  sformCode?: number;
  qformCode?: number;
  quatern?: number[];
  qoffset?: number[];
  sclSlope?: number;
  sclInter?: number;
}

/** Writes a single-file NIfTI-1 byte by byte from the nifti1.h layout (test-side, independent of the reader). */
function nifti1(spec: Nifti1Spec): Uint8Array {
  const le = spec.littleEndian ?? true;
  const out = new Uint8Array(352 + spec.data.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, le);
  spec.dims.forEach((d, i) => v.setInt16(40 + 2 * i, d, le));
  v.setInt16(70, spec.datatype, le);
  v.setInt16(72, spec.bitpix, le);
  spec.pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, le));
  v.setFloat32(108, 352, le);
  v.setFloat32(112, spec.sclSlope ?? 0, le);
  v.setFloat32(116, spec.sclInter ?? 0, le);
  v.setInt16(252, spec.qformCode ?? 0, le);
  v.setInt16(254, spec.sformCode ?? 0, le);
  (spec.quatern ?? [0, 0, 0]).forEach((q, i) => v.setFloat32(256 + 4 * i, q, le));
  (spec.qoffset ?? [0, 0, 0]).forEach((q, i) => v.setFloat32(268 + 4 * i, q, le));
  (spec.sform ?? [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]).forEach((row, r) => row.forEach((x, c) => v.setFloat32(280 + 16 * r + 4 * c, x, le)));
  out.set([0x6e, 0x2b, 0x31, 0x00], 344);
  out.set(spec.data, 352);
  return out;
}

/** NIfTI-2 per nifti2.h (540-byte header, int64 dims, double transforms). */
function nifti2(dims: number[], datatype: number, bitpix: number, pixdim: number[], sform: number[][], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(544 + data.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, 540, true);
  out.set([0x6e, 0x2b, 0x32, 0x00, 0x0d, 0x0a, 0x1a, 0x0a], 4);
  v.setInt16(12, datatype, true);
  v.setInt16(14, bitpix, true);
  dims.forEach((d, i) => v.setBigInt64(16 + 8 * i, BigInt(d), true));
  pixdim.forEach((p, i) => v.setFloat64(104 + 8 * i, p, true));
  v.setBigInt64(168, 544n, true);
  v.setInt32(348, 1, true);
  sform.forEach((row, r) => row.forEach((x, c) => v.setFloat64(400 + 32 * r + 8 * c, x, true)));
  out.set(data, 544);
  return out;
}

const u8 = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-nifti-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readNifti geometry', () => {
  it('sform: RAS affine converted to LPS (negated x and y rows)', () => {
    const bytes = nifti1({
      dims: [3, 2, 3, 4, 1, 1, 1, 1],
      datatype: 2,
      bitpix: 8,
      pixdim: [1, 0.5, 0.6, 2, 0, 0, 0, 0],
      sformCode: 1,
      sform: [[-0.5, 0, 0, 10], [0, 0.6, 0, -20], [0, 0, 2, 30]],
      data: new Uint8Array(24).map((_, i) => i),
    });
    const n = readNifti(bytes, 'a.nii');
    expect(n.orientationSource).toBe('sform');
    expect(n.geometry.sizeIJK).toEqual([2, 3, 4]);
    expect(n.geometry.spacingMm).toEqual([0.5, expect.closeTo(0.6, 6), 2]);
    expect(n.geometry.originLPS).toEqual([-10, 20, 30]);
    expect(n.geometry.directionLPS.map((x) => x + 0)).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(nums(n.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // The same file gzipped reads identically.
    const gz = readNifti(gzipSync(bytes), 'a.nii.gz');
    expect(gz.geometry).toEqual(n.geometry);
    expect(nums(gz.data)).toEqual(nums(n.data));
  });

  it('qform (90 degrees about z, qfac -1) agrees with ITK (itk-wasm image-io) on the same file', async () => {
    const h = Math.SQRT1_2;
    const bytes = nifti1({
      dims: [3, 3, 2, 2, 1, 1, 1, 1],
      datatype: 512,
      bitpix: 16,
      pixdim: [-1, 0.7, 0.8, 1.5, 0, 0, 0, 0],
      qformCode: 1,
      quatern: [0, 0, h],
      qoffset: [5, -6, 7],
      data: u8(new Uint16Array(12).map((_, i) => 1000 + i)),
    });
    const n = readNifti(bytes, 'q.nii');
    expect(n.orientationSource).toBe('qform');
    expect(n.notes.join()).toContain('qfac -1');
    const file = path.join(tmp, 'q.nii');
    writeFileSync(file, bytes);
    const itk = await readImageNode(file);
    n.geometry.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(itk.spacing[i], 5));
    n.geometry.originLPS.forEach((o, i) => expect(o).toBeCloseTo(itk.origin[i], 5));
    n.geometry.directionLPS.forEach((d, i) => expect(d).toBeCloseTo(Number(itk.direction[i]), 5));
    expect(nums(n.data)).toEqual(nums(itk.data as Uint16Array));
  });

  it('big-endian int16 data and header', () => {
    const data = new Uint8Array(8);
    const dv = new DataView(data.buffer);
    [-2, 0, 7, 300].forEach((x, i) => dv.setInt16(2 * i, x, false));
    const n = readNifti(
      nifti1({ dims: [3, 2, 2, 1, 1, 1, 1, 1], datatype: 4, bitpix: 16, pixdim: [1, 1, 1, 1, 0, 0, 0, 0], sformCode: 2, sform: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], data, littleEndian: false }),
      'be.nii',
    );
    expect(n.littleEndian).toBe(false);
    expect(nums(n.data)).toEqual([-2, 0, 7, 300]);
  });

  it('NIfTI-2 float64 with sform', () => {
    const n = readNifti(nifti2([3, 2, 1, 1, 1, 1, 1, 1], 64, 64, [1, 2, 2, 2, 0, 0, 0, 0], [[2, 0, 0, 1], [0, 2, 0, 2], [0, 0, 2, 3]], u8(new Float64Array([3, 4]))), 'n2.nii');
    expect(n.version).toBe(2);
    expect(n.geometry.originLPS).toEqual([-1, -2, 3]);
    expect(n.geometry.directionLPS.map((x) => x + 0)).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(nums(n.data)).toEqual([3, 4]);
  });

  it('no sform/qform: pixdim-only geometry with a warning', () => {
    const n = readNifti(nifti1({ dims: [3, 1, 1, 1, 1, 1, 1, 1], datatype: 2, bitpix: 8, pixdim: [1, 1, 1, 3, 0, 0, 0, 0], data: new Uint8Array(1) }), 'plain.nii');
    expect(n.orientationSource).toBe('pixdim');
    expect(n.warnings[0]).toMatch(/neither sform nor qform/);
  });

  it('clear errors: not NIfTI, 4D, complex datatype, truncated data', () => {
    expect(() => readNifti(new Uint8Array(400), 'zero.nii')).toThrow(/^zero\.nii: not a NIfTI-1 or NIfTI-2 file/);
    const base = { datatype: 2, bitpix: 8, pixdim: [1, 1, 1, 1, 1, 0, 0, 0], data: new Uint8Array(4) };
    expect(() => readNifti(nifti1({ ...base, dims: [4, 1, 1, 2, 2, 1, 1, 1] }), 't.nii')).toThrow(/^t\.nii: NIfTI-1 has 4 dimensions with dim\[4\] = 2/);
    expect(() => readNifti(nifti1({ ...base, dims: [3, 1, 1, 1, 1, 1, 1, 1], datatype: 32, bitpix: 64 }), 'c.nii')).toThrow(/unsupported NIfTI-1 datatype 32 \(complex64\)/);
    expect(() => readNifti(nifti1({ ...base, dims: [3, 4, 4, 4, 1, 1, 1, 1] }), 'short.nii')).toThrow(/^short\.nii: NIfTI-1 data truncated/);
  });
});

describe('readNifti: sheared sform (gantry tilt)', () => {
  // Axial rows/cols, k step 1.25 mm along S plus 1.25 tan(20 deg) mm along P (LPS): RAS k column (0, -0.455, 1.25).
  const t = (20 * Math.PI) / 180;
  const stepLPS = [0, 1.25 * Math.tan(t), 1.25];
  const sform = [[-0.75, 0, -stepLPS[0]!, 40], [0, -0.8, -stepLPS[1]!, 25], [0, 0, stepLPS[2]!, -60]];
  const spec = { dims: [3, 3, 2, 4, 1, 1, 1, 1], datatype: 2, bitpix: 8, pixdim: [1, 0.75, 0.8, 1.25 / Math.cos(t), 0, 0, 0, 0], sformCode: 1, sform, data: new Uint8Array(24).map((_, i) => i % 3) };

  it('keeps the shear: direction columns normalised, not orthogonalised; spacing = column lengths', () => {
    const n = readNifti(nifti1(spec), 'tilt.nii');
    const g = n.geometry;
    expect(n.orientationSource).toBe('sform');
    expect(g.originLPS).toEqual([-40, -25, -60]);
    g.spacingMm.forEach((v, c) => expect(v).toBeCloseTo([0.75, 0.8, 1.25 / Math.cos(t)][c]!, 6));
    const want = [1, 0, 0, 0, 1, Math.sin(t), 0, 0, Math.cos(t)];
    g.directionLPS.forEach((v, i) => expect(v + 0).toBeCloseTo(want[i]!, 6));
    // Voxel centres reproduce the affine exactly: the last voxel.
    const last = [2, 1, 3];
    for (let r = 0; r < 3; r++) {
      let p = g.originLPS[r]!;
      for (let c = 0; c < 3; c++) p += g.directionLPS[3 * r + c]! * g.spacingMm[c]! * last[c]!;
      const ras = sform[r]![0]! * 2 + sform[r]![1]! * 1 + sform[r]![2]! * 3 + sform[r]![3]!;
      expect(p).toBeCloseTo(r < 2 ? -ras : ras, 5);
    }
  });

  it('imports onto the sheared series grid voxel for voxel, and not onto its orthogonal approximation', async () => {
    const sheared: TargetGrid = {
      geometry: { sizeIJK: [3, 2, 4], spacingMm: [0.75, 0.8, 1.25 / Math.cos(t)], originLPS: [-40, -25, -60], directionLPS: [1, 0, 0, 0, 1, Math.sin(t), 0, 0, Math.cos(t)] },
      sopInstanceUidsByK: ['1', '2', '3', '4'],
      seriesInstanceUid: '1.2',
    };
    const seg = await importNiftiLabels(nifti1(spec), 'tilt.nii', sheared);
    expect(Array.from(seg.layers[0] ?? [])).toEqual(Array.from(spec.data));
    expect(seg.source.mappingNotes.join('\n')).toContain('identical');
    // The same lattice with the k axis along the normal: slice 3 is 3 x 1.25 tan(20 deg) = 1.36 mm away from the labels.
    const orthogonal: TargetGrid = { ...sheared, geometry: { ...sheared.geometry, spacingMm: [0.75, 0.8, 1.25], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] } };
    await expect(importNiftiLabels(nifti1(spec), 'tilt.nii', orthogonal)).rejects.toThrow(/tilt\.nii/);
  });
});

describe('importNiftiLabels value handling', () => {
  const target: TargetGrid = {
    geometry: { sizeIJK: [2, 2, 1], spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    sopInstanceUidsByK: ['1.2.3'],
    seriesInstanceUid: '1.2',
  };
  // LPS identity = RAS diag(-1, -1, 1).
  const sform = [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0]];
  const spec = { dims: [3, 2, 2, 1, 1, 1, 1, 1], pixdim: [1, 1, 1, 1, 0, 0, 0, 0], sformCode: 1, sform };

  it('float32 labels that are integral import; scl_slope/scl_inter are applied', async () => {
    const seg = await importNiftiLabels(nifti1({ ...spec, datatype: 16, bitpix: 32, data: u8(new Float32Array([0, 1, 1, 0.5])), sclSlope: 2, sclInter: 3 }), 'f.nii', target);
    // 0*2+3 = 3, 1*2+3 = 5, 0.5*2+3 = 4
    expect(seg.segments.map((s) => [s.labelValue, s.voxelCount])).toEqual([[3, 1], [4, 1], [5, 2]]);
    expect(Array.from(seg.layers[0])).toEqual([3, 5, 5, 4]);
    expect(seg.source.mappingNotes.join('\n')).toContain('scl_slope 2, scl_inter 3 applied');
  });

  it('non-integral float labels -> error naming the file', async () => {
    await expect(importNiftiLabels(nifti1({ ...spec, datatype: 16, bitpix: 32, data: u8(new Float32Array([0, 0.25, 1, 1])) }), 'prob.nii', target)).rejects.toThrow(
      /^prob\.nii: voxel 1 has label value 0\.25; labels must be integers/,
    );
  });

  it('negative labels -> error', async () => {
    await expect(importNiftiLabels(nifti1({ ...spec, datatype: 4, bitpix: 16, data: u8(new Int16Array([0, -1, 0, 0])) }), 'neg.nii', target)).rejects.toThrow(/neg\.nii: voxel 1 has label value -1/);
  });

  it('16-bit label values land on a Uint16 layer', async () => {
    const seg = await importNiftiLabels(nifti1({ ...spec, datatype: 512, bitpix: 16, data: u8(new Uint16Array([0, 300, 2, 300])) }), 'u16.nii', target);
    expect(seg.layers[0]).toBeInstanceOf(Uint16Array);
    expect(seg.segments.map((s) => [s.segmentNumber, s.voxelCount])).toEqual([[2, 1], [300, 2]]);
  });
});

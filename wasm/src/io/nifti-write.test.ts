import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ImageGeometry } from '../geometry/types.ts';
import { encodeNifti1, NIFTI1_VOX_OFFSET, quaternionFromRotation, rotationFromQuaternion } from './nifti-write.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-nifti-write-'));

/** Minimal independent NIfTI-1 header reader for the test (little-endian only). */
function readHeader(bytes: Uint8Array) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f32 = (o: number) => dv.getFloat32(o, true);
  const i16 = (o: number) => dv.getInt16(o, true);
  return {
    sizeofHdr: dv.getInt32(0, true),
    dim: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
    intentCode: i16(68),
    datatype: i16(70),
    bitpix: i16(72),
    pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
    voxOffset: f32(108),
    sclSlope: f32(112),
    xyztUnits: bytes[123],
    qformCode: i16(252),
    sformCode: i16(254),
    quatern: [f32(256), f32(260), f32(264)] as [number, number, number],
    qoffset: [f32(268), f32(272), f32(276)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))),
    magic: String.fromCharCode(...bytes.subarray(344, 347)),
  };
}

/** Rotation about an axis (Rodrigues), rows. */
function rotation(axis: [number, number, number], deg: number): number[][] {
  const n = Math.hypot(...axis);
  const [x, y, z] = axis.map((a) => a / n) as [number, number, number];
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t), s = Math.sin(t), C = 1 - c;
  return [
    [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
    [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
    [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
  ];
}

function geometryWith(dir: number[][], sizeIJK: [number, number, number] = [5, 4, 3]): ImageGeometry {
  return { sizeIJK, spacingMm: [0.8, 1.25, 2.5], originLPS: [-12.5, 30.25, 101], directionLPS: dir.flat() };
}

/** sform/qform of the header vs the expected voxel->RAS mapping of the geometry. */
function expectHeaderMatchesGeometry(bytes: Uint8Array, g: ImageGeometry): void {
  const h = readHeader(bytes);
  const flip = [-1, -1, 1];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) expect(h.srow[r]![c]).toBeCloseTo(flip[r]! * g.directionLPS[3 * r + c]! * g.spacingMm[c]!, 5);
    expect(h.srow[r]![3]).toBeCloseTo(flip[r]! * g.originLPS[r]!, 4);
    expect(h.qoffset[r]).toBeCloseTo(flip[r]! * g.originLPS[r]!, 4);
  }
  const qfac = h.pixdim[0] as 1 | -1;
  expect(Math.abs(qfac)).toBe(1);
  const rq = rotationFromQuaternion({ b: h.quatern[0], c: h.quatern[1], d: h.quatern[2], qfac });
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expect(rq[r]![c]! * h.pixdim[c + 1]!).toBeCloseTo(h.srow[r]![c]!, 5);
}

describe('quaternionFromRotation', () => {
  it('round-trips proper and improper rotations (qfac -1 when det < 0)', () => {
    const cases = [rotation([1, 0, 0], 0), rotation([1, 2, 3], 37), rotation([0, 1, 0], 180), rotation([1, 1, 0], 179.9), rotation([0.2, -1, 0.4], 91)];
    for (const r of cases) {
      for (const improper of [false, true]) {
        const m = r.map((row) => [...row]);
        if (improper) for (const row of m) row[2] = -row[2]!;
        const q = quaternionFromRotation(m);
        expect(q.qfac).toBe(improper ? -1 : 1);
        const back = rotationFromQuaternion(q);
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(back[i]![j]).toBeCloseTo(m[i]![j]!, 12);
      }
    }
  });

  it('refuses a non-orthonormal (sheared) matrix', () => {
    expect(() => quaternionFromRotation([[1, 0, 0], [0, 1, 0.3], [0, 0, 1]], 'test geometry')).toThrow(/test geometry: columns are not orthonormal/);
  });
});

describe('encodeNifti1', () => {
  it('writes a 348-byte header with dims, datatype, pixdim, mm units, sform and qform of the LPS->RAS geometry', () => {
    const g = geometryWith(rotation([1, 2, 3], 25));
    const data = new Uint8Array(5 * 4 * 3).map((_, n) => n % 7);
    const bytes = encodeNifti1(data, g);
    const h = readHeader(bytes);
    expect(h.sizeofHdr).toBe(348);
    expect(h.magic).toBe('n+1');
    expect(h.dim.slice(0, 4)).toEqual([3, 5, 4, 3]);
    expect([h.datatype, h.bitpix]).toEqual([2, 8]);
    expect(h.pixdim.slice(1, 4).map((x) => Number(x.toFixed(5)))).toEqual([0.8, 1.25, 2.5]);
    expect(h.xyztUnits).toBe(2);
    expect([h.qformCode, h.sformCode]).toEqual([1, 1]);
    expect(h.voxOffset).toBe(NIFTI1_VOX_OFFSET);
    expect(h.intentCode).toBe(1002);
    expect(Array.from(bytes.subarray(NIFTI1_VOX_OFFSET))).toEqual(Array.from(data));
    expectHeaderMatchesGeometry(bytes, g);
  });

  it('handles a left-handed direction matrix (qfac -1), uint16 and int16 data, and gzip deterministically', () => {
    const dir = rotation([0.3, -1, 0.2], 70).map((row) => [row[0]!, row[1]!, -row[2]!]);
    const g = geometryWith(dir);
    const u16 = new Uint16Array(60).map((_, n) => n * 1000);
    const gz1 = encodeNifti1(u16, g, { gzip: true });
    const gz2 = encodeNifti1(u16, g, { gzip: true });
    expect(gz1).toEqual(gz2);
    expect([gz1[0], gz1[1]]).toEqual([0x1f, 0x8b]);
    const raw = gunzipSync(gz1);
    const h = readHeader(raw);
    expect(h.pixdim[0]).toBe(-1);
    expect([h.datatype, h.bitpix]).toEqual([512, 16]);
    expectHeaderMatchesGeometry(raw, g);
    const back = new Uint16Array(raw.buffer.slice(raw.byteOffset + NIFTI1_VOX_OFFSET, raw.byteOffset + raw.byteLength));
    expect(Array.from(back)).toEqual(Array.from(u16));
    const i16 = encodeNifti1(new Int16Array(60).fill(-3), g);
    expect(readHeader(i16).datatype).toBe(4);
  });

  it('is read by plastimatch (ITK) with the original LPS origin, spacing and direction', () => {
    const dir = rotation([1, -0.5, 0.25], 30);
    const g = geometryWith(dir, [6, 5, 4]);
    const file = path.join(tmp, 'oblique.nii.gz');
    writeFileSync(file, encodeNifti1(new Uint8Array(120).fill(1), g, { gzip: true }));
    const out = execFileSync('plastimatch', ['header', file], { encoding: 'utf8' });
    const nums = (key: string) => out.match(new RegExp(`${key} = ([^\\n]+)`))![1]!.trim().split(/\s+/).map(Number);
    expect(nums('Size')).toEqual([6, 5, 4]);
    nums('Spacing').forEach((v, i) => expect(v).toBeCloseTo(g.spacingMm[i]!, 3));
    nums('Origin').forEach((v, i) => expect(v).toBeCloseTo(g.originLPS[i]!, 3));
    // plastimatch prints the ITK direction row-major, like ImageGeometry.directionLPS.
    nums('Direction').forEach((v, i) => expect(v).toBeCloseTo(g.directionLPS[i]!, 3));
  });

  it('writes a sheared (gantry-tilt) geometry exactly in the sform with qform_code 0; orthonormal ones keep the qform', () => {
    // Axial rows/cols, k axis tilted 18 degrees towards +P (LPS): unit columns, column 2 not orthogonal to column 1.
    const t = (18 * Math.PI) / 180;
    const g: ImageGeometry = { sizeIJK: [5, 4, 3], spacingMm: [0.8, 1.25, 2.5 / Math.cos(t)], originLPS: [-12.5, 30.25, 101], directionLPS: [1, 0, 0, 0, 1, Math.sin(t), 0, 0, Math.cos(t)] };
    const bytes = encodeNifti1(new Uint8Array(60).fill(3), g);
    const h = readHeader(bytes);
    expect([h.qformCode, h.sformCode]).toEqual([0, 1]);
    expect(h.quatern).toEqual([0, 0, 0]);
    expect(h.qoffset).toEqual([0, 0, 0]);
    expect(h.pixdim[0]).toBe(1);
    h.pixdim.slice(1, 4).forEach((v, c) => expect(v).toBeCloseTo(g.spacingMm[c]!, 5));
    // sform = F (D diag(s)) with F = diag(-1, -1, 1): k column = (0, -2.5 tan t, 2.5) in RAS; origin (12.5, -30.25, 101).
    const expected = [[-0.8, 0, 0, 12.5], [0, -1.25, -2.5 * Math.tan(t), -30.25], [0, 0, 2.5, 101]];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(h.srow[r]![c]).toBeCloseTo(expected[r]![c]!, 5);
    // |det| of the sform 3x3 = pixel area x plane distance.
    const m = h.srow;
    const det = m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!);
    expect(Math.abs(det)).toBeCloseTo(0.8 * 1.25 * 2.5, 5);
    expect(readHeader(encodeNifti1(new Uint8Array(60), geometryWith(rotation([1, 2, 3], 25)))).qformCode).toBe(1);
  });

  it('refuses non-unit direction columns and a singular direction', () => {
    const g = geometryWith(rotation([1, 0, 0], 0));
    expect(() => encodeNifti1(new Uint8Array(60), { ...g, directionLPS: [2, 0, 0, 0, 1, 0, 0, 0, 1] })).toThrow(/column 0 has length 2\.0+, not 1/);
    expect(() => encodeNifti1(new Uint8Array(60), { ...g, directionLPS: [1, 0, 0, 0, 1, 1, 0, 0, 0] })).toThrow(/singular/);
  });

  it('rejects a size mismatch and unsupported arrays with a clear message', () => {
    const g = geometryWith(rotation([1, 0, 0], 0));
    expect(() => encodeNifti1(new Uint8Array(10), g)).toThrow(/10 elements but sizeIJK 5x4x3 needs 60/);
    expect(() => encodeNifti1(new Float32Array(60) as unknown as Uint8Array, g)).toThrow(/unsupported voxel array type Float32Array/);
  });
});

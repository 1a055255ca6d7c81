import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageNode } from '@itk-wasm/image-io';
import { readNrrd } from './nrrd-read.ts';
import { importNrrdLabels } from '../labels/nifti-nrrd-import.ts';
import type { TargetGrid } from '../labels/target-grid.ts';

/** Typed-array values as plain numbers (bigint arrays included). */
const nums = (a: ArrayLike<number | bigint>): number[] => Array.from({ length: a.length }, (_, i) => Number(a[i]));

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};
const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-nrrd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readNrrd', () => {
  it('RAS space, big-endian raw int16: geometry in LPS agrees with ITK (itk-wasm image-io)', async () => {
    const header =
      'NRRD0004\ntype: short\ndimension: 3\nspace: right-anterior-superior\nsizes: 3 2 2\n' +
      'space directions: (0,-0.5,0) (0.7,0,0) (0,0,2)\nkinds: domain domain domain\nendian: big\nencoding: raw\n' +
      'space origin: (10,-20,30)\n\n';
    const data = new Uint8Array(24);
    const dv = new DataView(data.buffer);
    for (let i = 0; i < 12; i++) dv.setInt16(2 * i, i * 10 - 5, false);
    const bytes = concat(ascii(header), data);
    const n = readNrrd(bytes, 'ras.nrrd');
    expect(n.geometry.sizeIJK).toEqual([3, 2, 2]);
    expect(n.geometry.spacingMm).toEqual([0.5, 0.7, 2]);
    expect(n.geometry.originLPS).toEqual([-10, 20, 30]);
    expect(nums(n.components[0])).toEqual(Array.from({ length: 12 }, (_, i) => i * 10 - 5));
    const file = path.join(tmp, 'ras.nrrd');
    writeFileSync(file, bytes);
    const itk = await readImageNode(file);
    expect(itk.size).toEqual(n.geometry.sizeIJK);
    n.geometry.originLPS.forEach((o, i) => expect(o).toBeCloseTo(itk.origin[i], 6));
    n.geometry.spacingMm.forEach((s, i) => expect(s).toBeCloseTo(itk.spacing[i], 6));
    n.geometry.directionLPS.forEach((d, i) => expect(d).toBeCloseTo(Number(itk.direction[i]), 6));
  });

  it('gzip and ascii encodings decode to the same values', () => {
    const head = (enc: string): string =>
      `NRRD0004\n# comment\ntype: uchar\ndimension: 3\nspace: left-posterior-superior\nsizes: 2 2 1\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: ${enc}\nspace origin: (0,0,0)\nlabel:=liver\n\n`;
    const values = new Uint8Array([0, 5, 5, 1]);
    const gz = readNrrd(concat(ascii(head('gzip')), gzipSync(values)), 'g.nrrd');
    const tx = readNrrd(ascii(head('ascii') + '0 5\n5 1\n'), 't.nrrd');
    expect(nums(gz.components[0])).toEqual([0, 5, 5, 1]);
    expect(nums(tx.components[0])).toEqual([0, 5, 5, 1]);
    expect(gz.keyValues).toEqual({ label: 'liver' });
  });

  it('4D layered label stack (Slicer .seg.nrrd style: list axis first) -> one 3D component per layer', async () => {
    const header =
      'NRRD0004\ntype: unsigned char\ndimension: 4\nspace: left-posterior-superior\nsizes: 2 2 1 1\n' +
      'space directions: none (1,0,0) (0,1,0) (0,0,1)\nkinds: list domain domain domain\nencoding: raw\nspace origin: (0,0,0)\n' +
      'Segment0_Name:=liver\nSegment0_LabelValue:=1\nSegment0_Layer:=0\nSegment1_Name:=tumour\nSegment1_LabelValue:=1\nSegment1_Layer:=1\n\n';
    // voxel (0,0): liver+tumour, voxel (1,0): liver only.
    const bytes = concat(ascii(header), new Uint8Array([1, 1, 1, 0]));
    const n = readNrrd(bytes, 'seg.nrrd');
    expect(n.components.map((c) => nums(c))).toEqual([
      [1, 1],
      [1, 0],
    ]);
    expect(n.componentKind).toBe('list');
    const target: TargetGrid = {
      geometry: { sizeIJK: [2, 1, 1], spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
      sopInstanceUidsByK: ['1.2.3'],
      seriesInstanceUid: '1.2',
    };
    const seg = await importNrrdLabels(bytes, 'seg.nrrd', target);
    expect(seg.segments.map((s) => [s.segmentNumber, s.layer, s.labelValue, s.label, s.voxelCount])).toEqual([
      [1, 0, 1, 'liver', 2],
      [2, 1, 1, 'tumour', 1],
    ]);
  });

  it('clear errors: detached data, non-anatomical space, missing field, unsupported encoding, truncated', () => {
    const base = 'NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 1\n';
    const spaced = `${base}space: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,1)\n`;
    expect(() => readNrrd(ascii(`${spaced}encoding: raw\ndata file: x.raw\n\n`), 'd.nhdr')).toThrow(/^d\.nhdr: detached NRRD/);
    expect(() => readNrrd(ascii(`${base}space: scanner-xyz\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\n\n`), 's.nrrd')).toThrow(/^s\.nrrd: NRRD space "scanner-xyz" is not an anatomical 3D space/);
    expect(() => readNrrd(ascii(`NRRD0004\ntype: uchar\ndimension: 3\nencoding: raw\n\n`), 'm.nrrd')).toThrow(/^m\.nrrd: NRRD header lacks the required field "sizes"/);
    expect(() => readNrrd(ascii(`${spaced}encoding: bzip2\n\n`), 'b.nrrd')).toThrow(/unsupported NRRD encoding "bzip2"/);
    expect(() => readNrrd(ascii(`${spaced}encoding: raw\n\n\x01\x02`), 'short.nrrd')).toThrow(/^short\.nrrd: NRRD data truncated/);
    expect(() => readNrrd(ascii('P5\n'), 'pgm.nrrd')).toThrow(/^pgm\.nrrd: not an NRRD file/);
  });
});

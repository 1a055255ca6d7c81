import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDicomSeg } from '../labels/dicom-seg.ts';
import type { TargetGrid } from '../labels/target-grid.ts';
import { indexToLps, sliceKey } from '../labels/target-grid.ts';
import { composeRoleLabelmap } from '../segments/compose.ts';
import { buildSegDicom, packBinaryFrames, planSegments, planeGeometry, rgbToDicomLab, roleMappingOfSegments } from './seg-export.ts';
import type { DerivedInstanceInfo, SourceContext } from './seg-export.ts';
import { parseDicomHeader } from './header.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-seg-export-'));

/** dciodvfy's "Error" lines for a file (it prints to stderr). */
function dciodvfyErrors(bytes: Uint8Array, name: string): string[] {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  const run = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.includes('Error'));
}

// 5 x 3 pixels (15 bits per frame: frames cross byte boundaries), 6 slices, oblique direction, anisotropic spacing.
const c = Math.cos(0.3);
const s = Math.sin(0.3);
function makeTarget(keys?: string[]): TargetGrid {
  return {
    geometry: { sizeIJK: [5, 3, 6], spacingMm: [0.8, 0.9, 2.5], originLPS: [-10, 20, 30], directionLPS: [c, -s, 0, s, c, 0, 0, 0, 1] },
    sopInstanceUidsByK: keys ?? Array.from({ length: 6 }, (_, k) => `1.2.826.0.1.3680043.10.5.${k + 1}`),
    frameOfReferenceUid: '1.2.826.0.1.3680043.10.9',
    seriesInstanceUid: '1.2.826.0.1.3680043.10.2',
  };
}

const source: SourceContext = {
  patientName: 'TEST^PATIENT',
  patientId: 'P-1',
  patientBirthDate: '19600101',
  patientSex: 'M',
  studyInstanceUid: '1.2.826.0.1.3680043.10.1',
  studyDate: '20250102',
  studyTime: '101500',
  studyId: 'S1',
  accessionNumber: 'A1',
  referringPhysicianName: '',
  studyDescription: 'Liver CT',
  seriesInstanceUid: '1.2.826.0.1.3680043.10.2',
  frameOfReferenceUid: '1.2.826.0.1.3680043.10.9',
  modality: 'CT',
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
};

const instance: DerivedInstanceInfo = {
  seriesInstanceUid: '1.2.826.0.1.3680043.10.20',
  sopInstanceUid: '1.2.826.0.1.3680043.10.21',
  seriesNumber: 9701,
  instanceNumber: 1,
  seriesDescription: 'Remnant segments',
  contentDate: '20250103',
  contentTime: '120000',
};

/** Role labelmap: liver on slices 1..4, FLR on 2..3, tumour 1 on slice 2, tumour 3 on slice 4 (tumour 2 empty). */
function makeLabelmap(): Uint8Array {
  const lm = new Uint8Array(5 * 3 * 6);
  const set = (i: number, j: number, k: number, v: number): void => {
    lm[(k * 3 + j) * 5 + i] = v;
  };
  for (let k = 1; k <= 4; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 5; i++) if ((i + j + k) % 3 !== 0) set(i, j, k, 1);
  set(0, 0, 2, 2);
  set(4, 2, 2, 2);
  set(2, 1, 3, 2);
  set(1, 1, 2, 10);
  set(3, 0, 4, 12);
  set(4, 2, 4, 12);
  return lm;
}

async function roundTrip(labelmap: Uint8Array, target: TargetGrid): Promise<{ recomposed: Uint8Array; bytes: Uint8Array }> {
  const built = buildSegDicom({ roleLabelmap: labelmap, target, source, instance, contentCreatorName: 'Doe^Jane', algorithmType: 'SEMIAUTOMATIC' });
  const imported = await importDicomSeg(built.bytes, 'export.dcm', target);
  const composed = composeRoleLabelmap(imported, roleMappingOfSegments(built.segments));
  return { recomposed: composed.labelmap, bytes: built.bytes };
}

describe('planSegments', () => {
  it('plans Liver, FLR and every tumour up to the highest present, with exact counts and slices', () => {
    const plan = planSegments(makeLabelmap(), 15, 6);
    expect(plan.map((p) => p.label)).toEqual(['Liver', 'FLR', 'Tumour 1', 'Tumour 2', 'Tumour 3']);
    expect(plan.map((p) => p.segmentNumber)).toEqual([1, 2, 3, 4, 5]);
    const lm = makeLabelmap();
    const count = (pred: (v: number) => boolean): number => lm.reduce((n, v) => n + (pred(v) ? 1 : 0), 0);
    expect(plan[0]!.voxelCount).toBe(count((v) => v > 0));
    expect(plan[1]!.voxelCount).toBe(count((v) => v === 2));
    expect(plan[3]!.voxelCount).toBe(0);
    expect(plan[3]!.slicesK).toEqual([]);
    expect(plan[1]!.slicesK).toEqual([2, 3]);
    expect(plan[4]!.slicesK).toEqual([4]);
    expect(new Set(plan.map((p) => p.trackingUid)).size).toBe(5);
  });

  it('keeps an empty FLR and extra tumours when asked, and refuses reserved labels and an empty liver', () => {
    const lm = new Uint8Array(15 * 2);
    lm[3] = 1;
    expect(planSegments(lm, 15, 2, { includeEmptyFlr: true, tumourCount: 2 }).map((p) => p.label)).toEqual(['Liver', 'FLR', 'Tumour 1', 'Tumour 2']);
    lm[4] = 5;
    expect(() => planSegments(lm, 15, 2)).toThrow(/reserved label 5/);
    expect(() => planSegments(new Uint8Array(30), 15, 2)).toThrow(/no liver voxels/);
  });
});

describe('packBinaryFrames', () => {
  it('packs frames continuously, least significant bit first, padded to an even length', () => {
    const lm = Uint8Array.from([1, 0, 2, 0, 0, /* slice 1 */ 0, 0, 0, 0, 1]);
    const member = new Uint8Array(256);
    member[1] = 1;
    member[2] = 1;
    const out = packBinaryFrames(lm, 5, [{ k: 0, member }, { k: 1, member }]);
    // bits: frame 0 -> 0 and 2; frame 1 starts at bit 5 -> its pixel 4 is bit 9.
    expect(Array.from(out)).toEqual([0b00000101, 0b00000010]);
  });
});

describe('rgbToDicomLab', () => {
  it('maps white and black to the CIELab extremes', () => {
    const white = rgbToDicomLab(255, 255, 255);
    expect(white[0]).toBe(65535);
    expect(Math.abs(white[1] - 32896)).toBeLessThan(80);
    expect(rgbToDicomLab(0, 0, 0)[0]).toBe(0);
  });
});

describe('buildSegDicom', () => {
  it('re-imports onto the same grid as voxel-identical role labels (oblique, 15-bit frames)', async () => {
    const labelmap = makeLabelmap();
    const { recomposed } = await roundTrip(labelmap, makeTarget());
    expect(recomposed.length).toBe(labelmap.length);
    let differing = 0;
    for (let i = 0; i < labelmap.length; i++) if (recomposed[i] !== labelmap[i]) differing++;
    expect(differing).toBe(0);
  });

  it('writes one frame per (segment, occupied slice) with source references, positions and shared geometry; dciodvfy reports no errors', () => {
    const target = makeTarget();
    const built = buildSegDicom({ roleLabelmap: makeLabelmap(), target, source, instance, contentCreatorName: 'Doe^Jane', algorithmType: 'MANUAL' });
    expect(built.frameCount).toBe(4 + 2 + 1 + 0 + 1);
    const parsed = parseDicomHeader(built.bytes);
    if (!parsed.ok) throw new Error(parsed.message);
    const h = parsed.header;
    expect(h.numberOfFrames).toBe(8);
    expect(h.segmentationType).toBe('BINARY');
    expect(h.segments.map((x) => x.label)).toEqual(['Liver', 'FLR', 'Tumour 1', 'Tumour 2', 'Tumour 3']);
    expect(h.referencedSeriesUids).toContain(target.seriesInstanceUid);
    expect(h.frames[0]!.sourceSopInstanceUids).toEqual([target.sopInstanceUidsByK[1]]);
    expect(h.frames[0]!.referencedSegmentNumber).toBe(1);
    const p = indexToLps(target.geometry, [0, 0, 1]);
    h.frames[0]!.positionLPS!.forEach((v, a) => expect(v).toBeCloseTo(p[a]!, 9));
    expect(h.frames[7]!.referencedSegmentNumber).toBe(5);
    planeGeometry(target).orientation.forEach((v, a) => expect(h.frames[0]!.orientationLPS![a]).toBeCloseTo(v, 12));
    expect(h.frames[0]!.pixelSpacingMm).toEqual([0.9, 0.8]);
    expect(h.studyInstanceUid).toBe(source.studyInstanceUid);
    expect(h.seriesInstanceUid).toBe(instance.seriesInstanceUid);
    expect(h.frameOfReferenceUid).toBe(target.frameOfReferenceUid);
    expect(dciodvfyErrors(built.bytes, 'seg-manual.dcm')).toEqual([]);
    const dump = execFileSync('dcmdump', [path.join(tmp, 'seg-manual.dcm')], { encoding: 'utf8' });
    expect(dump).toMatch(/\(0062,0008\) CS \[MANUAL\]/);
    expect(dump).toMatch(/\(0070,0084\) PN \[Doe\^Jane\]/);
    expect(dump).not.toMatch(/\(0062,0009\)/);
    expect(dump).toMatch(/\(0018,1020\) LO \[\d+\.\d+\.\d+\]/);
    const semi = buildSegDicom({ roleLabelmap: makeLabelmap(), target, source, instance, contentCreatorName: 'Doe^Jane', algorithmType: 'SEMIAUTOMATIC' });
    expect(dciodvfyErrors(semi.bytes, 'seg-semi.dcm')).toEqual([]);
    expect(execFileSync('dcmdump', [path.join(tmp, 'seg-semi.dcm')], { encoding: 'utf8' })).toMatch(/\(0062,0009\) LO \[Remnant \d+\.\d+\.\d+\]/);
  });

  it('references frames of a multi-frame source by ReferencedFrameNumber and round-trips through them', async () => {
    const uid = '1.2.826.0.1.3680043.10.77';
    const target = makeTarget(Array.from({ length: 6 }, (_, k) => sliceKey(uid, k + 1)));
    const { recomposed, bytes } = await roundTrip(makeLabelmap(), target);
    expect(Array.from(recomposed)).toEqual(Array.from(makeLabelmap()));
    const dump = execFileSync('dcmdump', ['+P', '0008,1160', '-'], { input: bytes, encoding: 'utf8' });
    expect(dump).toMatch(/\(0008,1160\) IS \[2\]/);
  });

  it('refuses a source context of another series and a grid without frame of reference', () => {
    const target = makeTarget();
    expect(() => buildSegDicom({ roleLabelmap: makeLabelmap(), target, source: { ...source, seriesInstanceUid: '1.2.3' }, instance, contentCreatorName: 'X', algorithmType: 'MANUAL' })).toThrow(/not the target grid's series/);
    expect(() =>
      buildSegDicom({ roleLabelmap: makeLabelmap(), target: { ...target, frameOfReferenceUid: '' }, source: { ...source, frameOfReferenceUid: '' }, instance, contentCreatorName: 'X', algorithmType: 'MANUAL' }),
    ).toThrow(/no FrameOfReferenceUID/);
  });
});

import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { el, writeDicomPart10 } from '../dicom/writer.ts';
import type { DicomElement, DicomItem } from '../dicom/writer.ts';
import { LABEL_MAP_SEG_SOP_CLASS, SEG_SOP_CLASS, importDicomSeg } from './dicom-seg.ts';
import type { TargetGrid } from './target-grid.ts';
import { sliceKey } from './target-grid.ts';
import { importLabelFile } from './import-label-file.ts';

// Target: 3x3 pixels, 3 slices, 1 mm cubes at the origin, axial.
const target: TargetGrid = {
  geometry: { sizeIJK: [3, 3, 3], spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  sopInstanceUidsByK: ['1.2.826.0.1.10', '1.2.826.0.1.11', '1.2.826.0.1.12'],
  frameOfReferenceUid: '1.2.826.0.1.5',
  seriesInstanceUid: '1.2.826.0.1.2',
};

interface FrameSpec {
  segment?: number;
  ref?: string;
  refFrame?: number;
  z?: number;
  pixels: number[];
}

function makeSeg(opts: {
  segments: Array<[number, string]>;
  frames: FrameSpec[];
  type?: 'BINARY' | 'FRACTIONAL' | 'LABELMAP';
  bits?: 1 | 8 | 16;
  maxFractional?: number;
  sopClass?: string;
  referencedSeries?: string;
}): Uint8Array {
  const type = opts.type ?? 'BINARY';
  const bits = opts.bits ?? (type === 'BINARY' ? 1 : 8);
  const all = opts.frames.flatMap((f) => f.pixels);
  let pixelData: Uint8Array;
  if (bits === 1) {
    // Bits packed continuously across frames, least significant bit first.
    pixelData = new Uint8Array(Math.ceil(all.length / 8));
    all.forEach((v, i) => {
      if (v) pixelData[i >> 3] |= 1 << (i & 7);
    });
  } else if (bits === 8) {
    pixelData = Uint8Array.from(all);
  } else {
    pixelData = new Uint8Array(new Uint16Array(all).buffer);
  }
  const perFrame: DicomItem[] = opts.frames.map((f) => {
    const item: DicomElement[] = [];
    if (f.segment !== undefined) item.push(el(0x0062000a, 'SQ', [[el(0x0062000b, 'US', f.segment)]]));
    if (f.z !== undefined) item.push(el(0x00209113, 'SQ', [[el(0x00200032, 'DS', [0, 0, f.z])]]));
    if (f.ref) {
      const src: DicomElement[] = [el(0x00081150, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(0x00081155, 'UI', f.ref)];
      if (f.refFrame !== undefined) src.push(el(0x00081160, 'IS', f.refFrame));
      item.push(el(0x00089124, 'SQ', [[el(0x00082112, 'SQ', [src])]]));
    }
    return item;
  });
  const ds: DicomElement[] = [
    el(0x00080016, 'UI', opts.sopClass ?? (type === 'LABELMAP' ? LABEL_MAP_SEG_SOP_CLASS : SEG_SOP_CLASS)),
    el(0x00080018, 'UI', '1.2.826.0.1.99'),
    el(0x00080060, 'CS', 'SEG'),
    el(0x00081115, 'SQ', [[el(0x0020000e, 'UI', opts.referencedSeries ?? target.seriesInstanceUid)]]),
    el(0x0020000e, 'UI', '1.2.826.0.1.98'),
    el(0x00200052, 'UI', target.frameOfReferenceUid!),
    el(0x00280008, 'IS', opts.frames.length),
    el(0x00280010, 'US', 3),
    el(0x00280011, 'US', 3),
    el(0x00280100, 'US', bits),
    el(0x00620001, 'CS', type),
    el(0x00620002, 'SQ', opts.segments.map(([n, label]) => [el(0x00620004, 'US', n), el(0x00620005, 'LO', label)])),
    el(0x52009229, 'SQ', [[el(0x00209116, 'SQ', [[el(0x00200037, 'DS', [1, 0, 0, 0, 1, 0])]]), el(0x00289110, 'SQ', [[el(0x00280030, 'DS', [1, 1])]])]]),
    el(0x52009230, 'SQ', perFrame),
  ];
  if (opts.maxFractional !== undefined) ds.push(el(0x0062000e, 'US', opts.maxFractional));
  if (opts.frames.length > 0) ds.push(el(0x7fe00010, bits === 16 ? 'OW' : 'OB', pixelData));
  return writeDicomPart10(ds);
}

/**
 * Re-encodes an Explicit VR LE Part 10 file as Deflated Explicit VR LE (1.2.840.10008.1.2.1.99): same dataset,
 * raw-deflated after a rebuilt file meta group.
 */
function toDeflatedTransferSyntax(part10: Uint8Array): Uint8Array {
  const view = new DataView(part10.buffer, part10.byteOffset, part10.byteLength);
  const metaEnd = 144 + view.getUint32(140, true);
  const element = (group: number, elem: number, vr: string, value: Uint8Array): number[] => {
    const head = [group & 0xff, group >> 8, elem & 0xff, elem >> 8, vr.charCodeAt(0), vr.charCodeAt(1)];
    return vr === 'OB' ? [...head, 0, 0, ...[0, 8, 16, 24].map((b) => (value.length >> b) & 0xff), ...value] : [...head, value.length & 0xff, value.length >> 8, ...value];
  };
  const ui = (text: string): Uint8Array => Uint8Array.from(text.length % 2 ? `${text}\0` : text, (ch) => ch.charCodeAt(0));
  const body = [
    ...element(2, 1, 'OB', new Uint8Array([0, 1])),
    ...element(2, 2, 'UI', ui(SEG_SOP_CLASS)),
    ...element(2, 3, 'UI', ui('1.2.826.0.1.99')),
    ...element(2, 0x10, 'UI', ui('1.2.840.10008.1.2.1.99')),
  ];
  const groupLength = element(2, 0, 'UL', new Uint8Array([0, 8, 16, 24].map((b) => (body.length >> b) & 0xff)));
  const head = [...part10.subarray(0, 132), ...groupLength, ...body];
  return Uint8Array.from([...head, ...deflateSync(part10.subarray(metaEnd))]);
}

const P = (...on: number[]): number[] => Array.from({ length: 9 }, (_, i) => (on.includes(i) ? 1 : 0));

describe('DICOM SEG import on synthetic SEGs', () => {
  it('BINARY 3x3 frames (9 bits each, packed across byte boundaries), 2 overlapping segments -> 2 layers', async () => {
    const bytes = makeSeg({
      segments: [
        [1, 'liver'],
        [2, 'tumour'],
      ],
      frames: [
        { segment: 1, ref: target.sopInstanceUidsByK[0], z: 0, pixels: P(0, 8) },
        { segment: 1, ref: target.sopInstanceUidsByK[2], z: 2, pixels: P(1, 2, 3) },
        { segment: 2, z: 2, pixels: P(3, 4) },
      ],
    });
    const seg = await importDicomSeg(bytes, 'syn.dcm', target);
    expect(seg.segments.map((s) => [s.segmentNumber, s.label, s.layer, s.voxelCount])).toEqual([
      [1, 'liver', 0, 5],
      [2, 'tumour', 1, 2],
    ]);
    expect(Array.from(seg.layers[0])).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, ...P(), 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(seg.layers[1])).toEqual([...P(), ...P(), 0, 0, 0, 2, 2, 0, 0, 0, 0]);
    expect(seg.source.mappingNotes.join('\n')).toContain('2 by ReferencedSOPInstanceUID, 1 by ImagePositionPatient');
  });

  it('non-overlapping segments share one layer', async () => {
    const bytes = makeSeg({
      segments: [
        [1, 'a'],
        [2, 'b'],
      ],
      frames: [
        { segment: 1, z: 1, pixels: P(0) },
        { segment: 2, z: 1, pixels: P(1) },
      ],
    });
    const seg = await importDicomSeg(bytes, 'two.dcm', target);
    expect(seg.layers).toHaveLength(1);
    expect(Array.from(seg.layers[0].subarray(9, 18))).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('multi-frame source reference (UID + ReferencedFrameNumber) without positions', async () => {
    const mf: TargetGrid = { ...target, sopInstanceUidsByK: [1, 2, 3].map((f) => sliceKey('1.2.826.0.1.50', f)) };
    const bytes = makeSeg({ segments: [[1, 'x']], frames: [{ segment: 1, ref: '1.2.826.0.1.50', refFrame: 3, pixels: P(4) }] });
    const seg = await importDicomSeg(bytes, 'mf.dcm', mf);
    expect(Array.from(seg.layers[0]).indexOf(1)).toBe(18 + 4);
  });

  it('Label Map SEG, 16-bit values; value not in the SegmentSequence -> error', async () => {
    const ok = makeSeg({
      type: 'LABELMAP',
      bits: 16,
      segments: [
        [0, 'Background'],
        [300, 'remnant'],
        [7, 'tumour'],
      ],
      frames: [{ z: 0, pixels: [300, 300, 7, 0, 0, 0, 0, 0, 300] }],
    });
    const seg = await importDicomSeg(ok, 'lm.dcm', target);
    expect(seg.layers[0]).toBeInstanceOf(Uint16Array);
    expect(seg.segments.map((s) => [s.segmentNumber, s.voxelCount])).toEqual([
      [300, 3],
      [7, 1],
    ]);
    const bad = makeSeg({ type: 'LABELMAP', segments: [[1, 'a']], frames: [{ z: 0, pixels: [1, 2, 0, 0, 0, 0, 0, 0, 0] }] });
    await expect(importDicomSeg(bad, 'lm-bad.dcm', target)).rejects.toThrow(/^lm-bad\.dcm frame 1: pixel value 2 is not a SegmentNumber/);
  });

  it('empty SEG: no segments, or no frames -> clear errors', async () => {
    await expect(importDicomSeg(makeSeg({ segments: [], frames: [{ z: 0, pixels: P(1) }] }), 'noseg.dcm', target)).rejects.toThrow(
      'noseg.dcm: DICOM SEG is empty: its SegmentSequence defines no segments',
    );
    await expect(importDicomSeg(makeSeg({ segments: [[1, 'a']], frames: [] }), 'noframes.dcm', target)).rejects.toThrow(/^noframes\.dcm: DICOM SEG is empty: it has no frames/);
  });

  it('frame outside the series, referenced series mismatch, not a SEG -> clear errors', async () => {
    await expect(importDicomSeg(makeSeg({ segments: [[1, 'a']], frames: [{ segment: 1, z: 7, pixels: P(1) }] }), 'far.dcm', target)).rejects.toThrow(
      /^far\.dcm frame 1: position LPS \(0\.000, 0\.000, 7\.000\) lies outside the target series \(slice index 7\.000 of 0\.\.2\)/,
    );
    await expect(importDicomSeg(makeSeg({ segments: [[1, 'a']], frames: [{ segment: 1, z: 0, pixels: P(1) }], referencedSeries: '1.2.826.0.1.77' }), 'other.dcm', target)).rejects.toThrow(
      'other.dcm: DICOM SEG references series 1.2.826.0.1.77, not the target series 1.2.826.0.1.2',
    );
    await expect(importDicomSeg(makeSeg({ segments: [[1, 'a']], frames: [{ segment: 1, z: 0, pixels: P(1) }], sopClass: '1.2.840.10008.5.1.4.1.1.2' }), 'ct.dcm', target)).rejects.toThrow(
      /^ct\.dcm: not a DICOM Segmentation \(SOP Class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2;/,
    );
    await expect(importDicomSeg(new Uint8Array(10), 'junk.dcm', target)).rejects.toThrow(/^junk\.dcm: not a readable DICOM file/);
  });

  it('Deflated Explicit VR Little Endian (whole dataset deflated) decodes like the plain file', async () => {
    const plain = makeSeg({ segments: [[1, 'a']], frames: [{ segment: 1, z: 1, pixels: P(2, 6) }] });
    const deflated = toDeflatedTransferSyntax(plain);
    expect(deflated.length).not.toBe(plain.length);
    const seg = await importDicomSeg(deflated, 'deflated.dcm', target);
    expect(seg.source.mappingNotes[0]).toContain('Deflated Explicit VR Little Endian');
    expect(Array.from(seg.layers[0])).toEqual(Array.from((await importDicomSeg(plain, 'plain.dcm', target)).layers[0]));
    expect(seg.segments[0].voxelCount).toBe(2);
  });

  it('importLabelFile detects the format from the bytes', async () => {
    const seg = await importLabelFile(makeSeg({ segments: [[1, 'a']], frames: [{ segment: 1, z: 0, pixels: P(1) }] }), 'noext', target);
    expect(seg.source.format).toBe('dicom-seg');
    await expect(importLabelFile(new Uint8Array(200), 'x.txt', target)).rejects.toThrow(/^x\.txt: not a recognised label file/);
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../node/test-data.ts';
import { parseDicomHeader, walkEncapsulatedFragments } from './header.ts';
import type { DicomInstanceHeader, HeaderParseResult } from './header.ts';

const data = sharedDataPath();
const pyd = join(data, 'pydicom-testfiles/test_files');

function load(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function ok(r: HeaderParseResult): DicomInstanceHeader {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.header;
}

/** Read like the scanner: a prefix, growing as the parser asks. */
function parseWithPrefix(bytes: Uint8Array, firstChunk: number): HeaderParseResult {
  let n = Math.min(firstChunk, bytes.length);
  for (;;) {
    const r = parseDicomHeader(bytes.subarray(0, n), { fileSizeBytes: bytes.length });
    if (r.ok || r.code !== 'need-more-bytes') return r;
    expect(r.neededBytes).toBeGreaterThan(n);
    n = Math.min(bytes.length, Math.max(r.neededBytes ?? 0, n * 2));
  }
}

describe('parseDicomHeader on real files', () => {
  it('reads the same MR geometry from explicit LE, implicit LE and explicit BE encodings', () => {
    const headers = ['MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm'].map((f) => ok(parseDicomHeader(load(join(pyd, f)))));
    const [le, ile, be] = headers;
    expect(le?.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(ile?.transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(be?.transferSyntaxUid).toBe('1.2.840.10008.1.2.2');
    for (const h of headers) {
      expect(h.rows).toBe(64);
      expect(h.columns).toBe(64);
      expect(h.bitsAllocated).toBe(16);
      expect(h.imagePositionPatient).toEqual(le?.imagePositionPatient);
      expect(h.imageOrientationPatient).toEqual(le?.imageOrientationPatient);
      expect(h.pixelSpacingMm).toEqual(le?.pixelSpacingMm);
      expect(h.sopInstanceUid).toBe(le?.sopInstanceUid);
      expect(h.pixelData?.valueLengthBytes).toBe(64 * 64 * 2);
    }
  });

  it('matches dcmdump for a TCIA CT slice and locates its pixel data', () => {
    const dir = join(data, 'tcia-hcc048/HCC048_portal_venous');
    const file = join(dir, '00000001.dcm');
    const bytes = load(file);
    const h = ok(parseWithPrefix(bytes, 4096));
    // Independent oracle: DCMTK's dcmdump.
    const dump = spawnSync('dcmdump', ['+P', 'ImagePositionPatient', file], { encoding: 'utf8' }).stdout;
    const ipp = /\[([^\]]+)\]/u.exec(dump)?.[1]?.split('\\').map(Number);
    expect(ipp).toHaveLength(3);
    expect(h.imagePositionPatient).toEqual(ipp);
    expect(h.modality).toBe('CT');
    expect(h.rows).toBe(512);
    expect(h.pixelSpacingMm?.[0]).toBeCloseTo(0.703, 3);
    expect(h.sliceThicknessMm).toBe(2.5);
    expect(h.pixelData?.encapsulated).toBe(false);
    expect(h.pixelData?.valueLengthBytes).toBe(512 * 512 * 2);
    // Pixel data is the last element: it ends at the end of the file.
    expect((h.pixelData?.valueOffsetBytes ?? 0) + 512 * 512 * 2).toBe(bytes.length);
    expect(h.rescaleSlope).toBe(1);
    expect(h.imagePositionPatient).toHaveLength(3);
  });

  it('inflates the deflated transfer syntax', () => {
    const r = parseDicomHeader(load(join(pyd, 'image_dfl.dcm')));
    const h = ok(r);
    expect(h.deflated).toBe(true);
    expect(h.pixelData?.inDeflatedStream).toBe(true);
    expect(r.ok && r.inflatedDataset?.length).toBe((h.pixelData?.valueOffsetBytes ?? 0) + (h.pixelData?.valueLengthBytes ?? 0));
    expect(h.pixelData?.valueLengthBytes).toBe(512 * 512);
  });

  it('reads per-frame positions of an Enhanced CT and walks its fragments', () => {
    const path = join(data, 'dicomparser-testimages/testImages/encapsulated/multi-frame/CT0012.fragmented_no_bot_jpeg_ls.80.dcm');
    const bytes = load(path);
    const h = ok(parseDicomHeader(bytes));
    expect(h.numberOfFrames).toBe(2);
    expect(h.frames).toHaveLength(2);
    expect(h.frames[0]?.positionLPS).toHaveLength(3);
    expect(h.frames[0]?.orientationLPS).toHaveLength(6);
    expect(h.frames[0]?.pixelSpacingMm).toHaveLength(2);
    expect(h.frames[0]?.positionLPS).not.toEqual(h.frames[1]?.positionLPS);
    expect(h.encapsulated).toBe(true);
    const frags = walkEncapsulatedFragments((o, l) => bytes.subarray(o, o + l), h.pixelData?.valueOffsetBytes ?? 0, bytes.length);
    expect(frags.ok).toBe(true);
    if (frags.ok) expect(frags.fragments.length).toBeGreaterThan(2);
    const cut = walkEncapsulatedFragments((o, l) => bytes.subarray(o, o + l), h.pixelData?.valueOffsetBytes ?? 0, bytes.length - 100);
    expect(cut.ok).toBe(false);
  });

  it('links a SEG to its referenced series and segments', () => {
    const seg = ok(parseDicomHeader(load(join(data, 'dcmqi/data/segmentations/liver.dcm'))));
    const ct = ok(parseDicomHeader(load(join(data, 'dcmqi/data/segmentations/ct-3slice/01.dcm'))));
    expect(seg.sopCategory).toBe('segmentation');
    expect(seg.referencedSeriesUids).toContain(ct.seriesInstanceUid);
    expect(seg.segments.map((s) => s.label)).toContain('Liver');
    expect(seg.frames.every((f) => f.referencedSegmentNumber === 1)).toBe(true);
  });

  it('reads DICOMDIR records, including the implicit and big-endian variants', () => {
    for (const f of ['DICOMDIR', 'DICOMDIR-implicit', 'DICOMDIR-bigEnd', 'DICOMDIR-nooffset']) {
      const h = ok(parseDicomHeader(load(join(pyd, 'dicomdirtests', f))));
      expect(h.sopCategory).toBe('media-directory');
      const images = (h.directoryRecords ?? []).filter((r) => r.type === 'IMAGE');
      expect(images.length).toBeGreaterThan(10);
      expect(images[0]?.referencedFileId.length).toBe(3);
    }
  });

  it('reports anthropometrics and identifying fields', () => {
    const h = ok(parseDicomHeader(load(join(pyd, 'CT_small.dcm'))));
    expect(h.deidentification.identifyingFieldsPresent).toContain('PatientName');
    expect(h.anthropometrics.patientSex).toBeDefined();
  });
});

describe('character sets', () => {
  /** A real file with its PatientName bytes (every occurrence) replaced in place (same length, so every other byte stays). */
  function withName(file: string, oldName: string, newValue: Uint8Array): Uint8Array {
    const bytes = new Uint8Array(load(file));
    expect(newValue.length).toBe(oldName.length);
    let replaced = 0;
    for (let at = Buffer.from(bytes).indexOf(oldName, 0, 'latin1'); at >= 0; at = Buffer.from(bytes).indexOf(oldName, at + 1, 'latin1')) {
      bytes.set(newValue, at);
      replaced++;
    }
    expect(replaced).toBeGreaterThan(0);
    return bytes;
  }
  const dcmdumpName = (bytes: Uint8Array, name: string): string => {
    const file = join(os.tmpdir(), `remnant-charset-${process.pid}-${name}`);
    writeFileSync(file, bytes);
    return /\(0010,0010\) PN \[([^\]]*)\]/.exec(spawnSync('dcmdump', ['+U8', '+P', '0010,0010', file], { encoding: 'utf8' }).stdout)?.[1] ?? '';
  };

  it('decodes PatientName as UTF-8 under ISO_IR 192 (pydicom SC_rgb.dcm, name replaced), as dcmdump +U8 does', () => {
    const bytes = withName(join(data, 'pydicom-data/data_store/data/SC_rgb.dcm'), 'Lestrade^G', Buffer.from('Łódź^Ω', 'utf8'));
    const h = ok(parseDicomHeader(bytes));
    expect(h.specificCharacterSet).toEqual(['ISO_IR 192']);
    expect(h.patientName).toBe('Łódź^Ω');
    expect(dcmdumpName(bytes, 'utf8.dcm')).toBe('Łódź^Ω');
    expect(h.warnings.join('\n')).not.toMatch(/SpecificCharacterSet/);
  });

  it('decodes PatientName as Latin-1 under ISO_IR 100 (pydicom reportsi.dcm, name replaced)', () => {
    const bytes = withName(join(pyd, 'reportsi.dcm'), 'Last Name^First Name', Buffer.from('Hoëlscher^Jürgen    ', 'latin1'));
    const h = ok(parseDicomHeader(bytes));
    expect(h.specificCharacterSet).toEqual(['ISO_IR 100']);
    expect(h.patientName).toBe('Hoëlscher^Jürgen');
    expect(dcmdumpName(bytes, 'latin1.dcm')).toBe('Hoëlscher^Jürgen');
  });

  it('reads an unsupported character set (ISO 2022 IR 13 / IR 87) as Latin-1 with a warning naming it', () => {
    const h = ok(parseDicomHeader(load(join(pyd, 'J2K_pixelrep_mismatch.dcm'))));
    expect(h.patientName).toBe('JXD191021006');
    expect(h.warnings).toContain('SpecificCharacterSet "ISO 2022 IR 13\\ISO 2022 IR 87" is not supported; text values read as Latin-1 (names and descriptions may show wrong characters)');
  });
});

describe('parseDicomHeader failures', () => {
  it('names truncated pixel data and truncated sequences', () => {
    const r = parseDicomHeader(load(join(pyd, 'MR_truncated.dcm')));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('truncated');
      expect(r.message).toMatch(/Pixel Data/u);
    }
    const plan = parseDicomHeader(load(join(pyd, 'rtplan_truncated.dcm')));
    expect(plan.ok ? 'ok' : plan.code).toBe('truncated');
  });

  it('rejects empty files, random bytes and text', () => {
    expect(parseDicomHeader(new Uint8Array(0))).toMatchObject({ ok: false, code: 'empty' });
    let seed = 7;
    const random = new Uint8Array(5000).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expect(parseDicomHeader(random)).toMatchObject({ ok: false, code: 'not-dicom' });
    expect(parseDicomHeader(new Uint8Array([...'hello world, not dicom at all'].map((c) => c.charCodeAt(0))))).toMatchObject({ ok: false, code: 'not-dicom' });
  });

  it('reports an oversized length field as truncation without allocating', () => {
    const bytes = load(join(pyd, 'CT_small.dcm')).slice();
    const h = ok(parseDicomHeader(bytes));
    // Corrupt the Pixel Data length (4 bytes before the value) to 0xFFFFFFF0.
    new DataView(bytes.buffer).setUint32((h.pixelData?.valueOffsetBytes ?? 0) - 4, 0xfffffff0, true);
    expect(parseDicomHeader(bytes)).toMatchObject({ ok: false, code: 'truncated' });
  });

  it('caps deflated datasets (deflate bomb) and reports corrupt deflate streams', () => {
    const orig = load(join(pyd, 'image_dfl.dcm'));
    const h = ok(parseDicomHeader(orig));
    // The deflated stream starts right after the meta group; find it by re-parsing the meta end.
    const metaEnd = findMetaEnd(orig);
    const bomb = new Uint8Array(64 << 20); // 64 MiB of zeros compresses to ~64 KiB.
    const compressed = deflateSync(bomb, { level: 9 });
    const file = concat(orig.subarray(0, metaEnd), compressed);
    expect(parseDicomHeader(file, { maxInflatedBytes: 8 << 20 })).toMatchObject({ ok: false, code: 'deflate-too-large' });
    const corrupt = concat(orig.subarray(0, metaEnd), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]));
    expect(parseDicomHeader(corrupt)).toMatchObject({ ok: false, code: 'deflate-failed' });
    expect(h.deflated).toBe(true);
  });

  it('asks for more bytes on a short prefix and gets the same header as a whole read', () => {
    const bytes = load(join(data, 'dcmqi/data/segmentations/liver.dcm'));
    const whole = ok(parseDicomHeader(bytes));
    const viaPrefix = ok(parseWithPrefix(bytes, 200));
    expect(viaPrefix.frames).toEqual(whole.frames);
    expect(viaPrefix.pixelData).toEqual(whole.pixelData);
  });

  it('never throws on any truncation of a real file', () => {
    const bytes = load(join(pyd, 'liver_1frame.dcm'));
    const codes = new Set<string>();
    for (let cut = 0; cut < bytes.length; cut += 97) {
      const r = parseDicomHeader(bytes.subarray(0, cut));
      codes.add(r.ok ? 'ok' : r.code);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
    expect(codes.has('truncated')).toBe(true);
    expect(codes.has('ok')).toBe(false);
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** End of the File Meta group: 132 + (0002,0000) group length + its own 12 bytes. */
function findMetaEnd(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return 132 + 12 + view.getUint32(132 + 8, true);
}

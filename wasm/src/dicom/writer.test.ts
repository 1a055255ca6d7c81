import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { el, encodeDataset, formatDS, formatIS, writeDicomPart10, type DicomElement } from './writer.ts';
import { uidFromParts } from './uid.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-dicom-writer-'));

function write(bytes: Uint8Array, name: string): string {
  writeFileSync(path.join(tmp, name), bytes);
  return name;
}

function dump(bytes: Uint8Array, name: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return execFileSync('dcmdump', ['-M', file], { encoding: 'utf8' });
}

const minimal = (extra: DicomElement[] = []): DicomElement[] => [
  el(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
  el(0x00080018, 'UI', uidFromParts('writer-test', extra.length)),
  ...extra,
];

describe('formatDS / formatIS', () => {
  it('keeps exact short values and fits long ones into 16 characters', () => {
    expect(formatDS(-1024)).toBe('-1024');
    expect(formatDS(0.5)).toBe('0.5');
    expect(formatDS(-0)).toBe('0');
    for (const x of [1 / 3, -2 / 3, Math.PI * 1e5, 1e21 / 7, 1.234567e-12, -9.87654321e-9, 123456789.123456789]) {
      const s = formatDS(x);
      expect(s.length).toBeLessThanOrEqual(16);
      expect(Math.abs(Number(s) - x) / Math.abs(x)).toBeLessThan(1e-9);
    }
    expect(() => formatDS(Number.NaN, 'PixelSpacing')).toThrow(/PixelSpacing.*NaN/);
  });

  it('accepts only 32-bit integers for IS', () => {
    expect(formatIS(-2147483648)).toBe('-2147483648');
    expect(() => formatIS(1.5)).toThrow(/not a signed 32-bit integer/);
    expect(() => formatIS(2 ** 31)).toThrow(/not a signed 32-bit integer/);
  });
});

describe('encodeDataset', () => {
  it('sorts by tag and pads each VR with its own padding byte', () => {
    const bytes = encodeDataset([
      el(0x00100010, 'PN', 'ABC'), // odd: space padded
      el(0x00080018, 'UI', '1.2.3'), // odd: NUL padded
      el(0x00091001, 'OB', new Uint8Array([7, 8, 9])), // odd: NUL padded
    ]);
    const dv = new DataView(bytes.buffer);
    // First element is (0008,0018) UI, length 6, "1.2.3\0"
    expect([dv.getUint16(0, true), dv.getUint16(2, true)]).toEqual([0x0008, 0x0018]);
    expect(String.fromCharCode(bytes[4]!, bytes[5]!)).toBe('UI');
    expect(dv.getUint16(6, true)).toBe(6);
    expect(bytes[8 + 5]).toBe(0);
    // Then (0009,1001) OB with 4-byte length 4 and a NUL pad
    const o = 14;
    expect([dv.getUint16(o, true), dv.getUint16(o + 2, true)]).toEqual([0x0009, 0x1001]);
    expect(dv.getUint32(o + 8, true)).toBe(4);
    expect(Array.from(bytes.subarray(o + 12, o + 16))).toEqual([7, 8, 9, 0]);
    // Then (0010,0010) PN "ABC "
    const p = o + 16;
    expect(dv.getUint16(p + 6, true)).toBe(4);
    expect(String.fromCharCode(...bytes.subarray(p + 8, p + 12))).toBe('ABC ');
    expect(bytes.length).toBe(p + 12);
  });

  it('rejects duplicate tags and invalid values, naming the tag', () => {
    expect(() => encodeDataset([el(0x00100010, 'PN', 'A'), el(0x00100010, 'PN', 'B')])).toThrow(/\(0010,0010\) is given twice/);
    expect(() => encodeDataset([el(0x0020000d, 'UI', '1.2.03')])).toThrow(/\(0020,000D\) UI.*not a valid UID/);
    expect(() => encodeDataset([el(0x00080060, 'CS', 'ct')])).toThrow(/\(0008,0060\) CS/);
    expect(() => encodeDataset([el(0x00080050, 'SH', 'x'.repeat(17))])).toThrow(/17 characters, the VR allows 16/);
    expect(() => encodeDataset([el(0x00280010, 'US', 70000)])).toThrow(/\(0028,0010\) US: value 70000/);
    expect(() => encodeDataset([el(0x00200013, 'IS', 2.5)])).toThrow(/\(0020,0013\) IS/);
    expect(() => encodeDataset([el(0x00080060, 'CS', 'ÇT')])).toThrow(/\(0008,0060\) CS: non-ASCII .*default character repertoire/);
    expect(() => encodeDataset([el(0x00100010, 'PN', 'x\ud800y')])).toThrow(/\(0010,0010\) PN.*lone surrogate/);
  });
});

describe('character sets', () => {
  const text = (bytes: Uint8Array, from: number, length: number): number[] => Array.from(bytes.subarray(from, from + length));
  /** Offset and length of the first element with this tag in an Explicit VR LE stream without sequences. */
  const find = (bytes: Uint8Array, t: number): { at: number; length: number } => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let o = 0; o + 8 <= bytes.length;) {
      const tagHere = ((dv.getUint16(o, true) << 16) | dv.getUint16(o + 2, true)) >>> 0;
      const length = dv.getUint16(o + 6, true);
      if (tagHere === t) return { at: o + 8, length };
      o += 8 + length;
    }
    throw new Error('tag not found');
  };

  it('adds ISO_IR 192 when a text element is non-ASCII, pads after UTF-8 encoding and counts bytes', () => {
    const bytes = encodeDataset([el(0x00100010, 'PN', 'Müller^Jo')]);
    expect(String.fromCharCode(...text(bytes, find(bytes, 0x00080005).at, 10))).toBe('ISO_IR 192');
    const pn = find(bytes, 0x00100010);
    // "Müller^Jo" is 9 characters, 10 UTF-8 bytes: even already, so no pad.
    expect(pn.length).toBe(10);
    expect(text(bytes, pn.at, 3)).toEqual([0x4d, 0xc3, 0xbc]);
    const odd = encodeDataset([el(0x00100010, 'PN', 'Ødegård')]);
    const o = find(odd, 0x00100010);
    expect(o.length).toBe(10); // 9 bytes + one space
    expect(odd[o.at + 9]).toBe(0x20);
  });

  it('leaves an all-ASCII dataset without (0008,0005) and finds non-ASCII text inside sequences', () => {
    expect(() => find(encodeDataset([el(0x00100010, 'PN', 'DOE^JANE')]), 0x00080005)).toThrow(/not found/);
    const nested = writeDicomPart10(minimal([el(0x0040a043, 'SQ', [[el(0x00080100, 'SH', 'm2'), el(0x00080102, 'SH', 'UCUM'), el(0x00080104, 'LO', 'm²')]])]));
    const out = execFileSync('dcmdump', ['+U8', '-M', path.join(tmp, write(nested, 'nested-utf8.dcm'))], { encoding: 'utf8' });
    // (+U8 would show ISO_IR 192 for any file it converts: the raw dump tells whether the writer added it.)
    expect(dump(nested, 'nested-raw.dcm')).toMatch(/\(0008,0005\) CS \[ISO_IR 192\]/);
    expect(out).toMatch(/\(0008,0104\) LO \[m²\]/);
  });

  it('uses the caller\'s SpecificCharacterSet and refuses text it cannot hold or sets it does not know', () => {
    const latin = encodeDataset([el(0x00080005, 'CS', 'ISO_IR 100'), el(0x00100010, 'PN', 'Hoëlscher')]);
    const pn = find(latin, 0x00100010);
    expect(pn.length).toBe(10); // 9 Latin-1 bytes + pad
    expect(latin[pn.at + 2]).toBe(0xeb);
    expect(() => encodeDataset([el(0x00080005, 'CS', 'ISO_IR 100'), el(0x00100010, 'PN', 'Łukasz')])).toThrow(/\(0010,0010\) PN: character "Ł" .* not in ISO_IR 100/);
    expect(() => encodeDataset([el(0x00080005, 'CS', 'ISO_IR 6'), el(0x00100010, 'PN', 'Müller')])).toThrow(/not in the default character repertoire/);
    expect(() => encodeDataset([el(0x00080005, 'CS', ['', 'ISO 2022 IR 87']), el(0x00100010, 'PN', 'A')])).toThrow(/"\\ISO 2022 IR 87" is not supported/);
    // An item's own declaration applies inside it.
    const item = encodeDataset([el(0x00081140, 'SQ', [[el(0x00080005, 'CS', 'ISO_IR 100'), el(0x00100010, 'PN', 'Jürgen')]])]);
    expect(Array.from(item.subarray(0, 4))).toEqual([0x08, 0x00, 0x40, 0x11]); // first top-level element: the SQ, no (0008,0005)
    expect(Array.from(item).includes(0xfc)).toBe(true); // "ü" in Latin-1
  });

  it('counts VR maximum lengths in characters, not bytes', () => {
    expect(() => encodeDataset([el(0x00080050, 'SH', 'ü'.repeat(16))])).not.toThrow();
    expect(() => encodeDataset([el(0x00080050, 'SH', 'ü'.repeat(17))])).toThrow(/17 characters, the VR allows 16/);
  });
});

describe('writeDicomPart10', () => {
  it('writes preamble, DICM and a meta group whose length is right; dcmdump reads every VR back', () => {
    const nested: DicomElement[] = [
      el(0x00081150, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
      el(0x00081155, 'UI', '1.2.3.4.5'),
      el(0x00089215, 'SQ', [[el(0x00080100, 'SH', 'CODE1'), el(0x00080102, 'SH', 'DCM'), el(0x00080104, 'LO', 'Meaning')]]),
    ];
    const ds = minimal([
      el(0x00080005, 'CS', 'ISO_IR 100'),
      el(0x00080008, 'CS', ['DERIVED', 'PRIMARY']),
      el(0x00080020, 'DA', '20240102'),
      el(0x00080030, 'TM', '101530.5'),
      el(0x0008002a, 'DT', '20240102101530'),
      el(0x00080050, 'SH', null),
      el(0x00080054, 'AE', 'REMNANT'),
      el(0x00081140, 'SQ', [nested, nested.slice(0, 2)]),
      el(0x00100010, 'PN', 'DOE^JANE'),
      el(0x00101010, 'AS', '054Y'),
      el(0x00101030, 'DS', 72.5),
      el(0x00104000, 'LT', 'line with \\ backslash'),
      el(0x00200013, 'IS', 7),
      el(0x00200032, 'DS', [-100.25, 1 / 3, 12]),
      el(0x00204000, 'LT', 'comment'),
      el(0x00280010, 'US', [512]),
      el(0x00289503, 'SS', [-5, 7]),
      el(0x00209157, 'UL', new Uint32Array([1, 2])),
      el(0x00189327, 'FD', 1.5),
      el(0x00189311, 'FL', [0.25]),
      el(0x00400254, 'LO', 'x'),
      el(0x00700084, 'PN', 'ROE^J'),
      el(0x00720066, 'UT', 'unlimited text'),
      el(0x00460044, 'ST', 'short text'),
      el(0x00191010, 'UN', new Uint8Array([1, 2, 3])),
      el(0x7fe00010, 'OW', new Int16Array([-1, 2, 3, 4])),
    ]);
    const bytes = writeDicomPart10(ds);
    expect(Array.from(bytes.subarray(0, 128)).every((b) => b === 0)).toBe(true);
    expect(String.fromCharCode(...bytes.subarray(128, 132))).toBe('DICM');
    const dv = new DataView(bytes.buffer);
    const groupLength = dv.getUint32(132 + 8, true);
    // The first dataset element (0008,0005) starts right after the meta group.
    const datasetStart = 132 + 12 + groupLength;
    expect([dv.getUint16(datasetStart, true), dv.getUint16(datasetStart + 2, true)]).toEqual([0x0008, 0x0005]);

    const text = dump(bytes, 'all-vrs.dcm');
    expect(text).toMatch(/\(0002,0010\) UI =LittleEndianExplicit/);
    expect(text).toMatch(/\(0008,0008\) CS \[DERIVED\\PRIMARY\]/);
    expect(text).toMatch(/\(0020,0032\) DS \[-100\.25\\0\.3333333333333\d*\\12\]/);
    expect(text).toMatch(/\(0028,9503\) SS -5\\7/);
    expect(text).toMatch(/\(0020,9157\) UL 1\\2/);
    expect(text).toMatch(/\(0018,9327\) FD 1\.5/);
    expect(text).toMatch(/\(0010,4000\) LT \[line with \\ backslash\]/);
    expect(text).toMatch(/\(0008,0050\) SH \(no value available\)/);
    expect(text).toMatch(/\(7fe0,0010\) OW ffff\\0002\\0003\\0004/);
    // Nested sequence: the code item inside the first referenced item
    expect(text).toMatch(/\(0008,1140\) SQ .*\n.*\(fffe,e000\) na \(Item with explicit length #=3\)[\s\S]*\(0008,0100\) SH \[CODE1\]/);
    expect(text).not.toMatch(/error|warning/i);

    // An independent parser agrees on the nesting and values.
    const parsed = dicomParser.parseDicom(bytes);
    const items = parsed.elements['x00081140']!.items!;
    expect(items).toHaveLength(2);
    expect(items[0]!.dataSet!.elements['x00089215']!.items![0]!.dataSet!.string('x00080104')).toBe('Meaning');
    expect(items[1]!.dataSet!.string('x00081155')).toBe('1.2.3.4.5');
    expect(parsed.string('x00200013')).toBe('7');
    expect(parsed.int16('x00289503', 0)).toBe(-5);
  });

  it('requires the SOP class and instance UIDs and refuses group 0002 in the dataset', () => {
    expect(() => writeDicomPart10([el(0x00100010, 'PN', 'A')])).toThrow(/SOPClassUID \(0008,0016\) is missing/);
    expect(() => writeDicomPart10(minimal([el(0x00020010, 'UI', '1.2.840.10008.1.2')]))).toThrow(/\(0002,0010\) must not be in the dataset/);
  });
});

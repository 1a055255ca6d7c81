import { describe, expect, it } from 'vitest';
import { decodeRleFrame, unpackBits } from './rle.ts';

/** RLE frame: 64-byte header (segment count + offsets) followed by the PackBits segments. */
function rleFrame(segments: number[][]): Uint8Array {
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, i) => {
    view.setUint32(4 + 4 * i, offset, true);
    offset += s.length;
  });
  return Uint8Array.from([...header, ...segments.flat()]);
}

describe('DICOM RLE decoding', () => {
  it('PackBits: literal runs, replicate runs and the 128 no-op (PS3.5 G.3.1)', () => {
    // 2 literals (n=1), replicate 0x07 four times (n=-3 = 253), no-op, 1 literal.
    const seg = Uint8Array.from([1, 0xaa, 0xbb, 253, 0x07, 128, 0, 0xcc]);
    expect(Array.from(unpackBits(seg, 0, seg.length, 7, 't'))).toEqual([0xaa, 0xbb, 7, 7, 7, 7, 0xcc]);
    expect(() => unpackBits(seg, 0, seg.length, 9, 'short')).toThrow(/short: RLE segment decodes to 7 bytes, 9 expected/);
  });

  it('16-bit samples: segment 0 holds the high bytes, segment 1 the low bytes', () => {
    const frame = rleFrame([
      [2, 0x01, 0x00, 0xff],
      [2, 0x2c, 0x05, 0x00],
    ]);
    const out = decodeRleFrame(frame, 3, 2, 'f');
    expect(Array.from(new Uint16Array(out.buffer, out.byteOffset, 3))).toEqual([0x012c, 0x0005, 0xff00]);
  });

  it('1-bit frames: one segment of ceil(n/8) packed bytes; wrong segment count is an error', () => {
    const frame = rleFrame([[0xff, 0x0f]]); // replicate 0x0f twice
    expect(Array.from(decodeRleFrame(frame, 10, 0, 'b'))).toEqual([0x0f, 0x0f]);
    expect(() => decodeRleFrame(frame, 10, 2, 'b16')).toThrow(/b16: RLE frame has 1 segments, 2 expected/);
  });
});

import { describe, expect, it } from 'vitest';
import { allocateOutput, checkPixelLayout, copyStoredPixels, extractStoredBits } from './pixel-kernels.ts';

function le16(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2 + 1); // +1: force an odd source offset below
  values.forEach((v, i) => {
    b[1 + 2 * i] = v & 0xff;
    b[2 + 2 * i] = (v >> 8) & 0xff;
  });
  return b;
}

describe('copyStoredPixels', () => {
  it('copies little-endian 16-bit words from an unaligned offset', () => {
    const dst = new Int16Array(5);
    copyStoredPixels(le16([0x0001, 0xfc18, 0x7fff, 0x8000, 0x0400]), 1, dst, 1, 4, { bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1 }, false);
    expect(Array.from(dst)).toEqual([0, 1, -1000, 32767, -32768]);
  });

  it('byte-swaps big-endian words', () => {
    const src = new Uint8Array([0x01, 0x02, 0xff, 0xfe]);
    const dst = new Uint16Array(2);
    copyStoredPixels(src, 0, dst, 0, 2, { bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0 }, true);
    expect(Array.from(dst)).toEqual([0x0102, 0xfffe]);
  });

  it('masks bits above BitsStored (unsigned 12 of 16, overlay bits set)', () => {
    const dst = new Uint16Array(2);
    copyStoredPixels(le16([0xf123, 0x1fff]), 1, dst, 0, 2, { bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0 }, false);
    expect(Array.from(dst)).toEqual([0x123, 0xfff]);
  });

  it('sign-extends signed 12-bit values and honours a shifted HighBit', () => {
    const dst = new Int16Array(3);
    copyStoredPixels(le16([0x0800, 0x07ff, 0xafff]), 1, dst, 0, 3, { bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1 }, false);
    expect(Array.from(dst)).toEqual([-2048, 2047, -1]);
    const shifted = new Int16Array([0x8010 << 0]); // bits 15..4 hold 0x801 -> -2047
    extractStoredBits(shifted, 0, 1, { bitsAllocated: 16, bitsStored: 12, highBit: 15, pixelRepresentation: 1 });
    expect(shifted[0]).toBe(-2047);
  });

  it('refuses short sources with both byte counts', () => {
    expect(() => copyStoredPixels(new Uint8Array(5), 0, new Int16Array(4), 0, 4, { bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1 }, false)).toThrow(/5 bytes.*need 8/);
  });

  it('allocates the output type from the layout and validates layouts', () => {
    expect(allocateOutput({ bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1 }, 3)).toBeInstanceOf(Int16Array);
    expect(allocateOutput({ bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0 }, 3)).toBeInstanceOf(Uint8Array);
    expect(() => checkPixelLayout({ bitsAllocated: 12, bitsStored: 12, highBit: 11, pixelRepresentation: 0 }, 'x.dcm')).toThrow(/x\.dcm: BitsAllocated 12/);
    expect(() => checkPixelLayout({ bitsAllocated: 16, bitsStored: 12, highBit: 10, pixelRepresentation: 0 }, 'x.dcm')).toThrow(/HighBit/);
  });
});

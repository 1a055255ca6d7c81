import { describe, expect, it } from 'vitest';
import { decodeRleFrame } from './rle.ts';

/** Minimal PackBits encoder (test oracle): runs of >= 3 equal bytes replicated, the rest literal. */
function packBits(bytes: number[]): number[] {
  const out: number[] = [];
  let p = 0;
  while (p < bytes.length) {
    let run = 1;
    while (p + run < bytes.length && bytes[p + run] === bytes[p] && run < 128) run++;
    if (run >= 3) {
      out.push(257 - run, bytes[p]);
      p += run;
    } else {
      const start = p;
      while (p < bytes.length && p - start < 128) {
        if (p + 2 < bytes.length && bytes[p] === bytes[p + 1] && bytes[p] === bytes[p + 2]) break;
        p++;
      }
      out.push(p - start - 1, ...bytes.slice(start, p));
    }
  }
  if (out.length % 2) out.push(128); // even-length segment padded with a no-op
  return out;
}

function rleFrame16(values: number[]): Uint8Array {
  const hi = packBits(values.map((v) => (v >> 8) & 0xff));
  const lo = packBits(values.map((v) => v & 0xff));
  const frame = new Uint8Array(64 + hi.length + lo.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 64, true);
  view.setUint32(8, 64 + hi.length, true);
  frame.set(hi, 64);
  frame.set(lo, 64 + hi.length);
  return frame;
}

describe('decodeRleFrame', () => {
  const values = [0, 0, 0, 0, 0xfc18, 0xfc18, 1, 2, 3, 0x7fff, 0x8000, 0x8000, 0x8000, 0x8000, 5];

  it('decodes a 16-bit frame (high byte segment first) into native words at an offset', () => {
    const dst = new Int16Array(values.length + 2);
    decodeRleFrame(rleFrame16(values), dst, 2, values.length, 'a.dcm');
    expect(Array.from(dst.subarray(2))).toEqual(Array.from(new Int16Array(values)));
    expect(dst[0]).toBe(0);
  });

  it('refuses a frame whose segments decode to too few bytes, naming the file', () => {
    const frame = rleFrame16(values);
    expect(() => decodeRleFrame(frame, new Int16Array(values.length + 1), 0, values.length + 1, 'b.dcm')).toThrow(/b\.dcm: RLE segment 0 decodes to 15 bytes, expected 16/);
  });

  it('refuses a segment count that does not match the sample size', () => {
    const frame = rleFrame16(values);
    expect(() => decodeRleFrame(frame, new Uint8Array(values.length), 0, values.length, 'c.dcm')).toThrow(/c\.dcm: RLE frame has 2 segments, expected 1/);
  });
});

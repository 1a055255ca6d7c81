import { describe, expect, it } from 'vitest';
import { joinFragments, splitEncapsulatedFrames } from './encapsulated.ts';

function item(payload: number[]): number[] {
  const n = payload.length;
  return [0xfe, 0xff, 0x00, 0xe0, n & 0xff, (n >> 8) & 0xff, 0, 0, ...payload];
}
const END = [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];

describe('splitEncapsulatedFrames', () => {
  it('uses the Basic Offset Table to group fragments into frames', () => {
    // BOT: frame 0 at 0, frame 1 at 10 (two 2-byte fragments of frame 0 = 2 x (8+2) bytes... frame 1 starts at 20)
    const bot = [0, 0, 0, 0, 20, 0, 0, 0];
    const value = new Uint8Array([...item(bot), ...item([1, 2]), ...item([3, 4]), ...item([5, 6]), ...END]);
    const { frames } = splitEncapsulatedFrames(value, 2, 'x.dcm');
    expect(frames.map((f) => Array.from(joinFragments(f)))).toEqual([[1, 2, 3, 4], [5, 6]]);
  });

  it('maps one fragment per frame without a BOT, and refuses ambiguity and truncation', () => {
    const value = new Uint8Array([...item([]), ...item([1, 2]), ...item([3, 4]), ...END]);
    expect(splitEncapsulatedFrames(value, 2, 'x.dcm').frames.length).toBe(2);
    expect(() => splitEncapsulatedFrames(value, 3, 'y.dcm')).toThrow(/y\.dcm: 2 fragments for 3 frames/);
    expect(() => splitEncapsulatedFrames(value.subarray(0, value.length - 8), 2, 'z.dcm')).toThrow(/z\.dcm: .*truncated/);
  });
});

import { describe, expect, it } from 'vitest';
import { displayTypeFor, toDisplaySlice } from './display-slice.ts';

describe('display slices (modality LUT per slice)', () => {
  it('chooses int16 for integer rescale, float32 otherwise', () => {
    expect(displayTypeFor(1, -1024)).toBe('int16');
    expect(displayTypeFor(0.5, 0)).toBe('float32');
    expect(displayTypeFor(1, -1024.5)).toBe('float32');
  });

  it('converts CT stored values to HU in place (no second buffer)', () => {
    const stored = new Int16Array([0, 1024, 3071 + 1024, -1000]);
    const out = toDisplaySlice(stored, 1, -1024, 'int16');
    expect(out).toBeInstanceOf(Int16Array);
    expect([...out!]).toEqual([-1024, 0, 3071, -2024]);
    expect(out!.buffer).toBe(stored.buffer);
  });

  it('reinterprets unsigned 16-bit stored values in place when they fit', () => {
    const stored = new Uint16Array([0, 2000, 4095]);
    const out = toDisplaySlice(stored, 1, -1024, 'int16');
    expect([...out!]).toEqual([-1024, 976, 3071]);
    expect(out!.buffer).toBe(stored.buffer);
  });

  it('refuses (null, input untouched) an int16 result that would overflow', () => {
    const stored = new Uint16Array([0, 65535]);
    expect(toDisplaySlice(stored, 1, -1024, 'int16')).toBeNull();
    expect([...stored]).toEqual([0, 65535]);
    expect([...toDisplaySlice(stored, 1, -1024, 'float32')!]).toEqual([-1024, 64511]);
  });

  it('applies a real-valued rescale exactly in float32', () => {
    const out = toDisplaySlice(new Uint16Array([0, 1, 3]), 0.25, 10, 'float32');
    expect(out).toBeInstanceOf(Float32Array);
    expect([...out!]).toEqual([10, 10.25, 10.75]);
  });

  it('widens 8-bit stored values into a new int16 buffer', () => {
    const out = toDisplaySlice(new Uint8Array([0, 255]), 2, -100, 'int16');
    expect([...out!]).toEqual([-100, 410]);
  });
});

import { describe, expect, it } from 'vitest';
import { applyModalityLut } from './modality-lut.ts';

describe('applyModalityLut', () => {
  it('converts unsigned CT stored values to HU int16 in place', () => {
    const stored = Uint16Array.from([0, 1024, 1064, 4095]);
    const hu = applyModalityLut(stored, 1, -1024);
    expect(hu).toBeInstanceOf(Int16Array);
    expect(Array.from(hu)).toEqual([-1024, 0, 40, 3071]);
    expect(hu.buffer).toBe(stored.buffer);
  });
  it('falls back to float32 for a fractional slope', () => {
    const out = applyModalityLut(Int16Array.from([0, 3, -2]), 0.5, 1.25);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([1.25, 2.75, 0.25]);
  });
  it('falls back to float32 when the rescaled range overflows int16', () => {
    const out = applyModalityLut(Uint16Array.from([0, 65535]), 1, -1024);
    expect(Array.from(out)).toEqual([-1024, 64511]);
  });
});

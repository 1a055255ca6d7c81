/**
 * Stored values -> display values (modality LUT applied: HU for CT), one slice at a time, for the progressive viewer.
 *
 * The core keeps stored integers + rescale (value = stored * slope + intercept); Cornerstone's volume viewports expect
 * modality-LUT-applied values and apply only the VOI. The display type is chosen once per load from the first slice's
 * rescale: int16 when slope and intercept are integers (the usual CT case: 1 / -1024), else float32 (exact for any
 * 16-bit input with real-valued rescale). An int16 load whose slice does not fit int16 (e.g. full-range uint16 with an
 * intercept) is switched to float32 by the caller (`null` here), never clipped.
 */
import type { StoredPixelArray } from '../../../wasm/src/image/types.ts';

export type DisplayScalarType = 'int16' | 'float32';
export type DisplayScalars = Int16Array | Float32Array;

export function displayTypeFor(slope: number, intercept: number): DisplayScalarType {
  return Number.isInteger(slope) && Number.isInteger(intercept) ? 'int16' : 'float32';
}

/**
 * Convert one slice (or several consecutive ones). int16 output reuses a 16-bit stored buffer in place (each element is
 * read before it is written), so decoding allocates no second copy; returns null when an int16 result would overflow
 * (the input is then left untouched).
 */
export function toDisplaySlice(stored: StoredPixelArray, slope: number, intercept: number, type: DisplayScalarType): DisplayScalars | null {
  const n = stored.length;
  if (type === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = stored[i]! * slope + intercept;
    return out;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = stored[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n > 0) {
    const lo = Math.min(min * slope + intercept, max * slope + intercept);
    const hi = Math.max(min * slope + intercept, max * slope + intercept);
    if (lo < -32768 || hi > 32767) return null;
  }
  if (stored instanceof Int16Array && slope === 1 && intercept === 0) return stored;
  const out = stored.BYTES_PER_ELEMENT === 2 ? new Int16Array(stored.buffer, stored.byteOffset, n) : new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = stored[i]! * slope + intercept;
  return out;
}

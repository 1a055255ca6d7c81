/**
 * The core keeps stored values + rescale (value = stored * slope + intercept). Cornerstone's volume viewports expect
 * modality-LUT-applied values (HU for CT) in the volume scalars and apply VOI only. So the volume handed to
 * Cornerstone is converted ONCE, in the worker, before transfer:
 *  - integer slope/intercept whose rescaled range fits int16 (the usual CT case: slope 1, intercept -1024) ->
 *    Int16Array, rewritten IN PLACE over the stored buffer (same element size, so no second copy);
 *  - otherwise -> Float32Array (exact for any 16-bit input with real-valued rescale).
 */
import type { StoredPixelArray } from '../../../wasm/src/image/types.ts';

export type DisplayScalars = Int16Array | Float32Array;

export function applyModalityLut(stored: StoredPixelArray, slope: number, intercept: number): DisplayScalars {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (stored.length === 0) return new Int16Array(0);
  const lo = Math.min(min * slope + intercept, max * slope + intercept);
  const hi = Math.max(min * slope + intercept, max * slope + intercept);
  const integral = Number.isInteger(slope) && Number.isInteger(intercept);
  if (integral && lo >= -32768 && hi <= 32767 && stored.BYTES_PER_ELEMENT === 2) {
    const out = new Int16Array(stored.buffer, stored.byteOffset, stored.length);
    if (slope === 1 && intercept === 0 && stored instanceof Int16Array) return out;
    // Element i of `out` aliases element i of `stored`: each is read before being written.
    for (let i = 0; i < stored.length; i++) out[i] = stored[i] * slope + intercept;
    return out;
  }
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = stored[i] * slope + intercept;
  return out;
}

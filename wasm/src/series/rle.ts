/**
 * DICOM RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G) frame decoder, writing straight into the output volume.
 *
 * A frame = 64-byte header (uint32 LE segment count, 15 uint32 LE segment offsets) + PackBits segments.
 * For bitsAllocated = 8·B and one sample per pixel there are B segments, most significant byte first.
 * Decoded bytes go to the output array's native (platform) byte order.
 */
import { PLATFORM_LITTLE_ENDIAN } from './pixel-kernels.ts';
import type { OutputPixelArray } from './pixel-kernels.ts';

/**
 * Decode one RLE frame of `pixelCount` single-sample pixels into `dst` starting at element `dstOffset`.
 * Throws (naming `source`) on a malformed header, a segment overrunning the frame, or a segment decoding to the
 * wrong number of bytes (no silent zero-fill).
 */
export function decodeRleFrame(
  frame: Uint8Array,
  dst: OutputPixelArray,
  dstOffset: number,
  pixelCount: number,
  source: string,
): void {
  const bytesPerPixel = dst.BYTES_PER_ELEMENT;
  if (frame.length < 64) throw new Error(`${source}: RLE frame is ${frame.length} bytes, shorter than its 64-byte header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segmentCount = view.getUint32(0, true);
  if (segmentCount !== bytesPerPixel) {
    throw new Error(`${source}: RLE frame has ${segmentCount} segments, expected ${bytesPerPixel} (one per byte of a ${bytesPerPixel * 8}-bit sample, 1 sample per pixel)`);
  }
  if (dstOffset < 0 || dstOffset + pixelCount > dst.length) throw new Error(`${source}: RLE frame destination out of bounds`);
  const out = new Uint8Array(dst.buffer, dst.byteOffset + dstOffset * bytesPerPixel, pixelCount * bytesPerPixel);
  for (let s = 0; s < segmentCount; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segmentCount ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || end > frame.length || end < start) {
      throw new Error(`${source}: RLE segment ${s} spans bytes ${start}..${end} of a ${frame.length}-byte frame`);
    }
    // Segment s holds byte (bytesPerPixel-1-s) in little-endian numbering (s = 0 is the most significant byte).
    const byteIndexLE = bytesPerPixel - 1 - s;
    const byteIndex = PLATFORM_LITTLE_ENDIAN ? byteIndexLE : s;
    const written = unpackBits(frame, start, end, out, byteIndex, bytesPerPixel, pixelCount);
    if (written !== pixelCount) {
      throw new Error(`${source}: RLE segment ${s} decodes to ${written} bytes, expected ${pixelCount}`);
    }
  }
}

/**
 * PackBits-decode frame[start..end) into out[byteIndex + k*stride] for k < maxCount.
 * Returns the number of bytes produced (clamped at maxCount; encoders may pad a segment with one extra byte).
 */
function unpackBits(
  frame: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  byteIndex: number,
  stride: number,
  maxCount: number,
): number {
  let p = start;
  let k = 0;
  let o = byteIndex;
  while (p < end && k < maxCount) {
    const n = frame[p++];
    if (n < 128) {
      // literal run of n+1 bytes
      let run = n + 1;
      if (p + run > end) run = end - p;
      if (k + run > maxCount) run = maxCount - k;
      for (let r = 0; r < run; r++) {
        out[o] = frame[p + r];
        o += stride;
      }
      p += n + 1;
      k += run;
    } else if (n > 128) {
      // replicate next byte 257-n times
      if (p >= end) break;
      const value = frame[p++];
      let run = 257 - n;
      if (k + run > maxCount) run = maxCount - k;
      for (let r = 0; r < run; r++) {
        out[o] = value;
        o += stride;
      }
      k += run;
    }
    // n === 128: no-op
  }
  return k;
}

/**
 * Pixel copy kernels: stored DICOM pixel bytes -> one preallocated output array, no intermediate arrays.
 *
 * Semantics (same as GDCM / ITK): a stored value occupies bits [highBit-bitsStored+1 .. highBit] of each
 * bitsAllocated-bit word; the other bits (overlays, garbage) are discarded; with PixelRepresentation 1 the value is
 * two's complement in bitsStored bits and is sign-extended.
 */

export type OutputPixelArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface PixelLayout {
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
}

/** True when the platform stores multi-byte numbers little-endian (all current JS platforms in practice). */
export const PLATFORM_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Validate a pixel layout; throws naming `source`. */
export function checkPixelLayout(layout: PixelLayout, source: string): void {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = layout;
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) {
    throw new Error(`${source}: BitsAllocated ${bitsAllocated} is not supported (8, 16 or 32)`);
  }
  if (!(bitsStored >= 1 && bitsStored <= bitsAllocated)) {
    throw new Error(`${source}: BitsStored ${bitsStored} is invalid for BitsAllocated ${bitsAllocated}`);
  }
  if (!(highBit >= bitsStored - 1 && highBit < bitsAllocated)) {
    throw new Error(`${source}: HighBit ${highBit} is invalid for BitsStored ${bitsStored} / BitsAllocated ${bitsAllocated}`);
  }
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) {
    throw new Error(`${source}: PixelRepresentation ${pixelRepresentation} is invalid (0 or 1)`);
  }
}

/** The output array type for a pixel layout: width = bitsAllocated, signedness = pixelRepresentation. */
export function allocateOutput(layout: PixelLayout, count: number): OutputPixelArray {
  const signed = layout.pixelRepresentation === 1;
  switch (layout.bitsAllocated) {
    case 8:
      return signed ? new Int8Array(count) : new Uint8Array(count);
    case 16:
      return signed ? new Int16Array(count) : new Uint16Array(count);
    case 32:
      return signed ? new Int32Array(count) : new Uint32Array(count);
    default:
      throw new Error(`BitsAllocated ${layout.bitsAllocated} is not supported`);
  }
}

/**
 * Copy `count` stored pixels from `src` (starting at byte `srcByteOffset`) into `dst` at element `dstOffset`.
 * `bigEndian`: the source words are big-endian (Explicit VR Big Endian) and are byte-swapped.
 * Afterwards the stored-bit range is extracted (mask, shift, sign extension) if bitsStored < bitsAllocated or
 * highBit != bitsStored - 1.
 */
export function copyStoredPixels(
  src: Uint8Array,
  srcByteOffset: number,
  dst: OutputPixelArray,
  dstOffset: number,
  count: number,
  layout: PixelLayout,
  bigEndian: boolean,
): void {
  const bytesPerPixel = layout.bitsAllocated >> 3;
  if (dst.BYTES_PER_ELEMENT !== bytesPerPixel) {
    throw new Error(`copyStoredPixels: output has ${dst.BYTES_PER_ELEMENT}-byte elements, layout needs ${bytesPerPixel}`);
  }
  const byteLength = count * bytesPerPixel;
  if (srcByteOffset < 0 || srcByteOffset + byteLength > src.length) {
    throw new Error(`copyStoredPixels: source has ${src.length - srcByteOffset} bytes from offset ${srcByteOffset}, need ${byteLength}`);
  }
  if (dstOffset < 0 || dstOffset + count > dst.length) throw new Error('copyStoredPixels: destination range out of bounds');
  const dstBytes = new Uint8Array(dst.buffer, dst.byteOffset + dstOffset * bytesPerPixel, byteLength);
  // One memcpy (alignment-independent), then in-place fix-ups.
  dstBytes.set(src.subarray(srcByteOffset, srcByteOffset + byteLength));
  const swap = bytesPerPixel > 1 && bigEndian === PLATFORM_LITTLE_ENDIAN;
  if (swap) swapBytesInPlace(dstBytes, bytesPerPixel);
  extractStoredBits(dst, dstOffset, count, layout);
}

/** Reverse the byte order of each `wordBytes`-byte word (2 or 4) in place. */
export function swapBytesInPlace(bytes: Uint8Array, wordBytes: number): void {
  if (wordBytes === 2) {
    for (let p = 0; p + 1 < bytes.length; p += 2) {
      const a = bytes[p];
      bytes[p] = bytes[p + 1];
      bytes[p + 1] = a;
    }
  } else if (wordBytes === 4) {
    for (let p = 0; p + 3 < bytes.length; p += 4) {
      const a = bytes[p];
      const b = bytes[p + 1];
      bytes[p] = bytes[p + 3];
      bytes[p + 1] = bytes[p + 2];
      bytes[p + 2] = b;
      bytes[p + 3] = a;
    }
  } else if (wordBytes !== 1) {
    throw new Error(`swapBytesInPlace: word size ${wordBytes} not supported`);
  }
}

/** In place: keep bits [highBit-bitsStored+1 .. highBit], shift them down, sign-extend if signed. No-op for full words. */
export function extractStoredBits(dst: OutputPixelArray, offset: number, count: number, layout: PixelLayout): void {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = layout;
  const shift = highBit + 1 - bitsStored;
  if (bitsStored === bitsAllocated && shift === 0) return;
  const end = offset + count;
  if (bitsStored === 32) return; // only possible with shift 0, handled above
  const mask = bitsStored === 31 ? 0x7fffffff : (1 << bitsStored) - 1;
  if (pixelRepresentation === 1) {
    // Sign-extend from bitsStored bits: move the sign bit to bit 31, then arithmetic shift back.
    const up = 32 - bitsStored;
    for (let p = offset; p < end; p++) {
      const raw = (dst[p] >>> shift) & mask;
      dst[p] = (raw << up) >> up;
    }
  } else {
    for (let p = offset; p < end; p++) dst[p] = (dst[p] >>> shift) & mask;
  }
}

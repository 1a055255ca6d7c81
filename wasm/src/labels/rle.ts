/**
 * DICOM RLE Lossless (PS3.5 Annex G) decoding of one frame.
 * Header: uint32 LE segment count, then 15 uint32 LE segment offsets. Each segment is PackBits-encoded and holds
 * one byte plane (most significant byte first for multi-byte samples). 1-bit data is one plane of packed bits.
 */

/** Decodes one PackBits segment into exactly `length` bytes. */
export function unpackBits(data: Uint8Array, start: number, end: number, length: number, what: string): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  let p = start;
  while (o < length && p < end) {
    const n = data[p++];
    if (n < 128) {
      const count = n + 1;
      if (p + count > end) throw new Error(`${what}: RLE literal run overruns its segment`);
      const take = Math.min(count, length - o);
      out.set(data.subarray(p, p + take), o);
      o += take;
      p += count;
    } else if (n > 128) {
      const count = 257 - n;
      if (p >= end) throw new Error(`${what}: RLE replicate run overruns its segment`);
      const v = data[p++];
      const take = Math.min(count, length - o);
      out.fill(v, o, o + take);
      o += take;
    }
    // n === 128: no-op.
  }
  if (o < length) throw new Error(`${what}: RLE segment decodes to ${o} bytes, ${length} expected`);
  return out;
}

/**
 * Decodes an RLE frame to native little-endian bytes: pixelCount samples of bytesPerSample bytes
 * (bytesPerSample 0 means 1-bit data: ceil(pixelCount / 8) packed bytes).
 */
export function decodeRleFrame(frame: Uint8Array, pixelCount: number, bytesPerSample: number, what: string): Uint8Array {
  if (frame.length < 64) throw new Error(`${what}: RLE frame shorter than its 64-byte header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const planes = bytesPerSample === 0 ? 1 : bytesPerSample;
  if (segments !== planes) throw new Error(`${what}: RLE frame has ${segments} segments, ${planes} expected for this bit depth`);
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  const planeLength = bytesPerSample === 0 ? Math.ceil(pixelCount / 8) : pixelCount;
  const decoded = offsets.map((start, s) => {
    const end = s + 1 < segments ? offsets[s + 1] : frame.length;
    if (start < 64 || start > end || end > frame.length) throw new Error(`${what}: RLE segment ${s} offset ${start} is invalid`);
    return unpackBits(frame, start, end, planeLength, what);
  });
  if (planes === 1) return decoded[0];
  const out = new Uint8Array(pixelCount * planes);
  for (let p = 0; p < planes; p++) {
    const plane = decoded[planes - 1 - p]; // segment 0 = most significant byte; output little endian
    for (let i = 0; i < pixelCount; i++) out[i * planes + p] = plane[i];
  }
  return out;
}

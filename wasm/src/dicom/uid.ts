/**
 * Deterministic DICOM UIDs of the form "2.25.<decimal of a 128-bit UUID>" (PS3.5 B.2), derived from text.
 * The same input parts always give the same UID, so generated fixtures are reproducible.
 * The 128-bit value is a non-cryptographic hash (four 32-bit lanes, murmur3-style mixing) with the UUID version
 * nibble set to 8 (custom) and the RFC 4122 variant bits, so it is a well-formed UUID.
 */

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Four 32-bit hash lanes of a string (cyrb128-like). */
export function hash128(text: string): [number, number, number, number] {
  let h1 = 0x6a09e667, h2 = 0xbb67ae85, h3 = 0x3c6ef372, h4 = 0xa54ff53a;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [mix32(h1), mix32(h2 ^ text.length), mix32(h3), mix32(h4)];
}

/** A deterministic "2.25.<n>" UID from the given parts (joined with "/"). At most 44 characters. */
export function uidFromParts(...parts: Array<string | number>): string {
  const [a, b, c, d] = hash128(parts.map(String).join('/'));
  // UUID layout: time_hi_and_version is the top 16 bits of lane b's low half; variant in lane c's top bits.
  const bV = ((b & 0xffff0fff) | 0x00008000) >>> 0; // version nibble 8 (bits 12-15 of the third UUID field)
  const cV = ((c & 0x3fffffff) | 0x80000000) >>> 0; // variant 10xx
  const n = (BigInt(a) << 96n) | (BigInt(bV) << 64n) | (BigInt(cV) << 32n) | BigInt(d);
  return `2.25.${n.toString(10)}`;
}

/**
 * Encapsulated (compressed) Pixel Data: split the item sequence into frames (PS3.5 A.4).
 * Input: the bytes of the Pixel Data element VALUE (undefined length), i.e. starting at the Basic Offset Table item.
 * Items are always little-endian (FFFE,E000) with 32-bit lengths; the sequence ends at (FFFE,E0DD).
 */

export interface EncapsulatedFrames {
  /** One entry per frame: the frame's fragments (views into the input, no copy). */
  frames: Uint8Array[][];
  /** Byte length consumed, including the sequence delimiter. */
  consumedBytes: number;
}

const ITEM = 0xe000;
const SEQUENCE_DELIMITER = 0xe0dd;

/** Parse the fragments of an encapsulated Pixel Data value and group them into `frameCount` frames. */
export function splitEncapsulatedFrames(value: Uint8Array, frameCount: number, source: string): EncapsulatedFrames {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const items: { start: number; length: number; offset: number }[] = [];
  let p = 0;
  let ended = false;
  while (p + 8 <= value.length) {
    const group = view.getUint16(p, true);
    const element = view.getUint16(p + 2, true);
    const length = view.getUint32(p + 4, true);
    if (group !== 0xfffe) throw new Error(`${source}: encapsulated Pixel Data: expected an item tag at byte ${p}, found (${hex4(group)},${hex4(element)})`);
    if (element === SEQUENCE_DELIMITER) {
      p += 8;
      ended = true;
      break;
    }
    if (element !== ITEM) throw new Error(`${source}: encapsulated Pixel Data: unexpected tag (FFFE,${hex4(element)}) at byte ${p}`);
    if (length === 0xffffffff) throw new Error(`${source}: encapsulated Pixel Data: item with undefined length at byte ${p}`);
    if (p + 8 + length > value.length) {
      throw new Error(`${source}: encapsulated Pixel Data is truncated: item at byte ${p} declares ${length} bytes, only ${value.length - p - 8} present`);
    }
    items.push({ start: p + 8, length, offset: p });
    p += 8 + length;
  }
  if (!ended) throw new Error(`${source}: encapsulated Pixel Data is truncated: no sequence delimiter (FFFE,E0DD) after ${value.length} bytes`);
  if (items.length === 0) throw new Error(`${source}: encapsulated Pixel Data has no Basic Offset Table item`);
  const bot = items[0];
  const fragments = items.slice(1);
  if (fragments.length === 0) throw new Error(`${source}: encapsulated Pixel Data has no fragments`);
  const slice = (it: { start: number; length: number }): Uint8Array => value.subarray(it.start, it.start + it.length);

  let frames: Uint8Array[][];
  if (frameCount === 1) {
    frames = [fragments.map(slice)];
  } else if (bot.length >= 4 * frameCount) {
    // Basic Offset Table: byte offset of each frame's first item, relative to the first fragment item.
    const firstFragmentOffset = fragments[0].offset;
    const starts: number[] = [];
    for (let f = 0; f < frameCount; f++) starts.push(firstFragmentOffset + view.getUint32(bot.start + 4 * f, true));
    frames = starts.map((s, f) => {
      const e = f + 1 < frameCount ? starts[f + 1] : Number.POSITIVE_INFINITY;
      const its = fragments.filter((it) => it.offset >= s && it.offset < e);
      if (its.length === 0 || its[0].offset !== s) throw new Error(`${source}: Basic Offset Table entry ${f} (${s - firstFragmentOffset}) does not point at a fragment`);
      return its.map(slice);
    });
  } else if (fragments.length === frameCount) {
    frames = fragments.map((it) => [slice(it)]);
  } else {
    throw new Error(`${source}: ${fragments.length} fragments for ${frameCount} frames and no Basic Offset Table: cannot tell frames apart`);
  }
  return { frames, consumedBytes: p };
}

/** Concatenate a frame's fragments (no copy for the common single-fragment case). */
export function joinFragments(fragments: readonly Uint8Array[]): Uint8Array {
  if (fragments.length === 1) return fragments[0];
  const total = fragments.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const f of fragments) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Byte sources for the series reader: random access to one file's bytes, synchronous.
 * In memory (worker: the renderer hands over ArrayBuffers) or on disk (wasm/src/node/file-source.ts).
 */
export interface SeriesSource {
  /** File name or path, used in every error message. */
  name: string;
  sizeBytes: number;
  /** Bytes [position, position + length), fewer at the end of the file. May be a view (do not modify). */
  read(position: number, length: number): Uint8Array;
  /** Optional zero-copy path: fill `target` with the bytes at `position`; returns the number of bytes read. */
  readInto?(target: Uint8Array, position: number): number;
}

/** A source over bytes already in memory. */
export function bytesSource(name: string, bytes: Uint8Array): SeriesSource {
  return {
    name,
    sizeBytes: bytes.length,
    read: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
    readInto: (target, position) => {
      const part = bytes.subarray(position, Math.min(bytes.length, position + target.length));
      target.set(part);
      return part.length;
    },
  };
}

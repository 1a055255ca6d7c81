/** SeriesSource over a file on disk: positional reads with fs.readSync, zero-copy readInto the output volume. */
import fs from 'node:fs';
import type { SeriesSource } from '../series/source.ts';

export interface FileSource extends SeriesSource {
  close(): void;
}

export function fileSource(filePath: string): FileSource {
  let fd: number | null = null;
  let sizeBytes: number;
  try {
    sizeBytes = fs.statSync(filePath).size;
  } catch (error) {
    throw new Error(`${filePath}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  const open = (): number => {
    if (fd === null) fd = fs.openSync(filePath, 'r');
    return fd;
  };
  const readInto = (target: Uint8Array, position: number): number => {
    const handle = open();
    let done = 0;
    while (done < target.length) {
      const n = fs.readSync(handle, target, done, target.length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  };
  return {
    name: filePath,
    sizeBytes,
    read(position, length) {
      const target = new Uint8Array(Math.max(0, Math.min(length, sizeBytes - position)));
      const n = readInto(target, position);
      return n === target.length ? target : target.subarray(0, n);
    },
    readInto,
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

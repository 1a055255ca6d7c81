import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../fixtures/src/shared-data.ts';
import { makeFrameDecoder, parseDicomNamed } from './seg-pixels.ts';

function decodeAll(file: string): { frames: Array<Uint8Array | Uint16Array>; rows: number; columns: number } {
  const ds = parseDicomNamed(new Uint8Array(readFileSync(file)), file);
  const rows = ds.uint16('x00280010')!;
  const columns = ds.uint16('x00280011')!;
  const frames = ds.intString('x00280008') ?? 1;
  const decode = makeFrameDecoder(ds, { rows, columns, frames, bitsAllocated: ds.uint16('x00280100') as 1, transferSyntaxUid: ds.string('x00020010')! }, file);
  return { frames: Array.from({ length: frames }, (_, f) => decode(f)), rows, columns };
}

const pyd = (name: string): string => sharedDataDir('pydicom-data', 'data_store', 'data', name);

describe('SEG frame decoding across encodings (pydicom-data liver variants vs native LE)', () => {
  const reference = decodeAll(pyd('liver.dcm'));
  const referenceCounts = reference.frames.map((f) => {
    let sum = 0;
    for (const v of f) sum += v;
    return sum;
  });

  it('native LE frames carry the dcmqi liver mask (107098 voxels over 3 frames)', () => {
    expect(referenceCounts.reduce((a, b) => a + b, 0)).toBe(107098);
  });

  for (const name of ['liver_expb.dcm', 'liver_rle.dcm', 'liver_deflate.dcm']) {
    it(`${name} decodes to the same frames as liver.dcm`, () => {
      const other = decodeAll(pyd(name));
      expect(other.frames.length).toBe(3);
      other.frames.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(reference.frames[i]))).toBe(true));
    });
  }

  it('non-byte-aligned 510x510 frames: native (bits packed across frames), RLE and deflate agree', () => {
    const native = decodeAll(pyd('liver_nonbyte_aligned.dcm'));
    expect(native.rows * native.columns % 8).not.toBe(0);
    // The 510x510 variant is the 512x512 mask without its last 2 rows and columns (both are empty at the border).
    native.frames.forEach((f, fi) => {
      let diff = 0;
      for (let r = 0; r < 510; r++) for (let c = 0; c < 510; c++) diff += f[r * 510 + c] !== reference.frames[fi][r * 512 + c] ? 1 : 0;
      expect(diff).toBe(0);
    });
    for (const name of ['liver_nonbyte_aligned_rle.dcm', 'liver_nonbyte_aligned_deflate.dcm']) {
      const other = decodeAll(pyd(name));
      other.frames.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(native.frames[i]))).toBe(true));
    }
  });
});

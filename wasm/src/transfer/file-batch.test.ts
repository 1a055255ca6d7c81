import { describe, expect, it } from 'vitest';
import { decodeFileBatch, encodeFileBatch } from './file-batch.ts';

describe('file batch wire form', () => {
  it('round-trips bytes and per-file errors (UTF-8), as views into the one buffer', () => {
    const a = new Uint8Array([1, 2, 3, 250]);
    const batch = encodeFileBatch([{ bytes: a }, { error: 'no such file: /données/b.dcm' }, { bytes: new Uint8Array(0) }]);
    const entries = decodeFileBatch(batch);
    expect(entries).toHaveLength(3);
    expect([...('bytes' in entries[0]! ? entries[0].bytes : [])]).toEqual([1, 2, 3, 250]);
    expect(entries[1]).toEqual({ error: 'no such file: /données/b.dcm' });
    expect('bytes' in entries[2]! && entries[2].bytes.byteLength).toBe(0);
    expect('bytes' in entries[0]! && entries[0].bytes.buffer).toBe(batch.buffer);
  });

  it('refuses a damaged batch', () => {
    const batch = encodeFileBatch([{ bytes: new Uint8Array([1, 2, 3]) }]);
    expect(() => decodeFileBatch(batch.subarray(0, batch.length - 1))).toThrow(/cut/);
    expect(() => decodeFileBatch(new Uint8Array([...batch, 0]))).toThrow(/trailing/);
    const bad = batch.slice();
    bad[0] = 0;
    expect(() => decodeFileBatch(bad)).toThrow(/magic/);
  });
});

/**
 * Robustness: a generated corpus of bad input (real files truncated at many offsets, random bytes, empty files,
 * oversized length fields, a deflate bomb). Every file must be indexed or reported with a reason; nothing may throw.
 * Per-file time is bounded by construction (prefix reads, size caps, inflate cap); no timing is asserted here.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDicomHeader } from '../../../../wasm/src/dicom/header.ts';
import { sharedDataDir } from '../../../../fixtures/src/shared-data.ts';
import { indexPath } from './scan.ts';

const pyd = sharedDataDir('pydicom-testfiles', 'test_files');
let work: string;
const written: string[] = [];

async function put(name: string, bytes: Uint8Array): Promise<void> {
  const p = path.join(work, name);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, bytes);
  written.push(name);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'remnant-robust-'));
  const sources = ['CT_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'liver_1frame.dcm', 'image_dfl.dcm', 'MR_small_RLE.dcm', 'rtplan.dcm', 'dicomdirtests/DICOMDIR'];
  for (const src of sources) {
    const bytes = new Uint8Array(await readFile(path.join(pyd, src)));
    const tag = src.replace(/[/.]/gu, '_');
    // Truncations: every 61 bytes through the header region, then coarser steps through pixel data.
    for (let cut = 0; cut < bytes.length; cut += cut < 2048 ? 61 : 997) await put(`trunc/${tag}_${cut}`, bytes.subarray(0, cut));
    // Oversized length fields: corrupt a 32-bit word at a few offsets to 0xFFFFFFF0.
    for (const at of [136, 200, 300, 400, 700]) {
      if (at + 4 > bytes.length) continue;
      const c = bytes.slice();
      new DataView(c.buffer).setUint32(at, 0xfffffff0, true);
      await put(`len/${tag}_${at}`, c);
    }
  }
  const rnd = lcg(42);
  for (let i = 0; i < 20; i++) {
    const n = 1 + (rnd() % 20000);
    const b = new Uint8Array(n).map(() => rnd() >>> 24);
    // Half of them get a valid preamble so the parser goes deeper before failing.
    if (i % 2 === 0 && n > 200) b.set([0x44, 0x49, 0x43, 0x4d], 128);
    await put(`random/r${i}`, b);
  }
  await put('empty/empty.dcm', new Uint8Array(0));
  // Deflate bomb: the real deflated file's meta, then 48 MiB of zeros deflated (~48 KiB); the scan caps inflation at 8 MiB.
  const dfl = new Uint8Array(await readFile(path.join(pyd, 'image_dfl.dcm')));
  const metaEnd = 132 + 12 + new DataView(dfl.buffer, dfl.byteOffset).getUint32(140, true);
  const bomb = deflateSync(new Uint8Array(48 << 20), { level: 6 });
  const bombFile = new Uint8Array(metaEnd + bomb.length);
  bombFile.set(dfl.subarray(0, metaEnd), 0);
  bombFile.set(bomb, metaEnd);
  await put('bomb/bomb.dcm', bombFile);
  // A good file too, so the corpus is not only failures.
  await mkdir(path.join(work, 'good'), { recursive: true });
  await copyFile(path.join(pyd, 'CT_small.dcm'), path.join(work, 'good/CT_small.dcm'));
  written.push('good/CT_small.dcm');
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('index robustness corpus', () => {
  it('indexes or reports every file with a reason, without throwing', async () => {
    const r = await indexPath(work, { maxInflatedBytes: 8 << 20 });
    const indexed = new Set<string>();
    for (const st of r.studies) for (const se of st.series) for (const s of se.stacks) for (const f of s.files) indexed.add(f);
    for (const n of r.nonImageObjects) for (const f of [n.path, ...n.skippedDuplicateFiles]) indexed.add(f);
    for (const m of r.mediaDirectories) indexed.add(m.path);
    // Copies of an already indexed SOP instance (mutations that still parse) are listed on their stack.
    for (const st of r.studies) for (const se of st.series) for (const s of se.stacks) for (const f of s.skippedDuplicateFiles) indexed.add(f);
    const reported = new Map(r.unreadableFiles.map((u) => [u.path, u]));
    expect(written.filter((f) => !indexed.has(f) && !reported.has(f))).toEqual([]);
    expect(r.fileCount).toBe(written.length);
    for (const u of r.unreadableFiles) expect(u.reason.length).toBeGreaterThan(5);
    expect(reported.get('bomb/bomb.dcm')?.code).toBe('deflate-too-large');
    expect(reported.get('empty/empty.dcm')?.code).toBe('empty');
    expect(indexed.has('good/CT_small.dcm')).toBe(true);
    const codes = new Set(r.unreadableFiles.map((u) => u.code));
    for (const c of ['truncated', 'not-dicom', 'empty', 'deflate-too-large']) expect(codes.has(c as never)).toBe(true);
  });

  it('the header parser never throws on random mutations of a real file', async () => {
    const bytes = new Uint8Array(await readFile(path.join(pyd, 'liver_1frame.dcm')));
    const rnd = lcg(7);
    for (let i = 0; i < 300; i++) {
      const c = bytes.slice();
      for (let k = 0; k < 4; k++) c[rnd() % c.length] = rnd() >>> 24;
      const r = parseDicomHeader(c);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSeries } from '../series/read-series.ts';
import { readSeriesFromBytes } from '../series/read-series-bytes.ts';
import { bytesSource } from '../series/source.ts';
import { readSeriesFromFiles } from './index.ts';
import { sharedDataPath } from './test-data.ts';

const hccDir = sharedDataPath('tcia-hcc048', 'HCC048_portal_venous');
const hccFiles = (): string[] => fs.readdirSync(hccDir).filter((f) => f.endsWith('.dcm')).sort().map((f) => path.join(hccDir, f));
const ctDir = sharedDataPath('dcmqi', 'data', 'segmentations', 'ct-3slice');

describe('readSeriesFromFiles / readSeries', () => {
  it('reads tcia-hcc048 into one Int16Array with stored values and the CT rescale, in any input order', async () => {
    const files = hccFiles();
    const a = await readSeriesFromFiles(files);
    const b = await readSeriesFromFiles([...files].reverse());
    expect(a.volume.pixels).toBeInstanceOf(Int16Array);
    expect(a.volume.geometry.sizeIJK).toEqual([512, 512, 89]);
    expect(a.volume.rescaleUnits).toBe('HU');
    let differing = 0;
    for (let p = 0; p < a.volume.pixels.length; p++) if (a.volume.pixels[p] !== b.volume.pixels[p]) differing++;
    expect(differing).toBe(0);
    // k increases along the normal: positions of consecutive frames differ by +spacing along the k direction.
    expect(a.framesInKOrder).toHaveLength(89);
    expect(a.provenance.decoder).toBe('native');
  });

  it('refuses a series with a missing slice unless allowGaps is set', async () => {
    const files = hccFiles();
    const gapped = files.filter((_, i) => i !== 40);
    await expect(readSeriesFromFiles(gapped)).rejects.toThrow(/gap.*allowGaps/s);
    const tolerated = await readSeriesFromFiles(gapped, { allowGaps: true });
    expect(tolerated.volume.geometry.sizeIJK[2]).toBe(88);
    expect(tolerated.stackProblems.some((p) => p.code === 'gap')).toBe(true);
  });

  it('names the file and both byte counts when Pixel Data is truncated', async () => {
    const name = path.join(ctDir, '02.dcm');
    const bytes = new Uint8Array(fs.readFileSync(name));
    const cut = bytes.subarray(0, bytes.length - 1000);
    const sources = ['01.dcm', '03.dcm'].map((f) => bytesSource(f, new Uint8Array(fs.readFileSync(path.join(ctDir, f)))));
    const error = await readSeries([...sources, bytesSource('02-truncated.dcm', cut)]).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^02-truncated\.dcm: /);
    // expected = 512 x 512 x 2 bytes; actual = what is left after the cut
    expect(error?.message).toContain('524288');
    expect(error?.message).toMatch(/truncated|shorter/);
  });

  it('reads from bytes (worker entry) exactly as from files', async () => {
    const names = ['01.dcm', '02.dcm', '03.dcm'];
    const fromFiles = await readSeriesFromFiles(names.map((f) => path.join(ctDir, f)));
    const fromBytes = await readSeriesFromBytes(names.map((f) => ({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(ctDir, f))) })), { useReferenceFallback: false });
    expect(fromBytes.volume.pixels).toEqual(fromFiles.volume.pixels);
    expect(fromBytes.volume.geometry).toEqual(fromFiles.volume.geometry);
  });

  it('refuses a JPEG 2000 series without a fallback, naming the syntax', async () => {
    const f = sharedDataPath('dcm-qa-ts', 'In', '9.dcm');
    await expect(readSeriesFromFiles([f], { useReferenceFallback: false })).rejects.toThrow(/9\.dcm.*JPEG 2000.*no fallback/);
  });

  it('refuses files of two series', async () => {
    await expect(readSeriesFromFiles([path.join(ctDir, '01.dcm'), hccFiles()[0]])).rejects.toThrow(/2 series/);
  });
});

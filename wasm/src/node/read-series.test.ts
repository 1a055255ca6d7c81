import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePhantom, writePhantomSeries } from '../../../fixtures/src/phantom/index.ts';
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

describe('gantry-tilted (sheared) stacks', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-read-tilt-'));
  const phantom = generatePhantom({ rows: 24, columns: 20, sliceCount: 9, pixelSpacingMm: [8, 7], sliceSpacingMm: 10, gantryTiltDeg: 18, obliqueRotationDeg: [0, 0, 0], seed: 'read-tilt' });

  it('reads them on the exact sheared grid, voxel for voxel, and reports the tilt', async () => {
    const written = await writePhantomSeries(phantom, path.join(tmp, 'native'), { shuffleFileNames: true });
    const read = await readSeriesFromFiles(written.files);
    expect(read.sheared).toBe(true);
    expect(read.volume.pixels).toEqual(phantom.pixels);
    const g = read.volume.geometry;
    const truth = phantom.geometry;
    expect(truth).not.toBeNull();
    expect(g.sizeIJK).toEqual(truth?.sizeIJK);
    // The files store IPP to 1e-6 mm; the grid is exact up to that rounding.
    for (let c = 0; c < 3; c++) expect(g.spacingMm[c]).toBeCloseTo(truth?.spacingMm[c] as number, 6);
    g.originLPS.forEach((v, a) => expect(v).toBeCloseTo(truth?.originLPS[a] as number, 5));
    g.directionLPS.forEach((v, a) => expect(v).toBeCloseTo(truth?.directionLPS[a] as number, 7));
    // Slice k's file holds the phantom's slice k: IPPs lie on the grid's (0, 0, k).
    expect(read.framesInKOrder.map((f) => f.source)).toEqual(written.sliceFiles);
    const tilt = read.stackProblems.find((p) => p.code === 'tilt');
    expect(tilt?.message).toMatch(/18 deg from the normal.*voxel grid is sheared.*pixel area x distance between slice planes \(8 x 7 x 10 mm = 560 mm3\)/);
  });

  it('refuses a tilted stack whose positions leave the straight line, naming the problem', async () => {
    const written = await writePhantomSeries(phantom, path.join(tmp, 'bent'));
    // Move slice 4 by 1 mm along y without changing the DS value length: its IPP leaves the line of the others.
    const file = written.sliceFiles[4] as string;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const ipp = phantom.grid.slices[4]?.positionLPS.map((x) => String(Math.round(x * 1e6) / 1e6)).join('\\') as string;
    const at = Buffer.from(bytes).indexOf(ipp, 0, 'latin1');
    expect(at).toBeGreaterThan(0);
    const y = ipp.split('\\')[1] as string;
    const units = y.indexOf('.') > 0 ? y.indexOf('.') - 1 : y.length - 1;
    const digit = Number(y[units]);
    const bentY = `${y.slice(0, units)}${digit === 9 ? 8 : digit + 1}${y.slice(units + 1)}`;
    const bent = ipp.replace(y, bentY);
    bytes.set(Buffer.from(bent, 'latin1'), at);
    const sources = written.sliceFiles.map((f) => bytesSource(path.basename(f as string), f === file ? bytes : new Uint8Array(fs.readFileSync(f as string))));
    await expect(readSeries(sources)).rejects.toThrow(/refusing this stack: tilt: .*not lie on one straight line/);
  });

  it('refuses a tilted stack that needs the itk-wasm fallback (JPEG), naming the file and why', async () => {
    const written = await writePhantomSeries(phantom, path.join(tmp, 'jpeg'));
    const jpegDir = path.join(tmp, 'jpeg-ls');
    fs.mkdirSync(jpegDir);
    const jpegFiles = written.sliceFiles.map((f) => {
      const out = path.join(jpegDir, path.basename(f as string));
      execFileSync('dcmcjpeg', [f as string, out]); // default: JPEG lossless, first-order prediction (SV1)
      return out;
    });
    const error = await readSeriesFromFiles(jpegFiles).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/JPEG.*gantry tilt of 18(\.00)? deg \(sheared grid\).*orthogonal grid/);
    expect(jpegFiles.some((f) => error?.message.startsWith(`${f}: `))).toBe(true);
  });
});

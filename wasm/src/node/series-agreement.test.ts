/**
 * KEY ACCEPTANCE CHECK: for every image series found under the shared data folder, the fast path
 * (readSeriesFromFiles) agrees voxel for voxel (in rescaled values) with the itk-wasm reference reader, and the
 * geometry agrees within 1e-4 mm (see series/compare.ts for the accepted k-order difference on multi-frame files).
 *
 * Series are discovered by scanning (series-discovery.ts). Every series ends in exactly one recorded outcome:
 *  - agree           both read it and agree;
 *  - fast-refuses    the fast path refuses with a clear error naming the file, for a reason that the test re-derives
 *                    from the header (colour/palette, no PixelSpacing/ImagePositionPatient, per-frame rescale, stack
 *                    problems) — the reference reads these with invented geometry or applies per-frame rescale;
 *  - both-fail       neither can read it; the fast path's error still names the file;
 *  - reference-fails the fast path reads what the reference cannot: must be listed explicitly below (none today).
 * The outcome table is printed.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignGeometry, compareRescaled } from '../series/compare.ts';
import { readInstanceHeader } from '../series/read-series.ts';
import type { SeriesReadResult } from '../series/read-series.ts';
import type { ReferenceSeries } from '../pipelines/reference-reader.ts';
import { fileSource } from './file-source.ts';
import { readReferenceSeriesFromFiles, readSeriesFromFiles } from './index.ts';
import { discoverImageSeries } from './series-discovery.ts';
import type { DiscoveredSeries } from './series-discovery.ts';
import { sharedDataPath } from './test-data.ts';

type Outcome = 'agree' | 'fast-refuses' | 'both-fail' | 'reference-fails';

interface Row {
  series: DiscoveredSeries;
  outcome: Outcome;
  fast?: SeriesReadResult;
  ref?: ReferenceSeries;
  fastError?: string;
  refError?: string;
  detail: string;
}

/** Series that must be discovered AND agree (a missing folder fails the test). Ids are relative to the data root. */
const MUST_AGREE: RegExp[] = [
  /^tcia-hcc048\/HCC048_portal_venous \[.* 89 files\]$/,
  /^dcmqi\/data\/segmentations\/ct-3slice \[.* 3 files\]$/,
  /^dcmqi\/data\/segmentations\/23x38x3\/image \[/,
  /^dcmqi\/data\/segmentations\/24x38x3\/multiframe\/mf\.dcm$/,
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => new RegExp(`^dcm-qa-ts/In/${n}\\.dcm$`)),
  /^pydicom-testfiles\/test_files\/CT_small\.dcm$/,
  /^pydicom-testfiles\/test_files\/MR_small_RLE\.dcm$/,
  /^pydicom-testfiles\/test_files\/MR_small_bigendian\.dcm$/,
  /^pydicom-data\/data_store\/data\/693_J2KR\.dcm$/,
  /^pydicom-data\/data_store\/data\/eCT_Supplemental\.dcm$/,
  /^dicomparser-testimages\/testImages\/CT1_UNC\.explicit_big_endian\.dcm$/,
  /^dicomparser-testimages\/testImages\/encapsulated\/multi-frame\/CT0012\.explicit_little_endian\.dcm$/,
  /^dicomparser-testimages\/testImages\/encapsulated\/multi-frame\/CT0012\.not_fragmented_bot_rle\.dcm$/,
  /^dicomparser-testimages\/testImages\/encapsulated\/multi-frame\/CT0012\.fragmented_no_bot_jpeg_baseline\.51\.dcm$/,
  /^dicomparser-testimages\/testImages\/encapsulated\/multi-frame\/CT0012\.fragmented_no_bot_jpeg_lossless\.70\.dcm$/,
  /^dicomparser-testimages\/testImages\/encapsulated\/multi-frame\/CT0012\.not_fragmented_bot_jpeg_ls\.80\.dcm$/,
  /^totalsegmentator-example\/tests\/reference_files\/example_ct_dicom \[.* 20 files\]$/,
  /^dcm-qa-enh\/In\/Siemens\/XA10\/6_1\.dcm$/,
];

/** Series the fast path reads although the reference cannot (must stay explicit). */
const KNOWN_REFERENCE_FAILURES: RegExp[] = [];

/** Why a refusal is legitimate, re-derived from the first file's header. */
function refusalJustified(series: DiscoveredSeries, message: string): string | null {
  const src = fileSource(series.files[0]);
  try {
    const h = readInstanceHeader(src).header;
    const anyFrame = (pick: (f: (typeof h.frames)[number]) => unknown): boolean => h.frames.some((f) => pick(f) !== undefined);
    if (/SamplesPerPixel \d|PhotometricInterpretation/.test(message)) return (h.samplesPerPixel ?? 1) !== 1 || /PALETTE/.test(h.photometricInterpretation) ? 'colour/palette' : null;
    if (/PixelSpacing missing/.test(message)) return !h.pixelSpacingMm && !anyFrame((f) => f.pixelSpacingMm) ? 'no PixelSpacing' : null;
    if (/ImagePositionPatient missing/.test(message)) return !h.imagePositionPatient && !anyFrame((f) => f.positionLPS) ? 'no ImagePositionPatient' : null;
    if (/rescale .* differs/.test(message)) {
      const slopes = new Set(h.frames.map((f) => `${f.rescaleSlope}/${f.rescaleIntercept}`));
      return slopes.size > 1 ? 'per-frame rescale' : null;
    }
    if (/refusing this stack: (gap|inconsistent-orientation|duplicate-positions|tilt)/.test(message)) return `stack: ${/refusing this stack: ([a-z-]+)/.exec(message)?.[1]}`;
    if (/readImageDicomFileSeries failed/.test(message)) return 'fallback (reference) failed';
    return null;
  } finally {
    src.close();
  }
}

describe('fast series reader vs itk-wasm reference on every shared-data image series', () => {
  const root = sharedDataPath();
  const rows: Row[] = [];

  beforeAll(async () => {
    for (const series of discoverImageSeries(root)) {
      const row: Row = { series, outcome: 'agree', detail: '' };
      try {
        row.fast = await readSeriesFromFiles(series.files);
      } catch (error) {
        row.fastError = (error as Error).message;
      }
      try {
        row.ref = await readReferenceSeriesFromFiles(series.files);
      } catch (error) {
        row.refError = (error as Error).message;
      }
      if (row.fast && row.ref) row.outcome = 'agree';
      else if (row.fast) row.outcome = 'reference-fails';
      else if (row.ref) row.outcome = 'fast-refuses';
      else row.outcome = 'both-fail';
      rows.push(row);
    }
    const table = rows.map((r) => `${r.outcome.padEnd(15)} ${r.series.transferSyntaxName.slice(0, 34).padEnd(34)} ${r.series.id}${r.fast ? ` [${r.fast.provenance.decoder}]` : ''}${r.fastError ? `\n${' '.repeat(16)}fast: ${r.fastError.split('\n')[0].slice(0, 160)}` : ''}`);
    console.log(`series agreement (${rows.length} series):\n${table.join('\n')}`);
  }, 600_000);

  it('discovers every expected series', () => {
    for (const pattern of MUST_AGREE) {
      expect(rows.filter((r) => pattern.test(r.series.id)).map((r) => r.series.id), `no series matches ${pattern}`).toHaveLength(1);
    }
  });

  it('agrees voxel for voxel and in geometry wherever both readers succeed', () => {
    const failures: string[] = [];
    let compared = 0;
    for (const r of rows.filter((x) => x.outcome === 'agree')) {
      const fast = r.fast as SeriesReadResult;
      const ref = r.ref as ReferenceSeries;
      const alignment = alignGeometry(fast.volume.geometry, ref.geometry, 1e-4);
      if (!alignment.ok) {
        failures.push(`${r.series.id}: geometry ${alignment.reason}`);
        continue;
      }
      // k-reversed order is only acceptable for a single multi-frame file (ITK keeps file order there).
      if (alignment.kFlipped && !(r.series.files.length === 1 && r.series.frames > 1)) failures.push(`${r.series.id}: k order reversed on a classic series`);
      const v = fast.volume;
      const cmp = compareRescaled(v.pixels, v.rescaleSlope, v.rescaleIntercept, ref.rescaledValues, v.geometry.sizeIJK, alignment.kFlipped, ref.componentType.startsWith('float'));
      if (cmp.mismatches > 0) failures.push(`${r.series.id}: ${cmp.mismatches} voxels differ, first ${JSON.stringify(cmp.firstMismatch)}`);
      compared++;
    }
    expect(failures).toEqual([]);
    for (const pattern of MUST_AGREE) {
      const row = rows.find((r) => pattern.test(r.series.id));
      expect(row?.outcome, `${row?.series.id}: ${row?.fastError ?? row?.refError ?? ''}`).toBe('agree');
    }
    expect(compared).toBeGreaterThanOrEqual(MUST_AGREE.length);
  });

  it('decodes the dcm-qa-ts slice identically in all 9 transfer syntaxes (LE, implicit LE, BE and RLE natively)', () => {
    const qa = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => rows.find((r) => r.series.id === `dcm-qa-ts/In/${n}.dcm`));
    const first = qa[0]?.fast?.volume.pixels as Uint16Array;
    expect(first.length).toBe(384 * 384);
    for (const r of qa) expect(Array.from(r?.fast?.volume.pixels ?? [])).toEqual(Array.from(first));
    expect(qa.slice(0, 4).map((r) => r?.fast?.provenance.decoder)).toEqual(['native', 'native', 'native', 'native']);
  });

  it('refuses only for reasons re-derived from the header, with an error naming the file', () => {
    const unjustified: string[] = [];
    for (const r of rows.filter((x) => x.outcome === 'fast-refuses' || x.outcome === 'both-fail')) {
      const message = r.fastError ?? '';
      const names = r.series.files.some((f) => message.includes(f)) || message.includes(path.dirname(r.series.files[0]));
      const why = refusalJustified(r.series, message);
      if (!names || why === null) unjustified.push(`${r.series.id}: ${message.split('\n')[0]}`);
      r.detail = why ?? '';
    }
    expect(unjustified).toEqual([]);
    // The Philips enhanced MR with per-frame rescale is a documented refusal (one ScalarVolume = one modality LUT).
    expect(rows.find((r) => r.series.id === 'dcm-qa-enh/In/Philips/IM_0027_fMAP.dcm')?.detail).toBe('per-frame rescale');
  });

  it('lists explicitly every series the reference cannot read but the fast path does', () => {
    const unexpected = rows.filter((r) => r.outcome === 'reference-fails' && !KNOWN_REFERENCE_FAILURES.some((p) => p.test(r.series.id)));
    expect(unexpected.map((r) => `${r.series.id}: ${r.refError?.split('\n')[0]}`)).toEqual([]);
  });
});

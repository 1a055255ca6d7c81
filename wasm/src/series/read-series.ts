/**
 * Fast DICOM series reader: headers (wasm/src/dicom/header.ts) -> stack analysis (wasm/src/geometry/stack.ts) ->
 * ONE preallocated output array (Int16Array / Uint16Array / ... per BitsAllocated + PixelRepresentation) filled
 * frame by frame in sorted k order; no intermediate float arrays.
 *
 * Pixel data handled natively: Implicit/Explicit VR Little Endian (straight copy, zero-copy read when the source
 * supports readInto), Explicit VR Big Endian (byte swap), Deflated Explicit VR LE (inflated by the header parser),
 * RLE Lossless (rle.ts). Bits stored < bits allocated: masked / sign-extended (pixel-kernels.ts).
 * Other encapsulated syntaxes (JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000, HTJ2K): the lint forbids the
 * @cornerstonejs codecs in wasm/, so they go to `options.fallback` (the itk-wasm reference reader), whose rescaled
 * values are converted back to stored integers (exactly, or the read fails) and whose geometry must agree with ours.
 *
 * Refusals (clear errors naming the file): non-image objects, colour / palette images, missing geometry, mixed series,
 * inconsistent rows/columns/bits/rescale, duplicate positions, inconsistent orientation, tilted stacks whose positions
 * do not lie on one line, and — unless `allowGaps` — gaps (a missing slice) and non-uniform spacing: volumetry on such
 * a grid would be wrong. With `allowGaps` the frames are still placed on a uniform grid of mean spacing; the problems
 * are reported in `result.stackProblems` and the caller must show them.
 *
 * Gantry tilt: a tilted stack whose slice positions lie on one straight line is read on the exact sheared grid from
 * analyzeStack (k axis = unit mean slice step, spacingMm[2] = its length; directionLPS is then not orthogonal), so
 * |det(D diag(spacingMm))| = pixel area x distance between slice planes is the voxel volume. The 'tilt' entry of
 * `result.stackProblems` says so. The itk-wasm reference fallback places slices on an orthogonal grid and cannot
 * represent shear: a tilted stack that needs it (JPEG-family syntaxes) is refused.
 *
 * MONOCHROME1: stored values are kept (not inverted); `photometricInterpretation` records it.
 */
import type { Vec3 } from '../geometry/types.ts';
import { alignGeometry, referenceIndex } from './compare.ts';
import type { ScalarVolume } from '../image/types.ts';
import { parseDicomHeader } from '../dicom/header.ts';
import type { DicomInstanceHeader } from '../dicom/header.ts';
import { analyzeStack } from '../geometry/stack.ts';
import type { StackProblem } from '../geometry/stack.ts';
import { allocateOutput, checkPixelLayout, copyStoredPixels, extractStoredBits, PLATFORM_LITTLE_ENDIAN } from './pixel-kernels.ts';
import type { OutputPixelArray, PixelLayout } from './pixel-kernels.ts';
import { decodeRleFrame } from './rle.ts';
import { splitEncapsulatedFrames } from './encapsulated.ts';
import type { SeriesSource } from './source.ts';
import type { ReferenceSeries } from '../pipelines/reference-reader.ts';

export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
export const FAST_PATH_READER = 'remnant series fast path';

export interface ReadSeriesOptions {
  /** Accept gaps (missing slices) and non-uniform spacing; default false (refuse). See module comment. */
  allowGaps?: boolean;
  /**
   * Reader for series whose transfer syntax has no native decoder here (JPEG family). Receives the sources sorted
   * along the normal. Without it such series are refused with a clear error.
   */
  fallback?: (sortedSources: SeriesSource[]) => Promise<ReferenceSeries>;
  /** Bytes read per header attempt (grown on demand). Default 64 KiB. */
  headerPrefixBytes?: number;
}

export interface SeriesFrameRef {
  source: string;
  /** Frame index inside the file (0 for single-frame files). */
  frame: number;
}

export interface SeriesReadResult {
  volume: ScalarVolume;
  /** MONOCHROME1 or MONOCHROME2 (stored values are never inverted). */
  photometricInterpretation: string;
  modality: string;
  seriesInstanceUid: string;
  transferSyntaxUids: string[];
  /** The frame stored at each k (k = 0 first). */
  framesInKOrder: SeriesFrameRef[];
  /** Non-fatal stack findings (oblique, single-slice, tilt on a sheared grid, and with allowGaps the gaps / non-uniform spacing). */
  stackProblems: StackProblem[];
  /** True when the volume's grid is sheared (gantry tilt): directionLPS column 2 is the slice step, not the normal. */
  sheared: boolean;
  provenance: {
    reader: string;
    /** 'native' when every frame was decoded here; 'fallback' when the pixel values came from options.fallback. */
    decoder: 'native' | 'fallback';
    fallbackReader?: string;
  };
}

export class SeriesReadError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'SeriesReadError';
    this.source = source;
  }
}

interface ParsedInstance {
  source: SeriesSource;
  header: DicomInstanceHeader;
  inflated?: Uint8Array;
}

/** Parse one header, reading more of the file when the parser asks for it. */
export function readInstanceHeader(source: SeriesSource, prefixBytes = 65536): ParsedInstance {
  let length = Math.min(source.sizeBytes, prefixBytes);
  for (let attempt = 0; attempt < 8; attempt++) {
    const bytes = source.read(0, length);
    const result = parseDicomHeader(bytes, { fileSizeBytes: source.sizeBytes });
    if (result.ok) return { source, header: result.header, inflated: result.inflatedDataset };
    if (result.code === 'need-more-bytes' && length < source.sizeBytes) {
      length = Math.min(source.sizeBytes, Math.max(result.neededBytes ?? 0, length * 4));
      continue;
    }
    throw new SeriesReadError(source.name, `cannot read the DICOM header (${result.code}): ${result.message}`);
  }
  throw new SeriesReadError(source.name, 'cannot read the DICOM header: it keeps asking for more bytes');
}

interface FramePlan {
  instance: ParsedInstance;
  frame: number;
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[] | undefined, tol: number): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? Number.NaN)) <= tol);
}

function frameRescale(h: DicomInstanceHeader, frame: number): [number, number] {
  const f = h.frames[frame];
  return [f?.rescaleSlope ?? h.rescaleSlope ?? 1, f?.rescaleIntercept ?? h.rescaleIntercept ?? 0];
}

/** Plan a series: headers checked for consistency, frames sorted along the normal, geometry computed. */
export function planSeries(instances: readonly ParsedInstance[], options: ReadSeriesOptions = {}) {
  if (instances.length === 0) throw new SeriesReadError('series', 'no files');
  const first = instances[0];
  const h0 = first.header;
  const name0 = first.source.name;
  const seriesUids = new Set(instances.map((i) => i.header.seriesInstanceUid));
  if (seriesUids.size > 1) {
    throw new SeriesReadError(name0, `the files belong to ${seriesUids.size} series (${[...seriesUids].join(', ')}); read one series at a time`);
  }
  for (const inst of instances) {
    const h = inst.header;
    const name = inst.source.name;
    if (!h.pixelData) throw new SeriesReadError(name, `no Pixel Data (${h.sopClassName || h.sopClassUid || 'unknown SOP class'}): not an image`);
    if (h.sopCategory === 'segmentation') throw new SeriesReadError(name, 'is a Segmentation object, not an image series');
    if (h.rows === undefined || h.columns === undefined) throw new SeriesReadError(name, 'Rows/Columns missing');
    if ((h.samplesPerPixel ?? 1) !== 1) throw new SeriesReadError(name, `SamplesPerPixel ${h.samplesPerPixel} (${h.photometricInterpretation}): colour images are not supported for volumetry`);
    if (h.photometricInterpretation !== 'MONOCHROME1' && h.photometricInterpretation !== 'MONOCHROME2') {
      throw new SeriesReadError(name, `PhotometricInterpretation ${h.photometricInterpretation || '(missing)'} is not supported (MONOCHROME1/2 only)`);
    }
    checkPixelLayout(layoutOf(h), name);
    if (!h.pixelSpacingMm && !h.frames.some((f) => f.pixelSpacingMm)) throw new SeriesReadError(name, 'PixelSpacing missing: voxel size unknown');
    const same = (what: string, a: unknown, b: unknown): void => {
      if (a !== b) throw new SeriesReadError(name, `${what} ${String(a)} differs from ${String(b)} in ${name0}`);
    };
    same('Rows', h.rows, h0.rows);
    same('Columns', h.columns, h0.columns);
    same('BitsAllocated', h.bitsAllocated, h0.bitsAllocated);
    same('BitsStored', h.bitsStored, h0.bitsStored);
    same('HighBit', h.highBit, h0.highBit);
    same('PixelRepresentation', h.pixelRepresentation, h0.pixelRepresentation);
    same('PhotometricInterpretation', h.photometricInterpretation, h0.photometricInterpretation);
  }

  const frames: FramePlan[] = [];
  const slices: { positionLPS: [number, number, number]; orientationLPS: number[] }[] = [];
  let pixelSpacing: [number, number] | undefined;
  let rescale: [number, number] | undefined;
  for (const inst of instances) {
    const h = inst.header;
    for (let f = 0; f < h.numberOfFrames; f++) {
      const fi = h.frames[f];
      const position = fi?.positionLPS ?? h.imagePositionPatient;
      const orientation = fi?.orientationLPS ?? h.imageOrientationPatient;
      const spacing = fi?.pixelSpacingMm ?? h.pixelSpacingMm;
      const where = h.numberOfFrames > 1 ? `frame ${f + 1}` : 'the image';
      if (!position) throw new SeriesReadError(inst.source.name, `ImagePositionPatient missing for ${where}: slice position unknown`);
      if (!orientation || orientation.length !== 6) throw new SeriesReadError(inst.source.name, `ImageOrientationPatient missing for ${where}`);
      if (!spacing) throw new SeriesReadError(inst.source.name, `PixelSpacing missing for ${where}`);
      if (pixelSpacing === undefined) pixelSpacing = spacing;
      else if (!sameNumbers(spacing, pixelSpacing, 1e-6)) throw new SeriesReadError(inst.source.name, `PixelSpacing ${spacing.join('\\')} of ${where} differs from ${pixelSpacing.join('\\')}`);
      const r = frameRescale(h, f);
      if (!r.every(Number.isFinite)) throw new SeriesReadError(inst.source.name, `RescaleSlope/Intercept of ${where} not finite`);
      if (rescale === undefined) rescale = r;
      else if (!sameNumbers(r, rescale, 1e-9)) {
        throw new SeriesReadError(inst.source.name, `rescale (slope ${r[0]}, intercept ${r[1]}) of ${where} differs from (slope ${rescale[0]}, intercept ${rescale[1]}); one volume needs one modality LUT`);
      }
      frames.push({ instance: inst, frame: f });
      slices.push({ positionLPS: [...position] as [number, number, number], orientationLPS: [...orientation] });
    }
  }
  const ps = pixelSpacing as [number, number];
  // A single slice has no measured spacing: SpacingBetweenSlices, else 1 mm (as GDCM / ITK do; SliceThickness is not a
  // spacing). stackProblems carries 'single-slice' so callers do not compute volumes from it.
  const fallbackSliceSpacingMm = h0.frames[0]?.spacingBetweenSlicesMm ?? h0.spacingBetweenSlicesMm ?? 1;
  const stack = analyzeStack(slices, { rows: h0.rows as number, columns: h0.columns as number, pixelSpacingMm: ps, fallbackSliceSpacingMm });
  const fatal = stack.problems.filter((p) => {
    if (p.code === 'oblique' || p.code === 'single-slice') return false;
    // A gantry tilt is read exactly on the sheared grid; tilted positions off one straight line are refused.
    if (p.code === 'tilt') return !stack.sheared;
    if (p.code === 'gap' || p.code === 'non-uniform-spacing') return !options.allowGaps;
    return true;
  });
  if (fatal.length > 0) {
    const hint = fatal.some((p) => p.code === 'gap' || p.code === 'non-uniform-spacing') ? ' (pass allowGaps to read it anyway on a uniform grid)' : '';
    throw new SeriesReadError(
      instances.length === 1 ? name0 : `series of ${instances.length} files (${name0} ..)`,
      `refusing this stack: ${fatal.map((p) => `${p.code}: ${p.message}`).join('; ')}${hint}`,
    );
  }
  const sorted = stack.order.map((i) => frames[i] as FramePlan);
  return {
    sorted,
    geometry: stack.geometry,
    layout: layoutOf(h0),
    rescale: rescale as [number, number],
    stackProblems: stack.problems,
    sheared: stack.sheared,
    tiltDeg: stack.tiltDeg,
  };
}

function layoutOf(h: DicomInstanceHeader): PixelLayout {
  const bitsAllocated = h.bitsAllocated ?? 0;
  return {
    bitsAllocated,
    bitsStored: h.bitsStored ?? bitsAllocated,
    highBit: h.highBit ?? (h.bitsStored ?? bitsAllocated) - 1,
    pixelRepresentation: h.pixelRepresentation ?? 0,
  };
}

/** Decode one frame natively into dst at element dstOffset; returns false when the transfer syntax needs a codec. */
function decodeFrameNative(plan: FramePlan, dst: OutputPixelArray, dstOffset: number, pixelCount: number, layout: PixelLayout): boolean {
  const { instance, frame } = plan;
  const h = instance.header;
  const px = h.pixelData;
  const name = instance.source.name;
  if (!px) throw new SeriesReadError(name, 'no Pixel Data');
  const frameBytes = pixelCount * (layout.bitsAllocated >> 3);
  if (!px.encapsulated) {
    const start = px.valueOffsetBytes + frame * frameBytes;
    if (px.inDeflatedStream) {
      const data = instance.inflated;
      if (!data) throw new SeriesReadError(name, 'deflated dataset was not inflated');
      checkAvailable(name, data.length - px.valueOffsetBytes, px, h, frameBytes);
      copyStoredPixels(data, start, dst, dstOffset, pixelCount, layout, !px.littleEndian);
      return true;
    }
    checkAvailable(name, instance.source.sizeBytes - px.valueOffsetBytes, px, h, frameBytes);
    const nativeOrder = px.littleEndian === PLATFORM_LITTLE_ENDIAN || layout.bitsAllocated === 8;
    if (nativeOrder && instance.source.readInto) {
      const target = new Uint8Array(dst.buffer, dst.byteOffset + dstOffset * dst.BYTES_PER_ELEMENT, frameBytes);
      const got = instance.source.readInto(target, start);
      if (got !== frameBytes) throw new SeriesReadError(name, `truncated Pixel Data: frame ${frame + 1} needs ${frameBytes} bytes at offset ${start}, read ${got}`);
      extractStoredBits(dst, dstOffset, pixelCount, layout);
      return true;
    }
    const bytes = instance.source.read(start, frameBytes);
    if (bytes.length !== frameBytes) throw new SeriesReadError(name, `truncated Pixel Data: frame ${frame + 1} needs ${frameBytes} bytes at offset ${start}, file has ${bytes.length}`);
    copyStoredPixels(bytes, 0, dst, dstOffset, pixelCount, layout, !px.littleEndian);
    return true;
  }
  if (h.transferSyntaxUid !== RLE_LOSSLESS) return false;
  const value = instance.source.read(px.valueOffsetBytes, instance.source.sizeBytes - px.valueOffsetBytes);
  const { frames } = splitEncapsulatedFrames(value, h.numberOfFrames, name);
  const fragments = frames[frame] ?? [];
  if (fragments.length !== 1) throw new SeriesReadError(name, `RLE frame ${frame + 1} spans ${fragments.length} fragments; RLE requires exactly one per frame`);
  decodeRleFrame(fragments[0] as Uint8Array, dst, dstOffset, pixelCount, name);
  extractStoredBits(dst, dstOffset, pixelCount, layout);
  return true;
}

function checkAvailable(name: string, available: number, px: NonNullable<DicomInstanceHeader['pixelData']>, h: DicomInstanceHeader, frameBytes: number): void {
  const expected = frameBytes * h.numberOfFrames;
  if (available < expected || (px.valueLengthBytes >= 0 && px.valueLengthBytes < expected)) {
    throw new SeriesReadError(
      name,
      `truncated Pixel Data: expected ${expected} bytes (${h.rows} x ${h.columns} x ${h.numberOfFrames} frame(s) x ${frameBytes / ((h.rows ?? 1) * (h.columns ?? 1))} bytes), ` +
        `found ${Math.min(available, px.valueLengthBytes >= 0 ? px.valueLengthBytes : available)}`,
    );
  }
}

/** Convert reference (rescaled) values back to stored integers into dst; throws on any non-exact value. */
export function storedFromRescaled(
  values: ArrayLike<number>,
  dst: OutputPixelArray,
  slope: number,
  intercept: number,
  source: string,
  /** Set when the values are in k-reversed order (see compare.ts). */
  kFlippedSizeIJK?: Vec3,
): void {
  if (values.length !== dst.length) throw new SeriesReadError(source, `fallback returned ${values.length} voxels, expected ${dst.length}`);
  const probe = new (dst.constructor as new (n: number) => OutputPixelArray)(1);
  for (let p = 0; p < values.length; p++) {
    const q = kFlippedSizeIJK ? referenceIndex(p, kFlippedSizeIJK, true) : p;
    const stored = (Number(values[q]) - intercept) / slope;
    const rounded = Math.round(stored);
    if (Math.abs(stored - rounded) > 1e-3) throw new SeriesReadError(source, `fallback value ${values[q]} at voxel ${p} is not an integer stored value under slope ${slope}, intercept ${intercept}`);
    probe[0] = rounded;
    if (probe[0] !== rounded) throw new SeriesReadError(source, `fallback value ${values[q]} at voxel ${p} gives stored ${rounded}, outside the ${dst.constructor.name} range`);
    dst[p] = rounded;
  }
}

/** Read one series (all sources must be one series). */
export async function readSeries(sources: readonly SeriesSource[], options: ReadSeriesOptions = {}): Promise<SeriesReadResult> {
  const instances = sources.map((s) => readInstanceHeader(s, options.headerPrefixBytes));
  const plan = planSeries(instances, options);
  const [ni, nj, nk] = plan.geometry.sizeIJK;
  const pixelCount = ni * nj;
  const pixels = allocateOutput(plan.layout, pixelCount * nk);
  let needsFallback = false;
  for (let k = 0; k < nk && !needsFallback; k++) {
    needsFallback = !decodeFrameNative(plan.sorted[k] as FramePlan, pixels, k * pixelCount, pixelCount, plan.layout);
  }
  const h0 = instances[0].header;
  let decoder: 'native' | 'fallback' = 'native';
  let fallbackReader: string | undefined;
  if (needsFallback) {
    const syntaxes = [...new Set(instances.map((i) => i.header.transferSyntaxName))].join(', ');
    if (!options.fallback) throw new SeriesReadError(instances[0].source.name, `transfer syntax ${syntaxes} needs a codec and no fallback reader was given`);
    if (plan.sheared) {
      const file = plan.sorted.find((f) => f.instance.header.pixelData?.encapsulated && f.instance.header.transferSyntaxUid !== RLE_LOSSLESS)?.instance.source.name ?? instances[0].source.name;
      throw new SeriesReadError(
        file,
        `transfer syntax ${syntaxes} needs the itk-wasm reference reader, but this stack has a gantry tilt of ${plan.tiltDeg.toFixed(2)} deg (sheared grid) ` +
          'and that reader places slices on an orthogonal grid, which would misplace them and give a wrong voxel volume; refusing. ' +
          'Convert the series to an uncompressed or RLE transfer syntax to read it on the exact sheared grid',
      );
    }
    const sortedSources: SeriesSource[] = [];
    for (const f of plan.sorted) if (!sortedSources.includes(f.instance.source)) sortedSources.push(f.instance.source);
    const ref = await options.fallback(sortedSources);
    const alignment = alignGeometry(plan.geometry, ref.geometry, 1e-4);
    if (!alignment.ok) throw new SeriesReadError(instances[0].source.name, `fallback reader (${ref.provenance.reader}) geometry disagrees with the headers: ${alignment.reason}`);
    if (instances.some((i) => i.header.numberOfFrames > 1)) {
      // The reference keeps a multi-frame file's frame order: trust it only if that order is ours or its reverse.
      const order = plan.sorted.map((f) => f.frame);
      const ascending = order.every((f, k) => f === k);
      const descending = order.every((f, k) => f === order.length - 1 - k);
      if (!(alignment.kFlipped ? descending : ascending)) {
        throw new SeriesReadError(instances[0].source.name, 'frames are not stored in monotonic order along the normal; the fallback reader would mix them up');
      }
    }
    storedFromRescaled(ref.rescaledValues, pixels, plan.rescale[0], plan.rescale[1], instances[0].source.name, alignment.kFlipped ? plan.geometry.sizeIJK : undefined);
    decoder = 'fallback';
    fallbackReader = `${ref.provenance.reader} ${ref.provenance.packageVersion} (${ref.provenance.variant})`;
  }
  const rescaleUnits = h0.rescaleType || (h0.modality === 'CT' ? 'HU' : 'US');
  return {
    volume: { geometry: plan.geometry, pixels, rescaleSlope: plan.rescale[0], rescaleIntercept: plan.rescale[1], rescaleUnits },
    photometricInterpretation: h0.photometricInterpretation,
    modality: h0.modality,
    seriesInstanceUid: h0.seriesInstanceUid,
    transferSyntaxUids: [...new Set(instances.map((i) => i.header.transferSyntaxUid))],
    framesInKOrder: plan.sorted.map((f) => ({ source: f.instance.source.name, frame: f.frame })),
    stackProblems: plan.stackProblems,
    sheared: plan.sheared,
    provenance: { reader: FAST_PATH_READER, decoder, ...(fallbackReader ? { fallbackReader } : {}) },
  };
}

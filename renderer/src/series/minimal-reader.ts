/**
 * INTERIM single-frame decode path (uncompressed little-endian only) used by the series worker until H4's fast
 * series reader (wasm/src/series/) lands; it has the same shape: file bytes in, ScalarVolume + per-file errors out.
 */
import dicomParser from 'dicom-parser';
import type { Vec3 } from '../../../wasm/src/geometry/types.ts';
import type { ScalarVolume } from '../../../wasm/src/image/types.ts';

export interface DecodedSlice {
  rows: number;
  columns: number;
  pixelSpacingMm: [number, number];
  positionLPS: Vec3;
  orientation: [number, number, number, number, number, number];
  pixels: Int16Array | Uint16Array;
  rescaleSlope: number;
  rescaleIntercept: number;
  modality: string;
}

export interface FileError {
  file: string;
  message: string;
}

const uncompressedLE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

function numbers(ds: dicomParser.DataSet, tag: string, count: number): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = ds.floatString(tag, i);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    out.push(v);
  }
  return out;
}

export function decodeSlice(bytes: Uint8Array): DecodedSlice {
  const ds = dicomParser.parseDicom(bytes);
  const ts = ds.string('x00020010') ?? '1.2.840.10008.1.2';
  if (!uncompressedLE.has(ts)) throw new Error(`transfer syntax ${ts} is not supported by the interim reader`);
  const rows = ds.uint16('x00280010');
  const columns = ds.uint16('x00280011');
  const bitsAllocated = ds.uint16('x00280100');
  const signed = ds.uint16('x00280103') === 1;
  const samples = ds.uint16('x00280002') ?? 1;
  const frames = Number(ds.string('x00280008') ?? '1');
  if (!rows || !columns) throw new Error('no Rows/Columns');
  if (bitsAllocated !== 16 || samples !== 1 || frames !== 1) {
    throw new Error(`unsupported pixel layout: ${bitsAllocated} bits, ${samples} samples, ${frames} frames`);
  }
  const position = numbers(ds, 'x00200032', 3);
  const orientation = numbers(ds, 'x00200037', 6);
  const spacing = numbers(ds, 'x00280030', 2);
  if (!position || !orientation || !spacing) throw new Error('missing ImagePositionPatient/ImageOrientationPatient/PixelSpacing');
  const pixelElement = ds.elements.x7fe00010;
  if (!pixelElement) throw new Error('no PixelData');
  const count = rows * columns;
  if (pixelElement.length < count * 2) throw new Error('PixelData shorter than Rows x Columns');
  const start = bytes.byteOffset + pixelElement.dataOffset;
  const copy = bytes.buffer.slice(start, start + count * 2) as ArrayBuffer;
  return {
    rows,
    columns,
    pixelSpacingMm: [spacing[0], spacing[1]],
    positionLPS: [position[0], position[1], position[2]],
    orientation: orientation as DecodedSlice['orientation'],
    pixels: signed ? new Int16Array(copy) : new Uint16Array(copy),
    rescaleSlope: ds.floatString('x00281053') ?? 1,
    rescaleIntercept: ds.floatString('x00281052') ?? 0,
    modality: ds.string('x00080060') ?? '',
  };
}

/** Stack decoded slices (any order) into one volume sorted along the slice normal. */
export function assembleVolume(slices: DecodedSlice[]): { volume: ScalarVolume; modality: string } {
  if (slices.length === 0) throw new Error('no decodable slices');
  const first = slices[0];
  const o = first.orientation;
  const rowLPS: Vec3 = [o[0], o[1], o[2]];
  const colLPS: Vec3 = [o[3], o[4], o[5]];
  const normal: Vec3 = [
    rowLPS[1] * colLPS[2] - rowLPS[2] * colLPS[1],
    rowLPS[2] * colLPS[0] - rowLPS[0] * colLPS[2],
    rowLPS[0] * colLPS[1] - rowLPS[1] * colLPS[0],
  ];
  const along = (s: DecodedSlice): number => s.positionLPS[0] * normal[0] + s.positionLPS[1] * normal[1] + s.positionLPS[2] * normal[2];
  const sorted = slices
    .filter((s) => s.rows === first.rows && s.columns === first.columns)
    .sort((a, b) => along(a) - along(b));
  const n = sorted.length;
  const sliceLength = first.rows * first.columns;
  const Ctor = sorted.some((s) => s.pixels instanceof Int16Array) ? Int16Array : Uint16Array;
  const pixels = new Ctor(sliceLength * n);
  sorted.forEach((s, k) => pixels.set(s.pixels, k * sliceLength));
  const spacingK = n > 1 ? (along(sorted[n - 1]) - along(sorted[0])) / (n - 1) : 1;
  return {
    modality: first.modality,
    volume: {
      geometry: {
        sizeIJK: [first.columns, first.rows, n],
        // PixelSpacing is (row spacing, column spacing): i runs along a row, so its spacing is the column spacing.
        spacingMm: [first.pixelSpacingMm[1], first.pixelSpacingMm[0], Math.abs(spacingK) || 1],
        originLPS: sorted[0].positionLPS,
        directionLPS: [rowLPS[0], colLPS[0], normal[0], rowLPS[1], colLPS[1], normal[1], rowLPS[2], colLPS[2], normal[2]],
      },
      pixels,
      rescaleSlope: first.rescaleSlope,
      rescaleIntercept: first.rescaleIntercept,
      rescaleUnits: first.modality === 'CT' ? 'HU' : 'US',
    },
  };
}

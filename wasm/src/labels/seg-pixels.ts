import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { inflateSync } from 'fflate';
import { decodeRleFrame } from './rle.ts';

export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflatedLE: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  deflatedFrames: '1.2.840.10008.1.2.8.1',
} as const;

export const SUPPORTED_SEG_TRANSFER_SYNTAXES: Record<string, string> = {
  [TS.implicitLE]: 'Implicit VR Little Endian',
  [TS.explicitLE]: 'Explicit VR Little Endian',
  [TS.deflatedLE]: 'Deflated Explicit VR Little Endian',
  [TS.explicitBE]: 'Explicit VR Big Endian',
  [TS.rle]: 'RLE Lossless',
  [TS.deflatedFrames]: 'Deflated Image Frame Compression',
};

const KNOWN_UNSUPPORTED: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless Only',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

/** Name of a transfer syntax for messages. */
export function transferSyntaxName(uid: string): string {
  return SUPPORTED_SEG_TRANSFER_SYNTAXES[uid] ?? KNOWN_UNSUPPORTED[uid] ?? 'unknown';
}

/** Parses DICOM Part 10 bytes with dicom-parser; deflated datasets are inflated with fflate (runtime-neutral). */
export function parseDicomNamed(bytes: Uint8Array, fileName: string): DataSet {
  try {
    return dicomParser.parseDicom(bytes, {
      inflater: (arr: Uint8Array, position: number) => {
        const inflated = inflateSync(arr.subarray(position));
        const full = new Uint8Array(position + inflated.length);
        full.set(arr.subarray(0, position), 0);
        full.set(inflated, position);
        return full;
      },
    } as unknown as Parameters<typeof dicomParser.parseDicom>[1]);
  } catch (e) {
    const inner = (e as { exception?: unknown }).exception ?? e;
    const msg = inner instanceof Error ? inner.message : String(inner);
    throw new Error(`${fileName}: not a readable DICOM file (${msg})`);
  }
}

export interface FrameLayout {
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: 1 | 8 | 16;
  transferSyntaxUid: string;
}

/**
 * Decodes frame `frameIndex` (0-based) to one value per pixel (row-major, column index fastest).
 * Native 1-bit data is packed continuously across frames (a frame need not start on a byte boundary), LSB first.
 */
export type FrameDecoder = (frameIndex: number) => Uint8Array | Uint16Array;

export function makeFrameDecoder(dataSet: DataSet, layout: FrameLayout, fileName: string): FrameDecoder {
  const pixelData: Element | undefined = dataSet.elements.x7fe00010;
  if (!pixelData) throw new Error(`${fileName}: DICOM SEG has no Pixel Data (7FE0,0010)`);
  const n = layout.rows * layout.columns;
  const ts = layout.transferSyntaxUid;
  const bytes = dataSet.byteArray as Uint8Array;
  const what = (f: number): string => `${fileName} frame ${f + 1}`;

  const unpack = (src: Uint8Array, bitOffset: number, f: number): Uint8Array | Uint16Array => {
    if (layout.bitsAllocated === 1) {
      if (src.length * 8 < bitOffset + n) throw new Error(`${what(f)}: pixel data too short for ${layout.rows}x${layout.columns} 1-bit pixels`);
      const out = new Uint8Array(n);
      for (let p = 0, b = bitOffset; p < n; p++, b++) out[p] = (src[b >> 3] >> (b & 7)) & 1;
      return out;
    }
    const byteOffset = bitOffset >> 3;
    if (layout.bitsAllocated === 8) {
      if (src.length < byteOffset + n) throw new Error(`${what(f)}: pixel data too short for ${layout.rows}x${layout.columns} 8-bit pixels`);
      return src.slice(byteOffset, byteOffset + n);
    }
    if (src.length < byteOffset + 2 * n) throw new Error(`${what(f)}: pixel data too short for ${layout.rows}x${layout.columns} 16-bit pixels`);
    const out = new Uint16Array(n);
    const view = new DataView(src.buffer, src.byteOffset + byteOffset, 2 * n);
    const littleEndian = ts !== TS.explicitBE;
    for (let p = 0; p < n; p++) out[p] = view.getUint16(2 * p, littleEndian);
    return out;
  };

  if (!pixelData.encapsulatedPixelData) {
    if (ts === TS.rle || ts === TS.deflatedFrames) throw new Error(`${fileName}: transfer syntax ${ts} requires encapsulated Pixel Data, found native`);
    const native = bytes.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length);
    const bitsNeeded = layout.frames * n * layout.bitsAllocated;
    if (native.length * 8 < bitsNeeded) {
      throw new Error(`${fileName}: Pixel Data has ${native.length} bytes, ${Math.ceil(bitsNeeded / 8)} needed for ${layout.frames} frames of ${layout.rows}x${layout.columns} at ${layout.bitsAllocated} bit(s)`);
    }
    return (f) => unpack(native, f * n * layout.bitsAllocated, f);
  }

  if (ts !== TS.rle && ts !== TS.deflatedFrames) {
    throw new Error(`${fileName}: unsupported transfer syntax ${ts} (${transferSyntaxName(ts)}) for a DICOM SEG`);
  }
  const fragments = pixelData.fragments ?? [];
  const bot = pixelData.basicOffsetTable ?? [];
  const frameBytes = (f: number): Uint8Array => {
    if (bot.length === layout.frames) {
      return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, f) as Uint8Array;
    }
    if (fragments.length === layout.frames) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, f, 1) as Uint8Array;
    }
    throw new Error(`${fileName}: encapsulated Pixel Data has ${fragments.length} fragments and ${bot.length} offset-table entries for ${layout.frames} frames; cannot delimit frames`);
  };
  const bytesPerSample = layout.bitsAllocated === 1 ? 0 : layout.bitsAllocated / 8;
  return (f) => {
    if (f < 0 || f >= layout.frames) throw new Error(`${what(f)}: frame index out of range`);
    const enc = frameBytes(f);
    let native: Uint8Array;
    if (ts === TS.rle) {
      native = decodeRleFrame(enc, n, bytesPerSample, what(f));
    } else {
      try {
        native = inflateSync(enc);
      } catch (e) {
        throw new Error(`${what(f)}: deflated frame is corrupt (${(e as Error).message})`);
      }
    }
    // Encapsulated frames each start at bit 0 and are little endian after decoding.
    if (layout.bitsAllocated === 16) {
      const out = new Uint16Array(n);
      if (native.length < 2 * n) throw new Error(`${what(f)}: decoded frame too short`);
      const view = new DataView(native.buffer, native.byteOffset, 2 * n);
      for (let p = 0; p < n; p++) out[p] = view.getUint16(2 * p, true);
      return out;
    }
    return unpack(native, 0, f);
  };
}

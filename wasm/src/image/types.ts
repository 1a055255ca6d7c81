import type { ImageGeometry } from '../geometry/types.ts';

/** Stored pixel arrays the core keeps (never converted to float for storage). */
export type StoredPixelArray = Int16Array | Uint16Array | Uint8Array | Int8Array | Int32Array | Uint32Array;

/**
 * A scalar volume as stored in DICOM, with the modality LUT kept separate:
 * value (HU for CT) = stored * rescaleSlope + rescaleIntercept.
 * Voxel order: i fastest, then j, then k (ITK / itk-wasm order).
 */
export interface ScalarVolume {
  geometry: ImageGeometry;
  pixels: StoredPixelArray;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Units of rescaled values: 'HU' for CT, 'US' (unspecified) otherwise. */
  rescaleUnits: string;
}

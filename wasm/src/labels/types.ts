import type { ImageGeometry } from '../geometry/types.ts';

/**
 * A segmentation imported from a file (DICOM SEG, NIfTI, NRRD) and already placed on the target series grid
 * (same sizeIJK and voxel order as the series' ScalarVolume). Overlapping segments are kept apart by putting them on
 * different layers: within one layer, each voxel holds at most one segment's labelValue (0 = none).
 */
export interface ImportedSegmentation {
  /** The target series grid the layers are on (identical to the series image geometry). */
  geometry: ImageGeometry;
  layers: Array<Uint8Array | Uint16Array>;
  segments: ImportedSegment[];
  source: ImportedLabelSource;
}

export interface ImportedSegment {
  /** The number the user refers to when mapping roles: SEG SegmentNumber, or the NIfTI/NRRD label value. */
  segmentNumber: number;
  /** Index into ImportedSegmentation.layers. */
  layer: number;
  /** Value this segment has inside its layer. */
  labelValue: number;
  label: string;
  description?: string;
  /** Voxel count of this segment on the target grid (after mapping and, for FRACTIONAL, thresholding). */
  voxelCount: number;
}

export interface ImportedLabelSource {
  format: 'dicom-seg' | 'nifti' | 'nrrd';
  fileName: string;
  /** Hex SHA-256 of the label file bytes as read. */
  sha256: string;
  /** For DICOM SEG: the referenced series and its frame of reference; for other formats undefined. */
  referencedSeriesInstanceUid?: string;
  frameOfReferenceUid?: string;
  /** Free-text notes on how the file was mapped (e.g. "RAS->LPS: flipped i and j", "FRACTIONAL threshold 0.5"). */
  mappingNotes: string[];
}

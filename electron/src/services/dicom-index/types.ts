/**
 * The index result model. Its JSON form (`remnant index --json`) is documented in docs/index-json.md;
 * bump INDEX_SCHEMA_VERSION on any breaking change of these types.
 */
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import type { Anthropometrics, SegmentInfo } from '../../../../wasm/src/dicom/header.ts';

export const INDEX_SCHEMA_VERSION = 1;

export type IndexProblemCode =
  | 'gap'
  | 'non-uniform-spacing'
  | 'duplicate-positions'
  | 'tilt'
  | 'gantry-tilt'
  | 'oblique'
  | 'localizer'
  | 'inconsistent-rescale'
  | 'lossy'
  | 'no-geometry'
  | 'single-slice'
  | 'invalid-orientation'
  | 'inconsistent-orientation'
  | 'duplicate-instance'
  | 'mixed-transfer-syntax'
  | 'header-warning';

export interface IndexProblem {
  code: IndexProblemCode;
  message: string;
}

export interface StackEntry {
  /** 1-based within its series. */
  stackNumber: number;
  sopClassName: string;
  multiFrame: boolean;
  sliceCount: number;
  rows: number | null;
  columns: number | null;
  /** PixelSpacing[0] (between rows), PixelSpacing[1] (between columns), slice step along the normal (mean), mm. */
  spacingMm: { row: number | null; col: number | null; slice: number | null };
  sliceSpacingStatsMm: { median: number; min: number; max: number; mean: number } | null;
  sliceThicknessMm: number | null;
  frameOfReferenceUid: string;
  imageOrientationPatient: number[] | null;
  geometry: ImageGeometry | null;
  transferSyntaxes: Array<{ uid: string; name: string }>;
  lossy: boolean;
  localizer: boolean;
  rescale: Array<{ slope: number | null; intercept: number | null; type: string }>;
  problems: IndexProblem[];
  /** Files in slice order along the normal (for multi-frame: the one file). Relative to the index root when under it. */
  files: string[];
  /**
   * Identity of each slice in the same order (k = 0 first): its SOP Instance UID, or for a frame of a multi-frame image
   * UID#frame (1-based). Label importers match DICOM SEG frames to slices by these (wasm/src/labels/target-grid.ts).
   */
  sliceKeys: string[];
  /** Files holding a SOP instance already indexed in this stack (copies): skipped, listed here. */
  skippedDuplicateFiles: string[];
}

export interface SeriesEntry {
  seriesInstanceUid: string;
  seriesNumber: number | null;
  modality: string;
  seriesDescription: string;
  seriesDate: string;
  seriesTime: string;
  stacks: StackEntry[];
}

export interface PatientSummary {
  anthropometrics: Anthropometrics;
  /** Union over the study's files. */
  identifyingFieldsPresent: string[];
  patientIdentityRemoved: string | null;
  deidentificationMethod: string[];
}

export interface StudyEntry {
  studyInstanceUid: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  patient: PatientSummary;
  series: SeriesEntry[];
}

export interface SeriesLink {
  seriesInstanceUid: string;
  /** How the link was found. */
  via: 'ReferencedSeriesSequence' | 'ReferencedInstance';
  /** Whether that series is in this index. */
  indexed: boolean;
}

export interface NonImageEntry {
  path: string;
  sopClassUid: string;
  sopClassName: string;
  category: string;
  modality: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  seriesDescription: string;
  linkedSeries: SeriesLink[];
  segments: SegmentInfo[];
  transferSyntaxUid: string;
  warnings: string[];
  /** Other files holding the same SOP instance (copies): skipped, listed here. */
  skippedDuplicateFiles: string[];
}

export interface MediaDirectoryEntry {
  path: string;
  recordCount: number;
  referencedFileCount: number;
  /** ReferencedFileIDs (joined with '/') with no matching file, case-insensitively. */
  missingFiles: string[];
  warnings: string[];
}

export type UnreadableCode =
  | 'empty'
  | 'not-dicom'
  | 'truncated'
  | 'malformed'
  | 'unsupported-transfer-syntax'
  | 'deflate-failed'
  | 'deflate-too-large'
  | 'too-large'
  | 'io-error';

export interface UnreadableEntry {
  path: string;
  code: UnreadableCode;
  reason: string;
}

export interface IndexResult {
  schemaVersion: number;
  root: string;
  fileCount: number;
  studies: StudyEntry[];
  nonImageObjects: NonImageEntry[];
  mediaDirectories: MediaDirectoryEntry[];
  unreadableFiles: UnreadableEntry[];
}

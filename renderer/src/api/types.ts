/**
 * The renderer's model of an indexed folder: what the study browser lists and what the series loader needs.
 * Built from the dicom-index report (DicomIndexReport, electron/src/ipc/contract.ts) by index-model.ts.
 */
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import type { RemnantApi } from '../../../electron/src/ipc/contract.ts';

export type SeriesWarningKind = 'gap' | 'tilt' | 'lossy' | 'identifying' | 'spacing' | 'orientation' | 'other';

export interface SeriesWarning {
  kind: SeriesWarningKind;
  message: string;
}

export interface SeriesSummary {
  /** Stable id for the store: series instance UID, plus `#<stack>` when the series holds several stacks. */
  id: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  description: string;
  seriesNumber?: number;
  sliceCount: number;
  rows?: number;
  columns?: number;
  /** [column spacing (i), row spacing (j), slice step (k)] in mm, when known. */
  spacingMm?: [number, number, number];
  sliceThicknessMm?: number;
  /** Volume grid from the index (null without IPP/IOP): the viewer allocates the volume from it before any pixel arrives. */
  geometry: ImageGeometry | null;
  /** One multi-frame object (files has one entry) rather than one file per slice. */
  multiFrame: boolean;
  /** Absolute file paths in slice order along the normal (k = 0 first). */
  files: string[];
  warnings: SeriesWarning[];
  /** SOP Instance UID (or UID#frame) of each slice in the same order as `files` (k = 0 first), from the index. */
  sliceKeys?: string[];
  /** Frame of reference of the stack ('' when absent): binds a case timepoint to this series. */
  frameOfReferenceUid?: string;
  /** SeriesDate (YYYYMMDD) as indexed, '' when absent. */
  seriesDate?: string;
  /** PatientSize (m), PatientWeight (kg), PatientSex of the study, to prefill a case's anthropometrics. */
  anthropometrics?: { patientSizeM?: number; patientWeightKg?: number; patientSex?: string };
}

export interface StudySummary {
  studyInstanceUid: string;
  patientName?: string;
  patientId?: string;
  studyDate?: string;
  description: string;
  series: SeriesSummary[];
}

export interface FolderIndex {
  root: string;
  studies: StudySummary[];
  /** Files that could not be indexed, with the reason (shown per file; never fatal). */
  skipped: Array<{ path: string; reason: string }>;
  /** Non-image objects (SEG, SR, PDF, ...) found, not viewable here. */
  nonImageCount: number;
}

/** The host API (Electron preload or browser-mode HTTP client) and which one it is. */
export interface Host {
  readonly mode: 'electron' | 'browser';
  readonly api: RemnantApi;
}

/**
 * Workspace JSON and recovery types, free of Node imports so the renderer (via the IPC contract) can import them
 * without pulling in the main-process service. See docs/workspace.md.
 */

export type Sex = 'F' | 'M' | 'O';
export type ValueSource = 'dicom' | 'user';

export interface CaseAnthropometrics {
  heightM: number | null;
  weightKg: number | null;
  sex: Sex | null;
  chemotherapy: boolean | null;
  /** Where each value came from (DICOM header of the bound series, or typed by the user). */
  sources: { heightM?: ValueSource; weightKg?: ValueSource; sex?: ValueSource; chemotherapy?: ValueSource };
}

export interface SeriesBinding {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  /** Folder the series was indexed from. */
  sourceFolder: string;
}

export type TimepointKind = 'baseline' | 'week-1' | 'week-3' | 'custom';

export interface Timepoint {
  id: string;
  kind: TimepointKind;
  /** Display label ("Baseline", "Week 1", or the custom name). */
  label: string;
  /** Scan date, YYYY-MM-DD. */
  scanDate: string | null;
  series: SeriesBinding | null;
}

export interface CaseRecord {
  schemaVersion: number;
  caseId: string;
  subjectId: string;
  anthropometrics: CaseAnthropometrics;
  timepoints: Timepoint[];
  createdAt: string;
  updatedAt: string;
}

export interface RecoveryReport {
  /** Snapshot generation the state was rebuilt from. */
  snapshotGeneration: number;
  journalOpsReplayed: number;
  /** Problems found, each naming the file; empty when everything was intact. */
  problems: string[];
  /** Human summary of what was lost ("" when nothing). */
  lost: string;
  /** Damaged files moved aside (into damaged/). */
  quarantined: string[];
}

/**
 * How a segment of a timepoint segmentation is shown (segments.json beside the segmentation folder): its name,
 * colour, visibility and lock. `key` is the engine's segment key: 'liver', 'flr' or 'tumour:<t>'.
 */
export interface SegmentStyle {
  key: string;
  name: string;
  color: [number, number, number];
  visible: boolean;
  locked: boolean;
}

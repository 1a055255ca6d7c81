/**
 * Shapes of the workspace answers as the renderer sees them (runtime-neutral, types only). They mirror the workspace
 * service's records (electron/src/services/workspace/workspace.ts, which uses Node); workspace-types.test.ts
 * keeps the two assignable both ways, so a drift fails the type-check.
 */
export type Sex = 'F' | 'M' | 'O';
export type ValueSource = 'dicom' | 'user';
export type TimepointKind = 'baseline' | 'week-1' | 'week-3' | 'custom';

export interface CaseAnthropometrics {
  heightM: number | null;
  weightKg: number | null;
  sex: Sex | null;
  chemotherapy: boolean | null;
  sources: { heightM?: ValueSource; weightKg?: ValueSource; sex?: ValueSource; chemotherapy?: ValueSource };
}

export interface SeriesBinding {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  sourceFolder: string;
}

export interface Timepoint {
  id: string;
  kind: TimepointKind;
  label: string;
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

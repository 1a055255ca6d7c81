/**
 * What the renderer needs from the host (Electron preload or the browser-mode HTTP server). Kept small and mapped
 * onto H6's RemnantApi (electron/src/ipc/contract.ts) by the implementations in this folder.
 *
 * File bytes never travel through the main thread: `fileRequest` gives a URL + headers that the series worker
 * fetches directly (browser mode: GET /api/file?path=… with the x-remnant-token header on 127.0.0.1; Electron: the
 * app's privileged custom protocol, e.g. remnant://files/?path=…, registered with supportFetchAPI). Either server
 * side must only serve files inside folders indexed during this run.
 */
export type SeriesWarningKind = 'gap' | 'tilt' | 'lossy' | 'identifying' | 'spacing' | 'orientation' | 'other';

export interface SeriesWarning {
  kind: SeriesWarningKind;
  message: string;
}

export interface SeriesSummary {
  /** Stable id for the store (series instance UID, plus a stack suffix when one series holds several stacks). */
  id: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  description: string;
  seriesNumber?: number;
  sliceCount: number;
  rows?: number;
  columns?: number;
  /** [column spacing (i), row spacing (j), slice spacing (k)] in mm, when known. */
  spacingMm?: [number, number, number];
  sliceThicknessMm?: number;
  /** Absolute file paths in slice order (or unordered: the worker sorts by position). */
  files: string[];
  warnings: SeriesWarning[];
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
  /** Files that could not be read or are not images (reports, SEG, …), with the reason. */
  skipped: Array<{ path: string; reason: string }>;
}

export interface IndexProgress {
  filesSeen: number;
  filesTotal?: number;
}

export interface FileRequest {
  url: string;
  headers: Record<string, string>;
}

export interface ViewerApi {
  readonly mode: 'electron' | 'browser';
  /** Native folder picker (Electron); browser mode returns null and the UI shows a path field instead. */
  openFolderDialog(): Promise<string | null>;
  indexFolder(folderPath: string, onProgress?: (p: IndexProgress) => void): Promise<FolderIndex>;
  /** What the series worker fetches to get one file's bytes. */
  fileRequest(filePath: string): FileRequest;
}

/**
 * Types of the app's reviewer keys and "Sign & export" flow (keys:* and report:* channels), free of Node imports so
 * the IPC contract and the renderer can import them. See docs/signatures.md ("In the app").
 */
import type { GrowthRecord, MeasurementRecord } from '../../../../wasm/src/measure/index.ts';

export type KeyStatus = 'valid' | 'expired' | 'not-yet-valid';

/** One reviewer key of the workspace keystore folder (the .p12 stays encrypted under its own passphrase). */
export interface ReviewerKeyInfo {
  /** First 16 hex digits of the certificate SHA-256. */
  id: string;
  source: 'created' | 'imported';
  /** File name the key was imported from (or the name it was created under). */
  fileName: string;
  addedAt: string;
  /** Role given when the key was created or imported (the default signer role), or null. */
  role: string | null;
  commonName: string;
  subject: string;
  issuer: string;
  serialNumberHex: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  /** SHA-256 fingerprint of the certificate DER (hex). */
  sha256: string;
  /** At the time of listing. */
  status: KeyStatus;
}

export interface ReviewerKeyList {
  keys: ReviewerKeyInfo[];
  /** Key files that could not be read (named), never skipped silently. */
  problems: string[];
}

/** A key image exactly as the PDF embeds it (PNG), for the preview. */
export interface PreviewKeyImage {
  plane: string;
  sliceIndex: number;
  /** Slices along the through axis. */
  sliceCount: number;
  throughAxis: number;
  reason: string;
  pngBase64: string;
  pngSha256: string;
  width: number;
  height: number;
  orientation: { left: string; right: string; top: string; bottom: string };
  window: { center: number; width: number; units: string };
  pixelSizeMm: number;
}

/**
 * What "Sign & export" will sign, before the signature: the report data (the same object the PDF is built from,
 * without the signer) and the same key images. Held by the main process under `previewId` until signed.
 */
export interface ReportPreview {
  previewId: string;
  caseId: string;
  timepointId: string;
  subjectId: string;
  timepoint: string;
  identification: {
    seriesDescription: string | null;
    sliceThicknessMm: number | null;
    spacingMm: { row: number | null; col: number | null; slice: number | null };
    sliceCount: number;
    geometryWarnings: string[];
  };
  measurement: MeasurementRecord;
  growth: GrowthRecord | null;
  /** The baseline report growth is computed against (path), or null. */
  baselineReport: string | null;
  /** Why there is no growth section although the case has a baseline timepoint, or null. */
  growthNote: string | null;
  inputs: {
    instanceCount: number;
    labelFile: { fileName: string; sha256: string };
    labelmapSha256: string;
  };
  keyImages: PreviewKeyImage[];
  /** Default output folder: a new folder inside the timepoint's exports folder of the workspace. */
  defaultOutDir: string;
  /** File names that will be written (report, labelmap, exports). */
  fileNames: string[];
}

export interface SignedFile {
  path: string;
  name: string;
  sha256: string;
  bytes: number;
}

export interface SignExportResult {
  outDir: string;
  pdfPath: string;
  signedAt: string;
  signer: { name: string; role: string; meaning: string; certificateSubject: string; certificateSha256: string };
  verdict: { status: string; reason: string };
  files: SignedFile[];
}

/** A signed report found in a timepoint's exports folder (for co-signing). */
export interface SignedReportEntry {
  pdfPath: string;
  signedAt: string | null;
  signatures: number;
}

export interface CosignResult {
  pdfPath: string;
  sha256: string;
  bytes: number;
  signatures: number;
}


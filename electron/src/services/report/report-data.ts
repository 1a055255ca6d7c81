/**
 * The machine-readable content of a signed volumetry report (kind "remnant.report"). The same object is embedded in
 * the PDF as the attachment remnant-report.json (so it is covered by the PDF signatures) and, with the SHA-256 of the
 * unsigned PDF added, written beside it as <name>.json with a detached CMS <name>.json.p7s.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { GrowthRecord, MeasurementRecord } from '../../../../wasm/src/measure/index.ts';
import { CORE_VERSION } from '../../../../wasm/src/version.ts';
import type { CertificateInfo } from '../signing/cms.ts';
import type { MeasureOutcome } from '../measure/measure-series.ts';

export const REPORT_KIND = 'remnant.report';
export const REPORT_SCHEMA_VERSION = '1.0.0';
export const SOFTWARE_VERSION = '0.1.0';
export const EMBEDDED_REPORT_NAME = 'remnant-report.json';

export interface ReportSigner {
  name: string;
  role: string;
  /** Meaning of the signature, printed and put in the PDF signature /Reason. */
  meaning: string;
  /** ISO 8601 with the local UTC offset, e.g. 2026-03-02T14:05:09+01:00. */
  signedAt: string;
  certificate: Pick<CertificateInfo, 'subject' | 'issuer' | 'serialNumberHex' | 'sha256' | 'validFrom' | 'validTo' | 'selfSigned'>;
}

export interface ReportSlot {
  pageIndex: number;
  rectPt: [number, number, number, number];
}

export interface ReportData {
  kind: typeof REPORT_KIND;
  schemaVersion: string;
  software: { name: 'remnant'; version: string; coreVersion: string };
  subjectId: string;
  timepoint: string;
  signer: ReportSigner;
  identification: {
    seriesDescription: string | null;
    sliceThicknessMm: number | null;
    spacingMm: { row: number | null; col: number | null; slice: number | null };
    sliceCount: number;
    geometryWarnings: string[];
  };
  measurement: MeasurementRecord;
  growth: GrowthRecord | null;
  baselineRecordSha256: string | null;
  inputs: {
    instances: Array<{ file: string; sha256: string }>;
    labelFile: { fileName: string; sha256: string };
    labelmap: { sha256: string; encoding: string; sizeIJK: [number, number, number] };
  };
  keyImages: Array<{ plane: string; sliceIndex: number; reason: string; pngSha256: string }>;
  /** Page rectangles reserved for visible co-signatures (remnant cosign fills them in order). */
  cosignSlots: ReportSlot[];
}

export interface ReportRecord extends ReportData {
  pdf: { fileName: string; unsignedSha256: string; unsignedBytes: number };
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ISO 8601 local time with the UTC offset of `offsetMinutes` (minutes east of UTC; default: this machine's). */
export function isoWithOffset(date: Date, offsetMinutes = -date.getTimezoneOffset()): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${local.toISOString().slice(0, 19)}${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

export interface ReportDataInput {
  outcome: Pick<MeasureOutcome, 'record' | 'instanceSha256' | 'roleLabelmap' | 'stack' | 'firstHeader'>;
  seriesDir: string;
  subjectId: string;
  timepoint: string;
  signer: ReportSigner;
  growth?: GrowthRecord | null;
  baselineRecordSha256?: string | null;
}

/** Everything but the key images and slots (added by the PDF builder). */
export function buildReportData(input: ReportDataInput): Omit<ReportData, 'keyImages' | 'cosignSlots'> {
  const { record, stack, roleLabelmap } = input.outcome;
  if (input.subjectId.trim() === '') throw new Error('the subject ID is empty');
  if (input.timepoint.trim() === '') throw new Error('the timepoint label is empty');
  const header = input.outcome.firstHeader as unknown as Record<string, unknown>;
  const description = typeof header.seriesDescription === 'string' && header.seriesDescription !== '' ? header.seriesDescription : null;
  return {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    software: { name: 'remnant', version: SOFTWARE_VERSION, coreVersion: CORE_VERSION },
    subjectId: input.subjectId,
    timepoint: input.timepoint,
    signer: input.signer,
    identification: {
      seriesDescription: description,
      sliceThicknessMm: stack.sliceThicknessMm,
      spacingMm: { ...stack.spacingMm },
      sliceCount: stack.sliceCount,
      geometryWarnings: stack.problems.map((p) => `${p.code}: ${p.message}`),
    },
    measurement: record,
    growth: input.growth ?? null,
    baselineRecordSha256: input.baselineRecordSha256 ?? null,
    inputs: {
      instances: input.outcome.instanceSha256.map((i) => ({ file: path.relative(input.seriesDir, i.file).split(path.sep).join('/'), sha256: i.sha256 })),
      labelFile: { fileName: record.inputs.labelInput.fileName, sha256: record.inputs.labelInput.sha256 },
      labelmap: {
        sha256: sha256Hex(roleLabelmap),
        encoding: 'uint8 role labels (0 background, 1 liver outside FLR, 2 FLR, 10+t tumour t), i fastest, then j, then k',
        sizeIJK: [...record.geometry.sizeIJK],
      },
    },
  };
}

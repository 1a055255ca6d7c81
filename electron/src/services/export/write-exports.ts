/**
 * Standard exports of one measurement (docs/exports.md): DICOM SEG, DICOM SR (TID 1500), the signed PDF as an
 * Encapsulated PDF DICOM, and the EDC row as CSV and JSON. Every object is built in memory first; the files are then
 * written atomically (temp file in the output folder, fsync, rename), so a failure leaves no partial or half-set files.
 *
 * File names in outDir:
 *   seg.dcm          DICOM Segmentation (BINARY)
 *   sr.dcm           DICOM Comprehensive SR, TID 1500 Imaging Measurement Report
 *   report-pdf.dcm   Encapsulated PDF (only when signedPdf is given)
 *   edc.csv          EDC row, CSV
 *   edc.json         EDC row, JSON
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { buildEncapsulatedPdf } from '../../../../wasm/src/dicom/encapsulated-pdf.ts';
import { SEG_STORAGE_SOP_CLASS, buildSegDicom, dicomDateTime } from '../../../../wasm/src/dicom/seg-export.ts';
import type { DerivedInstanceInfo, ExportedSegment, SourceContext } from '../../../../wasm/src/dicom/seg-export.ts';
import { COMPREHENSIVE_SR_SOP_CLASS, buildMeasurementSr } from '../../../../wasm/src/dicom/sr-export.ts';
import type { SrMeasurement } from '../../../../wasm/src/dicom/sr-export.ts';
import { uidFromParts } from '../../../../wasm/src/dicom/uid.ts';
import type { TargetGrid } from '../../../../wasm/src/labels/target-grid.ts';
import type { GrowthRecord } from '../../../../wasm/src/measure/growth-record.ts';
import type { MeasurementRecord } from '../../../../wasm/src/measure/record.ts';
import { CORE_VERSION } from '../../../../wasm/src/version.ts';
import { edcRows, toCsv, toJson } from './edc.ts';
import { sourceContextFromDicom } from './source-context.ts';

export class ExportError extends Error {}

export type ExportKind = 'seg' | 'sr' | 'pdf-dicom' | 'edc-csv' | 'edc-json';

export const EXPORT_FILE_NAMES: Record<ExportKind, string> = {
  seg: 'seg.dcm',
  sr: 'sr.dcm',
  'pdf-dicom': 'report-pdf.dcm',
  'edc-csv': 'edc.csv',
  'edc-json': 'edc.json',
};

/** Series numbers of the new series (each export kind is its own series in the source study). */
export const EXPORT_SERIES_NUMBERS = { seg: 9701, sr: 9702, 'pdf-dicom': 9703 } as const;

/** What writeExports needs from measureSeries' MeasureOutcome (a MeasureOutcome fits). */
export interface ExportableOutcome {
  record: MeasurementRecord;
  roleLabelmap: Uint8Array;
  target: TargetGrid;
  /** Source instance files in slice order; the first is read for the patient / study attributes. */
  instanceSha256: ReadonlyArray<{ file: string; sha256: string }>;
}

export interface ExportReviewer {
  /** Written as DICOM PN (ContentCreatorName, Person Observer Name): "Family^Given" recommended; any Unicode (UTF-8, ISO_IR 192), see checkPersonName. */
  name: string;
  /** Free text, e.g. "radiologist" (EDC reviewer_role). */
  role: string;
}

export interface ExportRequest {
  outcome: ExportableOutcome;
  reviewer: ExportReviewer;
  subjectId: string;
  timepoint: string;
  /** The signed report PDF; when given, report-pdf.dcm is written. */
  signedPdf?: Uint8Array;
  outDir: string;
  /** Growth from the baseline to this measurement (fills dh_pp / kgr_pct_per_week). */
  growth?: GrowthRecord | null;
  /** SEG SegmentAlgorithmType; default SEMIAUTOMATIC (labels imported and reviewed in Remnant). */
  algorithmType?: 'MANUAL' | 'SEMIAUTOMATIC';
  /** Export time (content date/time, UIDs); default now. */
  exportedAt?: Date;
  /** EDC record_sha256; default SHA-256 of the record as `remnant measure --out` writes it. */
  recordSha256?: string;
  documentTitle?: string;
  institutionName?: string;
  /** Replace existing export files in outDir (atomically). Default false: existing files are an error. */
  overwrite?: boolean;
}

export interface ExportedFile {
  kind: ExportKind;
  path: string;
  /** SHA-256 (hex) of the file bytes. */
  sha256: string;
  sizeBytes: number;
  sopInstanceUid?: string;
  seriesInstanceUid?: string;
}

export interface ExportResult {
  files: ExportedFile[];
  segments: ExportedSegment[];
  measurements: SrMeasurement[];
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws an ExportError naming the folder when it is missing, not a folder, or not writable. */
export async function checkOutputFolder(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExportError(`output folder ${dir} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}; create it first`);
  }
  if (!info.isDirectory()) throw new ExportError(`output folder ${dir} is not a folder`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new ExportError(`output folder ${dir} is not writable (read-only or no permission)`);
  }
}

/**
 * Writes several files into one folder as a set: each to a temp file in the folder (exclusive create), fsync, then
 * renames; on any failure every temp file and every file already renamed by this call is removed.
 */
export async function writeFilesAtomically(dir: string, files: ReadonlyArray<{ name: string; bytes: Uint8Array }>, options: { overwrite?: boolean } = {}): Promise<string[]> {
  await checkOutputFolder(dir);
  const targets = files.map((f) => path.join(dir, f.name));
  if (!options.overwrite) {
    for (const t of targets) {
      const exists = await stat(t).then(() => true, () => false);
      if (exists) throw new ExportError(`${t} already exists; choose an empty output folder or allow overwriting`);
    }
  }
  const temps: string[] = [];
  const renamed: string[] = [];
  try {
    for (const [n, f] of files.entries()) {
      const temp = path.join(dir, `.${f.name}.${process.pid}.${Date.now().toString(36)}.${n}.tmp`);
      const handle = await open(temp, 'wx');
      temps.push(temp);
      try {
        await handle.writeFile(f.bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [n, temp] of temps.entries()) {
      await rename(temp, targets[n] as string);
      renamed.push(targets[n] as string);
    }
  } catch (error) {
    await Promise.all(temps.filter((t, n) => !renamed.includes(targets[n] as string)).map((t) => unlink(t).catch(() => undefined)));
    if (!options.overwrite) await Promise.all(renamed.map((t) => unlink(t).catch(() => undefined)));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new ExportError(`output folder ${dir} is not writable (${code})`);
    if (code === 'ENOSPC') throw new ExportError(`output folder ${dir}: no space left on the device`);
    throw error instanceof ExportError ? error : new ExportError(`writing exports to ${dir} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Persist the renames (directory entry) where the platform allows opening a directory.
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Windows cannot fsync a directory; the renames are still atomic.
  }
  return targets;
}

/** The SourceContext of an outcome, read from its first source instance file. */
export async function readSourceContext(outcome: ExportableOutcome): Promise<SourceContext> {
  const first = outcome.instanceSha256[0];
  if (!first) throw new ExportError('the measurement outcome lists no source instance files');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(first.file));
  } catch (error) {
    throw new ExportError(`${first.file}: cannot read the source instance (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return sourceContextFromDicom(bytes, first.file);
  } catch (error) {
    throw new ExportError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A reviewer name must be a DICOM PN value: any Unicode letters (written as UTF-8 with SpecificCharacterSet
 * ISO_IR 192), but no control characters and no backslash (the value separator); at most 64 characters per
 * component group ("=" separates alphabetic, ideographic and phonetic groups).
 */
export function checkPersonName(what: string, v: string): void {
  if (v.trim() === '') throw new ExportError(`${what} is empty`);
  if (/[\u0000-\u001f\u007f-\u009f\\]/u.test(v)) throw new ExportError(`${what} "${v}" contains a control character or a backslash, which a DICOM person name cannot hold`);
  if (/[\ud800-\udfff]/u.test(v)) throw new ExportError(`${what} "${v}" contains an invalid UTF-16 surrogate`);
  for (const group of v.split('=')) {
    const n = Array.from(group).length;
    if (n > 64) throw new ExportError(`${what} "${v}" has a name component group of ${n} characters; DICOM allows 64`);
  }
}

/** Builds every export in memory and writes them atomically to request.outDir. */
export async function writeExports(request: ExportRequest): Promise<ExportResult> {
  const { outcome, reviewer } = request;
  checkPersonName('reviewer name', reviewer.name ?? '');
  await checkOutputFolder(request.outDir);
  const source = await readSourceContext(outcome);
  const at = request.exportedAt ?? new Date();
  const dt = dicomDateTime(at);
  const record = outcome.record;
  const seed = [record.inputs.series.seriesInstanceUid ?? record.provenance.sourceFileSha256 ?? '', record.createdAt, reviewer.name, request.subjectId, request.timepoint, at.toISOString()];
  const instance = (kind: keyof typeof EXPORT_SERIES_NUMBERS, description: string): DerivedInstanceInfo => ({
    seriesInstanceUid: uidFromParts('remnant-export-series', kind, ...seed),
    sopInstanceUid: uidFromParts('remnant-export-instance', kind, ...seed),
    seriesNumber: EXPORT_SERIES_NUMBERS[kind],
    instanceNumber: 1,
    seriesDescription: description,
    contentDate: dt.date,
    contentTime: dt.time,
    softwareVersion: CORE_VERSION,
    ...(request.institutionName ? { institutionName: request.institutionName } : {}),
  });

  const built: Array<{ kind: ExportKind; bytes: Uint8Array; sopInstanceUid?: string; seriesInstanceUid?: string }> = [];
  let seg;
  let sr;
  try {
    seg = buildSegDicom({
      roleLabelmap: outcome.roleLabelmap,
      target: outcome.target,
      source,
      instance: instance('seg', `Remnant segments ${request.timepoint}`.slice(0, 64)),
      contentCreatorName: reviewer.name,
      algorithmType: request.algorithmType ?? 'SEMIAUTOMATIC',
      segmentPlan: { tumourCount: record.inputs.labelInput.roleMapping.tumours.length, includeEmptyFlr: record.inputs.labelInput.roleMapping.flr.length > 0 },
    });
    built.push({ kind: 'seg', bytes: seg.bytes, sopInstanceUid: seg.sopInstanceUid, seriesInstanceUid: seg.seriesInstanceUid });
    sr = buildMeasurementSr({
      record,
      source,
      sourceInstanceUids: outcome.target.sopInstanceUidsByK,
      seg: { sopInstanceUid: seg.sopInstanceUid, seriesInstanceUid: seg.seriesInstanceUid, segments: seg.segments },
      instance: instance('sr', `Remnant volumetry ${request.timepoint}`.slice(0, 64)),
      observerName: reviewer.name,
      timepoint: request.timepoint,
      growth: request.growth ?? null,
    });
    built.push({ kind: 'sr', bytes: sr.bytes, sopInstanceUid: sr.sopInstanceUid, seriesInstanceUid: sr.seriesInstanceUid });
    if (request.signedPdf) {
      const pdf = buildEncapsulatedPdf({
        pdf: request.signedPdf,
        source,
        instance: instance('pdf-dicom', `Remnant report ${request.timepoint}`.slice(0, 64)),
        ...(request.documentTitle ? { documentTitle: request.documentTitle } : {}),
        sourceInstances: [
          { sopClassUid: SEG_STORAGE_SOP_CLASS, sopInstanceUid: seg.sopInstanceUid },
          { sopClassUid: COMPREHENSIVE_SR_SOP_CLASS, sopInstanceUid: sr.sopInstanceUid },
        ],
      });
      built.push({ kind: 'pdf-dicom', bytes: pdf.bytes, sopInstanceUid: pdf.sopInstanceUid, seriesInstanceUid: pdf.seriesInstanceUid });
    }
    const rows = edcRows([
      {
        record,
        subjectId: request.subjectId,
        timepoint: request.timepoint,
        reviewer,
        ...(request.growth ? { growth: request.growth } : {}),
        ...(request.recordSha256 ? { recordSha256: request.recordSha256 } : {}),
      },
    ]);
    const utf8 = new TextEncoder();
    built.push({ kind: 'edc-csv', bytes: utf8.encode(toCsv(rows)) }, { kind: 'edc-json', bytes: utf8.encode(toJson(rows)) });
  } catch (error) {
    if (error instanceof ExportError) throw error;
    throw new ExportError(`export of series ${record.inputs.series.seriesInstanceUid} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const paths = await writeFilesAtomically(
    request.outDir,
    built.map((b) => ({ name: EXPORT_FILE_NAMES[b.kind], bytes: b.bytes })),
    { overwrite: request.overwrite ?? false },
  );
  return {
    files: built.map((b, n) => ({
      kind: b.kind,
      path: paths[n] as string,
      sha256: sha256Hex(b.bytes),
      sizeBytes: b.bytes.length,
      ...(b.sopInstanceUid ? { sopInstanceUid: b.sopInstanceUid } : {}),
      ...(b.seriesInstanceUid ? { seriesInstanceUid: b.seriesInstanceUid } : {}),
    })),
    segments: seg.segments,
    measurements: sr.measurements,
  };
}


/**
 * The one composition behind `remnant report` and the app's "Sign & export" (report:* channels):
 *
 *   prepareReport:      measure the series + label file (measureSeries), load the baseline record, compute growth;
 *   signAndWriteReport: build and sign the report (buildSignedReport), write the PDF, JSON record and .p7s (plus any
 *                       extra file, e.g. the labelmap the app measured) atomically, then the standard exports (SEG,
 *                       SR, encapsulated PDF, EDC CSV/JSON); any failure removes what this call wrote.
 *
 * The caller opens the signer (openSigner / loadP12) itself, before or after preparing: the CLI fails fast on a bad
 * keystore, the app prepares a preview first and asks for the passphrase at signing time.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertMeasurementRecord, growthRecord } from '../../../../wasm/src/measure/index.ts';
import type { GrowthRecord, MeasurementRecord } from '../../../../wasm/src/measure/index.ts';
import { EXPORT_FILE_NAMES, writeExports } from '../export/index.ts';
import { MeasureInputError, measureSeries } from '../measure/measure-series.ts';
import type { MeasureOutcome, MeasureRequest } from '../measure/measure-series.ts';
import type { LoadedSigner } from '../signing/keystore.ts';
import { sha256Hex } from './report-data.ts';
import { buildSignedReport, reportFileStem } from './signed-report.ts';
import type { SignedReport } from './signed-report.ts';
import { ReportOutputError, writeFilesAtomic } from './write-files.ts';
import type { OutputFile } from './write-files.ts';

/** Why signing is refused while the chemotherapy status is not recorded. */
export const CHEMOTHERAPY_REQUIRED_TO_SIGN =
  'record whether the liver is chemotherapy-damaged before signing: the applicable sFLR threshold (normal or chemotherapy-damaged liver) depends on it (app: case anthropometrics; remnant report: --chemo or --no-chemo)';

export interface BaselineRecord {
  file: string;
  record: MeasurementRecord;
  sha256: string;
}

/** A baseline given as a report record (kind remnant.report) or a plain measurement record. */
export async function loadBaselineRecord(file: string): Promise<BaselineRecord> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MeasureInputError(`${file}: cannot read the baseline record (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
  }
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { kind?: string; measurement?: unknown };
    const record = assertMeasurementRecord(parsed.kind === 'remnant.report' ? parsed.measurement : parsed, file);
    return { file, record, sha256: sha256Hex(bytes) };
  } catch (error) {
    throw new MeasureInputError(`${file} is not a measurement or report record: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export interface PrepareReportRequest {
  measure: MeasureRequest;
  /** Baseline report or measurement record: adds growth (DH, KGR). */
  baselineFile?: string;
  /**
   * 'throw' (default, the CLI): a baseline that cannot give growth is an error. 'note' (the app's automatic baseline
   * lookup): the report is prepared without growth and `growthProblem` says why.
   */
  growthErrors?: 'throw' | 'note';
}

export interface PreparedReport {
  outcome: MeasureOutcome;
  seriesDir: string;
  growth: GrowthRecord | null;
  baseline: BaselineRecord | null;
  growthProblem: string | null;
}

export async function prepareReport(request: PrepareReportRequest): Promise<PreparedReport> {
  const baseline = request.baselineFile !== undefined ? await loadBaselineRecord(request.baselineFile) : null;
  const outcome = await measureSeries(request.measure);
  let growth: GrowthRecord | null = null;
  let growthProblem: string | null = null;
  if (baseline) {
    try {
      growth = growthRecord(baseline.record, outcome.record);
    } catch (error) {
      const message = `${baseline.file}: ${error instanceof Error ? error.message : String(error)}`;
      if (request.growthErrors !== 'note') throw new MeasureInputError(message);
      growthProblem = message;
    }
  }
  return { outcome, seriesDir: request.measure.seriesDir, growth, baseline: growth ? baseline : null, growthProblem };
}

export interface SignAndWriteRequest {
  prepared: PreparedReport;
  signer: LoadedSigner;
  signerName: string;
  signerRole: string;
  meaning?: string;
  subjectId: string;
  timepoint: string;
  outDir: string;
  signingTime: Date;
  /** Written with the report files, in the same all-or-nothing set (the app adds the labelmap it measured). */
  extraFiles?: OutputFile[];
}

export interface ReportFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface WrittenReport {
  report: SignedReport;
  files: ReportFile[];
}

/** Every file name signAndWriteReport writes into the output folder. */
export function reportOutputNames(subjectId: string, timepoint: string, extra: readonly string[] = []): string[] {
  const stem = reportFileStem(subjectId, timepoint);
  return [`${stem}.pdf`, `${stem}.json`, `${stem}.json.p7s`, ...extra, ...Object.values(EXPORT_FILE_NAMES)];
}

/** Refuses an output folder that already holds any of the files: a signed report is never replaced silently. */
export async function assertOutputsAbsent(outDir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const target = path.join(outDir, name);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) throw new ReportOutputError(`${target} already exists: choose an empty output folder (nothing was written)`);
  }
}

export async function signAndWriteReport(request: SignAndWriteRequest): Promise<WrittenReport> {
  const { prepared, outDir } = request;
  // A signed report never applies a threshold the reviewer did not choose: the chemotherapy status must be recorded.
  if (prepared.outcome.record.inputs.anthropometrics.chemotherapy === null) throw new MeasureInputError(CHEMOTHERAPY_REQUIRED_TO_SIGN);
  const extra = request.extraFiles ?? [];
  await assertOutputsAbsent(outDir, reportOutputNames(request.subjectId, request.timepoint, extra.map((f) => f.name)));
  const report = await buildSignedReport({
    outcome: prepared.outcome,
    seriesDir: prepared.seriesDir,
    subjectId: request.subjectId,
    timepoint: request.timepoint,
    signerName: request.signerName,
    signerRole: request.signerRole,
    signer: request.signer,
    growth: prepared.growth,
    baselineRecordSha256: prepared.baseline?.sha256 ?? null,
    signingTime: request.signingTime,
    ...(request.meaning !== undefined ? { meaning: request.meaning } : {}),
  });
  const written = await writeFilesAtomic(outDir, [
    { name: report.pdfName, bytes: report.signedPdf },
    { name: report.jsonName, bytes: report.json },
    { name: report.p7sName, bytes: report.p7s },
    ...extra,
  ]);
  const files: ReportFile[] = written.map((w) => ({ path: w.path, sha256: w.sha256, bytes: w.bytes }));
  try {
    const exported = await writeExports({
      outcome: prepared.outcome,
      reviewer: { name: request.signerName, role: request.signerRole },
      subjectId: request.subjectId,
      timepoint: request.timepoint,
      signedPdf: report.signedPdf,
      outDir,
      growth: prepared.growth,
      exportedAt: request.signingTime,
    });
    files.push(...exported.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.sizeBytes })));
  } catch (error) {
    // All or nothing: the report files go too, so a re-run starts clean.
    await Promise.all(written.map((w) => rm(w.path, { force: true })));
    throw new ReportOutputError(`exports into ${outDir} failed, nothing written: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { report, files };
}

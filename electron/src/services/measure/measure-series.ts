/**
 * The measurement service: one DICOM series + one label file -> a MeasurementRecord from the core.
 * Used by `remnant measure` and, later, the main process. Every failure is a MeasureInputError whose message names the
 * file and the problem.
 *
 *   1. index the series folder and pick the image stack (electron/src/services/dicom-index);
 *   2. read it with the core's fast path (itk-wasm reference for JPEG-family syntaxes);
 *   3. hash every source instance (SHA-256) for provenance;
 *   4. import the label file onto the series grid by physical geometry (DICOM SEG, NIfTI, NRRD);
 *   5. compose the role labelmap (liver, tumours, FLR) from the user's mapping and build the record.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BsaFormulaId } from '../../../../wasm/src/clinical/bsa.ts';
import type { TlvFormulaId } from '../../../../wasm/src/clinical/tlv.ts';
import { sliceKey } from '../../../../wasm/src/labels/target-grid.ts';
import type { TargetGrid } from '../../../../wasm/src/labels/target-grid.ts';
import { importLabelFile } from '../../../../wasm/src/labels/import-label-file.ts';
import type { ImportedSegmentation } from '../../../../wasm/src/labels/types.ts';
import type { ScalarVolume } from '../../../../wasm/src/image/types.ts';
import { parseDicomHeader } from '../../../../wasm/src/dicom/header.ts';
import type { DicomInstanceHeader } from '../../../../wasm/src/dicom/header.ts';
import { buildMeasurementRecord, composeRoleLabelmap, makeProtocol, patientIdSha256 } from '../../../../wasm/src/measure/index.ts';
import type { Anthropometrics, MeasurementRecord, QcFlag, RoleMapping } from '../../../../wasm/src/measure/index.ts';
import type { SeriesDateSource } from '../../../../wasm/src/measure/record.ts';
import { DEFAULT_FRACTIONAL_THRESHOLD } from '../../../../wasm/src/labels/dicom-seg.ts';
import { readSeriesFromFiles } from '../../../../wasm/src/node/index.ts';
import type { SeriesReadResult } from '../../../../wasm/src/node/index.ts';
import { IndexRootError, indexPath } from '../dicom-index/scan.ts';
import type { IndexResult, SeriesEntry, StackEntry, StudyEntry } from '../dicom-index/types.ts';

export class MeasureInputError extends Error {}

export interface MeasureRequest {
  seriesDir: string;
  seriesUid?: string;
  labelsFile: string;
  mapping: RoleMapping;
  anthropometrics: Anthropometrics;
  bsaFormula?: BsaFormulaId;
  tlvFormula?: TlvFormulaId;
  thresholdNormalPct?: number;
  thresholdChemoPct?: number;
  fractionalThreshold?: number;
}

export interface MeasureOutcome {
  record: MeasurementRecord;
  imported: ImportedSegmentation;
  /** SHA-256 of each source instance file, in slice (k) order. */
  instanceSha256: Array<{ file: string; sha256: string }>;
  /** The series as read (stored integers + rescale) and the composed role labelmap on its grid (for reports and exports). */
  volume: ScalarVolume;
  roleLabelmap: Uint8Array;
  /** Series grid with the SOP Instance UID (or UID#frame) of each slice k. */
  target: TargetGrid;
  /** Header of the first source instance in k order (patient, study and equipment attributes for derived objects). */
  firstHeader: DicomInstanceHeader;
  /** The indexed stack that was measured (files, spacing, problems). */
  stack: StackEntry;
}

interface ChosenStack {
  study: StudyEntry;
  series: SeriesEntry;
  stack: StackEntry;
}

function describeStacks(candidates: ChosenStack[]): string {
  return candidates
    .map((c) => `  ${c.series.seriesInstanceUid}  ${c.series.modality}  "${c.series.seriesDescription}"  stack ${c.stack.stackNumber}: ${c.stack.sliceCount} slices`)
    .join('\n');
}

/** Picks the single image stack of the folder, or the one of --series-uid; refuses ambiguity and localizers. */
export function chooseImageStack(index: IndexResult, seriesUid?: string): ChosenStack {
  const all: ChosenStack[] = [];
  for (const study of index.studies) for (const series of study.series) for (const stack of series.stacks) all.push({ study, series, stack });
  const volumetric = all.filter((c) => !c.stack.localizer);
  if (seriesUid !== undefined) {
    const matching = volumetric.filter((c) => c.series.seriesInstanceUid === seriesUid);
    if (matching.length === 0) {
      throw new MeasureInputError(`${index.root}: no image series with SeriesInstanceUID ${seriesUid}; image series found:\n${describeStacks(volumetric) || '  (none)'}`);
    }
    if (matching.length > 1) {
      throw new MeasureInputError(`${index.root}: series ${seriesUid} splits into ${matching.length} stacks (different orientation, matrix or frame of reference); measure one stack per folder:\n${describeStacks(matching)}`);
    }
    return matching[0] as ChosenStack;
  }
  if (volumetric.length === 0) {
    const unreadable = index.unreadableFiles.slice(0, 5).map((u) => `  ${u.path}: ${u.reason}`).join('\n');
    throw new MeasureInputError(`${index.root}: no readable image series found${unreadable ? `; unreadable files include:\n${unreadable}` : ''}`);
  }
  if (volumetric.length > 1) {
    throw new MeasureInputError(`${index.root}: holds ${volumetric.length} image stacks; choose one with --series-uid:\n${describeStacks(volumetric)}`);
  }
  return volumetric[0] as ChosenStack;
}

/** The series grid and per-slice identities the label importers match against. */
export function targetGridOf(read: SeriesReadResult, sopUidByFile: Map<string, string>, seriesInstanceUid: string, frameOfReferenceUid: string): TargetGrid {
  const multiFrameFiles = new Set<string>();
  const counts = new Map<string, number>();
  for (const f of read.framesInKOrder) counts.set(f.source, (counts.get(f.source) ?? 0) + 1);
  for (const [file, n] of counts) if (n > 1) multiFrameFiles.add(file);
  return {
    geometry: read.volume.geometry,
    sopInstanceUidsByK: read.framesInKOrder.map((f) => {
      const uid = sopUidByFile.get(f.source);
      if (uid === undefined) throw new MeasureInputError(`${f.source}: no SOPInstanceUID could be read`);
      return multiFrameFiles.has(f.source) ? sliceKey(uid, f.frame + 1) : uid;
    }),
    frameOfReferenceUid,
    seriesInstanceUid,
  };
}

const SERIES_FLAG_SEVERITY: Record<string, QcFlag['severity']> = {
  tilt: 'warning',
  'gantry-tilt': 'warning',
  gap: 'warning',
  'non-uniform-spacing': 'warning',
  lossy: 'warning',
  'inconsistent-rescale': 'warning',
  oblique: 'info',
  'single-slice': 'warning',
};

/**
 * The series' own findings, as QC flags of the record: the reader's stack problems (tilt / sheared grid, gaps accepted
 * with allowGaps, oblique...) and the index's (lossy compression...), plus identifying data left in the headers.
 */
export function seriesQcFlags(read: SeriesReadResult, chosen: ChosenStack): QcFlag[] {
  const flags: QcFlag[] = [];
  const seen = new Set<string>();
  const add = (code: string, message: string): void => {
    const key = `${code}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    flags.push({ code: `series-${code}`, severity: SERIES_FLAG_SEVERITY[code] ?? 'info', message: `series: ${message}` });
  };
  for (const p of read.stackProblems) add(p.code, p.message);
  for (const p of chosen.stack.problems) if (p.code === 'lossy' || p.code === 'gantry-tilt' || p.code === 'inconsistent-rescale') add(p.code, p.message);
  const identifying = chosen.study.patient.identifyingFieldsPresent;
  if (identifying.length > 0) {
    flags.push({
      code: 'series-identifying-data',
      severity: 'warning',
      message: `series: identifying fields present in the DICOM headers (${identifying.join(', ')}): check de-identification before sharing`,
    });
  }
  return flags;
}

/**
 * The scan date of the measured series, the date DH/KGR intervals are counted from: AcquisitionDate of the first slice
 * (the day the images were acquired), else SeriesDate, else StudyDate. A SeriesDate that disagrees with the
 * AcquisitionDate (e.g. a series derived or reformatted days later) is flagged.
 */
export function scanDateOf(first: Pick<DicomInstanceHeader, 'acquisitionDate' | 'seriesDate' | 'studyDate'>, chosen: ChosenStack): { date: string; source: SeriesDateSource | null; flags: QcFlag[] } {
  const ok = (d: string | undefined): string => (d !== undefined && /^\d{8}$/.test(d.trim()) ? d.trim() : '');
  const acquisition = ok(first.acquisitionDate);
  const series = ok(first.seriesDate) || ok(chosen.series.seriesDate);
  const study = ok(first.studyDate) || ok(chosen.study.studyDate);
  const flags: QcFlag[] = [];
  if (acquisition && series && acquisition !== series) {
    flags.push({ code: 'series-date-sources-disagree', severity: 'warning', message: `series: AcquisitionDate ${acquisition} differs from SeriesDate ${series}; the scan date is the AcquisitionDate` });
  }
  if (acquisition) return { date: acquisition, source: 'AcquisitionDate', flags };
  if (series) return { date: series, source: 'SeriesDate', flags };
  if (study) return { date: study, source: 'StudyDate', flags };
  return { date: '', source: null, flags };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function measureSeries(request: MeasureRequest): Promise<MeasureOutcome> {
  let index: IndexResult;
  try {
    index = await indexPath(request.seriesDir);
  } catch (error) {
    if (error instanceof IndexRootError) throw new MeasureInputError(error.message);
    throw error;
  }
  const chosen = chooseImageStack(index, request.seriesUid);
  // Stack files are relative to the indexed folder (or to the folder of a DICOMDIR / single file given as the root).
  const base = (await stat(index.root)).isDirectory() ? index.root : path.dirname(index.root);
  const absoluteFiles = chosen.stack.files.map((f) => path.resolve(base, f));

  let read: SeriesReadResult;
  try {
    // Never allowGaps: a gapped or non-uniformly spaced stack has no single slice spacing, so its volumes would be
    // wrong. The viewer may still display such series; measurement refuses them.
    read = await readSeriesFromFiles(absoluteFiles, { allowGaps: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /\b(gap|non-uniform-spacing):/.test(message) ? ' Volumetry needs a complete stack with uniform slice spacing: export or reconstruct the series without missing slices.' : '';
    throw new MeasureInputError(`series ${chosen.series.seriesInstanceUid} in ${request.seriesDir}: ${message.replace(/ \(pass allowGaps[^)]*\)/, '')}.${hint}`);
  }

  // Identity and provenance of every source instance, in k order.
  const sopUidByFile = new Map<string, string>();
  let firstHeader: DicomInstanceHeader | undefined;
  const instanceSha256: Array<{ file: string; sha256: string }> = [];
  const seen = new Set<string>();
  const patientIds = new Set<string>();
  for (const frame of read.framesInKOrder) {
    if (seen.has(frame.source)) continue;
    seen.add(frame.source);
    // One read per instance: the bytes are hashed for provenance and their header gives the slice identity.
    const bytes = new Uint8Array(await readFile(frame.source));
    const header = parseDicomHeader(bytes, { fileSizeBytes: bytes.length });
    if (!header.ok) throw new MeasureInputError(`${frame.source}: ${header.message}`);
    sopUidByFile.set(frame.source, header.header.sopInstanceUid);
    firstHeader ??= header.header;
    patientIds.add((header.header.patientId ?? '').trim());
    instanceSha256.push({ file: frame.source, sha256: sha256Hex(bytes) });
  }
  const seriesSha256 = sha256Hex(new TextEncoder().encode(instanceSha256.map((i) => i.sha256).join('\n')));

  let labelBytes: Uint8Array;
  try {
    labelBytes = new Uint8Array(await readFile(request.labelsFile));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MeasureInputError(`${request.labelsFile}: cannot read the label file (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
  }
  const target = targetGridOf(read, sopUidByFile, chosen.series.seriesInstanceUid, chosen.stack.frameOfReferenceUid);
  let imported: ImportedSegmentation;
  try {
    imported = await importLabelFile(labelBytes, path.basename(request.labelsFile), target, request.fractionalThreshold === undefined ? {} : { fractionalThreshold: request.fractionalThreshold });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new MeasureInputError(message.includes(path.basename(request.labelsFile)) ? message : `${request.labelsFile}: ${message}`);
  }
  let composed;
  try {
    composed = composeRoleLabelmap(imported, request.mapping);
  } catch (error) {
    throw new MeasureInputError(`${request.labelsFile}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const protocolOverrides: Parameters<typeof makeProtocol>[0] = {};
  if (request.bsaFormula) protocolOverrides.bsaFormula = request.bsaFormula;
  if (request.tlvFormula) protocolOverrides.tlvFormula = request.tlvFormula;
  const thresholdPct: { normalLiver?: number; chemotherapyDamagedLiver?: number } = {};
  if (request.thresholdNormalPct !== undefined) thresholdPct.normalLiver = request.thresholdNormalPct;
  if (request.thresholdChemoPct !== undefined) thresholdPct.chemotherapyDamagedLiver = request.thresholdChemoPct;
  const changed = Object.keys(protocolOverrides).length > 0 || Object.keys(thresholdPct).length > 0;
  if (changed) {
    protocolOverrides.name = 'DRAGON2-default (modified)';
    protocolOverrides.thresholdPct = thresholdPct;
  }

  if (!firstHeader) throw new MeasureInputError(`${request.seriesDir}: the series has no readable instance`);
  const scanDate = scanDateOf(firstHeader, chosen);
  // The subject key: SHA-256 of the PatientID (never the ID itself). Instances that disagree make it unusable.
  const subjectKey = patientIds.size === 1 ? await patientIdSha256([...patientIds][0]) : null;
  const subjectFlags: QcFlag[] =
    patientIds.size > 1
      ? [{ code: 'series-patient-id-inconsistent', severity: 'error', message: `series: the instances carry ${patientIds.size} different PatientIDs: the series mixes subjects or was de-identified inconsistently` }]
      : [];
  const fractionalNote = (imported.source.mappingNotes ?? []).some((n) => n.startsWith('FRACTIONAL'));
  try {
    const protocol = makeProtocol(protocolOverrides);
    const record = buildMeasurementRecord({
      roles: { labelmap: composed.labelmap, qc: composed.qc, geometry: composed.geometry },
      image: read.volume,
      series: {
        // The index groups UID-less files under a placeholder; the record says null instead (content identity: sourceFileSha256).
        studyInstanceUid: firstHeader.studyInstanceUid.trim() === '' ? null : chosen.study.studyInstanceUid,
        seriesInstanceUid: firstHeader.seriesInstanceUid.trim() === '' ? null : chosen.series.seriesInstanceUid,
        frameOfReferenceUid: chosen.stack.frameOfReferenceUid,
        seriesDate: scanDate.date,
        seriesDateSource: scanDate.source,
        modality: chosen.series.modality || read.modality,
        sourceFileSha256: seriesSha256,
        patientIdSha256: subjectKey,
      },
      labelInput: {
        format: imported.source.format,
        fileName: imported.source.fileName,
        sha256: imported.source.sha256,
        roleMapping: request.mapping,
        mappingNotes: imported.source.mappingNotes,
        fractionalThreshold: fractionalNote ? (request.fractionalThreshold ?? DEFAULT_FRACTIONAL_THRESHOLD) : null,
      },
      anthropometrics: request.anthropometrics,
      protocol,
      seriesFlags: [...seriesQcFlags(read, chosen), ...scanDate.flags, ...subjectFlags],
    });
    return { record, imported, instanceSha256, volume: read.volume, roleLabelmap: composed.labelmap, target, firstHeader, stack: chosen.stack };
  } catch (error) {
    throw new MeasureInputError(error instanceof Error ? error.message : String(error));
  }
}

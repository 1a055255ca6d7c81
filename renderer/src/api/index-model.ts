/**
 * Pure mapping from the dicom-index report (DicomIndexReport) to the study browser's model (FolderIndex): one series
 * entry per stack, absolute file paths in slice order, and the warnings a reviewer must see before and while viewing
 * (gaps, tilt, lossy compression, identifying data present, ...).
 */
import type { DicomIndexReport } from '../../../electron/src/ipc/contract.ts';
import type { FolderIndex, SeriesSummary, SeriesWarning, SeriesWarningKind, StudySummary } from './types.ts';

type IndexStudy = DicomIndexReport['studies'][number];
type IndexSeries = IndexStudy['series'][number];
type IndexStack = IndexSeries['stacks'][number];
type ProblemCode = IndexStack['problems'][number]['code'];

const WARNING_KIND: Record<ProblemCode, SeriesWarningKind> = {
  gap: 'gap',
  'non-uniform-spacing': 'spacing',
  'duplicate-positions': 'spacing',
  tilt: 'tilt',
  'gantry-tilt': 'tilt',
  oblique: 'orientation',
  'invalid-orientation': 'orientation',
  'inconsistent-orientation': 'orientation',
  localizer: 'other',
  'inconsistent-rescale': 'other',
  lossy: 'lossy',
  'no-geometry': 'other',
  'single-slice': 'other',
  'duplicate-instance': 'other',
  'mixed-transfer-syntax': 'other',
  'header-warning': 'other',
};

/** True for POSIX absolute paths, Windows drive paths and UNC paths. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Absolute path of an index entry: entries are relative to baseDir (with '/') unless they are absolute already. */
export function resolveIndexPath(baseDir: string, entry: string): string {
  if (isAbsolutePath(entry)) return entry;
  const windows = /^[A-Za-z]:\\/.test(baseDir) || (baseDir.includes('\\') && !baseDir.includes('/'));
  const sep = windows ? '\\' : '/';
  const base = baseDir.replace(/[\\/]+$/, '');
  return `${base}${sep}${windows ? entry.replace(/\//g, '\\') : entry}`;
}

export function stackWarnings(stack: IndexStack, study: IndexStudy): SeriesWarning[] {
  const warnings: SeriesWarning[] = stack.problems.map((p) => ({ kind: WARNING_KIND[p.code] ?? 'other', message: p.message }));
  if (stack.lossy && !warnings.some((w) => w.kind === 'lossy')) {
    const syntaxes = stack.transferSyntaxes.map((t) => t.name).join(', ');
    warnings.push({ kind: 'lossy', message: `lossy compressed images${syntaxes ? ` (${syntaxes})` : ''}: measurements may be affected` });
  }
  if (stack.geometry === null && !stack.problems.some((p) => p.code === 'no-geometry')) {
    warnings.push({ kind: 'other', message: 'no slice geometry (ImagePositionPatient / ImageOrientationPatient missing)' });
  }
  const identifying = study.patient.identifyingFieldsPresent;
  if (identifying.length > 0) {
    warnings.push({ kind: 'identifying', message: `identifying data present: ${identifying.join(', ')}` });
  }
  return warnings;
}

function seriesSummary(baseDir: string, study: IndexStudy, series: IndexSeries, stack: IndexStack): SeriesSummary {
  const g = stack.geometry;
  const col = stack.spacingMm.col;
  const row = stack.spacingMm.row;
  const slice = stack.spacingMm.slice;
  return {
    id: series.stacks.length > 1 ? `${series.seriesInstanceUid}#${stack.stackNumber}` : series.seriesInstanceUid,
    seriesInstanceUid: series.seriesInstanceUid,
    studyInstanceUid: study.studyInstanceUid,
    modality: series.modality,
    description: series.stacks.length > 1 ? `${series.seriesDescription} (stack ${stack.stackNumber})` : series.seriesDescription,
    ...(series.seriesNumber !== null && { seriesNumber: series.seriesNumber }),
    sliceCount: stack.sliceCount,
    ...(stack.rows !== null && { rows: stack.rows }),
    ...(stack.columns !== null && { columns: stack.columns }),
    ...(g ? { spacingMm: [g.spacingMm[0], g.spacingMm[1], g.spacingMm[2]] as [number, number, number] } : col !== null && row !== null && slice !== null ? { spacingMm: [col, row, slice] as [number, number, number] } : {}),
    ...(stack.sliceThicknessMm !== null && { sliceThicknessMm: stack.sliceThicknessMm }),
    geometry: g,
    multiFrame: stack.multiFrame,
    files: stack.files.map((f) => resolveIndexPath(baseDir, f)),
    warnings: stackWarnings(stack, study),
    sliceKeys: stack.sliceKeys,
    frameOfReferenceUid: stack.frameOfReferenceUid,
    seriesDate: series.seriesDate,
    anthropometrics: {
      ...(study.patient.anthropometrics.patientSizeM !== undefined && { patientSizeM: study.patient.anthropometrics.patientSizeM }),
      ...(study.patient.anthropometrics.patientWeightKg !== undefined && { patientWeightKg: study.patient.anthropometrics.patientWeightKg }),
      ...(study.patient.anthropometrics.patientSex !== undefined && { patientSex: study.patient.anthropometrics.patientSex }),
    },
  };
}

export function folderIndexFromReport(report: DicomIndexReport): FolderIndex {
  const studies: StudySummary[] = report.studies.map((study) => ({
    studyInstanceUid: study.studyInstanceUid,
    ...(study.studyDate && { studyDate: study.studyDate }),
    description: study.studyDescription,
    series: study.series.flatMap((series) => series.stacks.map((stack) => seriesSummary(report.baseDir, study, series, stack))),
  }));
  return {
    root: report.root,
    studies,
    skipped: report.unreadableFiles.map((u) => ({ path: resolveIndexPath(report.baseDir, u.path), reason: `${u.code}: ${u.reason}` })),
    nonImageCount: report.nonImageObjects.length,
  };
}

/**
 * Grouping of parsed headers into studies > series > stacks, per-stack problem reporting, and SEG/SR/RT linking.
 * Pure (no I/O): input is the list of (path, header) pairs the scanner produced.
 */
import { sliceKey } from '../../../../wasm/src/labels/target-grid.ts';
import type { DicomInstanceHeader } from '../../../../wasm/src/dicom/header.ts';
import { transferSyntaxName } from '../../../../wasm/src/dicom/transfer-syntax.ts';
import { analyzeStack } from '../../../../wasm/src/geometry/stack.ts';
import type { SliceGeometryInput } from '../../../../wasm/src/geometry/stack.ts';
import type { Vec3 } from '../../../../wasm/src/geometry/types.ts';
import type { IndexProblem, NonImageEntry, SeriesEntry, SeriesLink, StackEntry, StudyEntry } from './types.ts';

export interface ParsedFile {
  path: string;
  header: DicomInstanceHeader;
}

/** A volumetric image object: image SOP classes, or unknown/empty classes that carry pixel data with a matrix. */
export function isImageObject(h: DicomInstanceHeader): boolean {
  if (h.sopCategory === 'image') return true;
  if (h.sopCategory === 'other') return h.pixelData !== undefined && h.rows !== undefined && h.columns !== undefined;
  return false;
}

export function isLocalizer(h: DicomInstanceHeader): boolean {
  return h.imageType.some((t) => t.toUpperCase() === 'LOCALIZER');
}

/** One slice of a stack: a single-frame file, or one frame of a multi-frame file. */
interface Slice {
  path: string;
  header: DicomInstanceHeader;
  frameIndex: number | null;
  positionLPS?: Vec3;
  orientationLPS?: number[];
  pixelSpacingMm?: [number, number];
  rescaleSlope?: number;
  rescaleIntercept?: number;
  rescaleType: string;
}

function slicesOf(f: ParsedFile): Slice[] {
  const h = f.header;
  if (h.frames.length > 0) {
    return h.frames.map((fr, i) => {
      const s: Slice = { path: f.path, header: h, frameIndex: i, rescaleType: fr.rescaleType ?? h.rescaleType };
      if (fr.positionLPS) s.positionLPS = fr.positionLPS;
      const ori = fr.orientationLPS ?? h.imageOrientationPatient;
      if (ori) s.orientationLPS = ori;
      const ps = fr.pixelSpacingMm ?? h.pixelSpacingMm;
      if (ps) s.pixelSpacingMm = ps;
      const slope = fr.rescaleSlope ?? h.rescaleSlope;
      if (slope !== undefined) s.rescaleSlope = slope;
      const intercept = fr.rescaleIntercept ?? h.rescaleIntercept;
      if (intercept !== undefined) s.rescaleIntercept = intercept;
      return s;
    });
  }
  const s: Slice = { path: f.path, header: h, frameIndex: null, rescaleType: h.rescaleType };
  if (h.imagePositionPatient) s.positionLPS = h.imagePositionPatient;
  if (h.imageOrientationPatient) s.orientationLPS = h.imageOrientationPatient;
  if (h.pixelSpacingMm) s.pixelSpacingMm = h.pixelSpacingMm;
  if (h.rescaleSlope !== undefined) s.rescaleSlope = h.rescaleSlope;
  if (h.rescaleIntercept !== undefined) s.rescaleIntercept = h.rescaleIntercept;
  return [s];
}

const round = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : 'NaN');

/**
 * Stack key: frame of reference, orientation (IOP to 1e-4), matrix, pixel spacing (1e-4 mm), localizer or not;
 * multi-frame objects form their own stacks (and split further by StackID).
 */
function stackKey(s: Slice): string {
  const h = s.header;
  const ori = s.orientationLPS ? s.orientationLPS.map((v) => round(v, 4)).join(',') : 'no-orientation';
  const ps = s.pixelSpacingMm ? s.pixelSpacingMm.map((v) => round(v, 4)).join(',') : 'no-spacing';
  const mf = s.frameIndex !== null ? `mf:${h.sopInstanceUid || s.path}:${h.frames[s.frameIndex]?.stackId ?? ''}` : 'sf';
  return [h.frameOfReferenceUid, ori, `${h.rows}x${h.columns}`, ps, isLocalizer(h) ? 'localizer' : 'image', mf].join('|');
}

function uniq<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function fmt(x: number | undefined | null, digits = 3): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '?' : Number(x.toFixed(digits)).toString();
}

function buildStack(slices: Slice[], stackNumber: number): StackEntry {
  const first = slices[0];
  if (!first) throw new Error('buildStack: empty');
  const h0 = first.header;
  const problems: IndexProblem[] = [];
  const multiFrame = first.frameIndex !== null;
  const withGeometry = slices.filter((s) => s.positionLPS && s.orientationLPS && s.orientationLPS.length >= 6);
  let ordered = slices;
  let geometry: StackEntry['geometry'] = null;
  let stats: StackEntry['sliceSpacingStatsMm'] = null;
  let sliceSpacing: number | null = null;
  const fallbackSpacing = h0.spacingBetweenSlicesMm ?? h0.sliceThicknessMm;

  if (withGeometry.length === slices.length && h0.rows !== undefined && h0.columns !== undefined) {
    const input: SliceGeometryInput[] = withGeometry.map((s) => ({ positionLPS: s.positionLPS as Vec3, orientationLPS: s.orientationLPS as number[] }));
    const opts = { rows: h0.rows, columns: h0.columns, pixelSpacingMm: first.pixelSpacingMm ?? ([Number.NaN, Number.NaN] as [number, number]) };
    const a = analyzeStack(input, fallbackSpacing === undefined ? opts : { ...opts, fallbackSliceSpacingMm: fallbackSpacing });
    ordered = a.order.map((i) => withGeometry[i] as Slice);
    geometry = a.geometry;
    sliceSpacing = Number.isFinite(a.geometry.spacingMm[2]) ? a.geometry.spacingMm[2] : null;
    if (slices.length > 1) stats = { median: a.spacing.medianMm, min: a.spacing.minMm, max: a.spacing.maxMm, mean: a.spacing.meanMm };
    for (const p of a.problems) problems.push({ code: p.code, message: p.message });
    if (!first.pixelSpacingMm) problems.push({ code: 'no-geometry', message: 'no PixelSpacing: in-plane spacing unknown' });
  } else {
    const missing = slices.length - withGeometry.length;
    problems.push({
      code: 'no-geometry',
      message: `${missing} of ${slices.length} slice(s) lack ImagePositionPatient/ImageOrientationPatient: no patient geometry (ordered by InstanceNumber for display only)`,
    });
    ordered = [...slices].sort((a, b) => (a.header.instanceNumber ?? 0) - (b.header.instanceNumber ?? 0) || (a.frameIndex ?? 0) - (b.frameIndex ?? 0) || a.path.localeCompare(b.path));
  }

  const tilts = uniq(slices.map((s) => s.header.gantryTiltDeg ?? 0).filter((t) => t !== 0));
  if (tilts.length > 0) problems.push({ code: 'gantry-tilt', message: `GantryDetectorTilt ${tilts.map((t) => fmt(t, 2)).join(', ')} deg` });
  if (isLocalizer(h0)) problems.push({ code: 'localizer', message: "ImageType contains LOCALIZER: a scout/localizer, not a volume" });

  const rescales = uniq(slices.map((s) => `${s.rescaleSlope ?? ''}|${s.rescaleIntercept ?? ''}|${s.rescaleType}`));
  const rescale = rescales.map((r) => {
    const [slope, intercept, type] = r.split('|');
    return { slope: slope === '' || slope === undefined ? null : Number(slope), intercept: intercept === '' || intercept === undefined ? null : Number(intercept), type: type ?? '' };
  });
  if (rescale.length > 1) {
    problems.push({ code: 'inconsistent-rescale', message: `${rescale.length} different rescale slope/intercept/type combinations: ${rescale.slice(0, 4).map((r) => `${fmt(r.slope, 6)}/${fmt(r.intercept, 6)}`).join(', ')}${rescale.length > 4 ? ', ...' : ''}` });
  }

  const lossySlices = slices.filter((s) => s.header.lossy);
  const lossy = lossySlices.length > 0;
  if (lossy) {
    const reasons = uniq(lossySlices.flatMap((s) => {
      const r: string[] = [];
      if (s.header.lossyImageCompression === '01') r.push('LossyImageCompression = 01');
      if (s.header.lossyTransferSyntax) r.push(`lossy transfer syntax ${s.header.transferSyntaxName}`);
      return r;
    }));
    problems.push({ code: 'lossy', message: `${multiFrame ? 'object' : `${uniq(lossySlices.map((s) => s.path)).length} file(s)`} lossy-compressed (${reasons.join('; ')})` });
  }

  const tsUids = uniq(slices.map((s) => s.header.transferSyntaxUid));
  if (tsUids.length > 1) problems.push({ code: 'mixed-transfer-syntax', message: `${tsUids.length} transfer syntaxes in one stack` });

  const warnings = uniq(slices.flatMap((s) => s.header.warnings));
  for (const w of warnings.slice(0, 5)) problems.push({ code: 'header-warning', message: w });
  if (warnings.length > 5) problems.push({ code: 'header-warning', message: `... and ${warnings.length - 5} more header warning(s)` });

  return {
    stackNumber,
    sopClassName: h0.sopClassName,
    multiFrame,
    sliceCount: slices.length,
    rows: h0.rows ?? null,
    columns: h0.columns ?? null,
    spacingMm: { row: first.pixelSpacingMm?.[0] ?? null, col: first.pixelSpacingMm?.[1] ?? null, slice: sliceSpacing },
    sliceSpacingStatsMm: stats,
    sliceThicknessMm: h0.sliceThicknessMm ?? h0.frames[0]?.sliceThicknessMm ?? null,
    frameOfReferenceUid: h0.frameOfReferenceUid,
    imageOrientationPatient: first.orientationLPS ?? null,
    geometry,
    transferSyntaxes: tsUids.map((uid) => ({ uid, name: transferSyntaxName(uid) })),
    lossy,
    localizer: isLocalizer(h0),
    rescale,
    problems,
    files: uniq(ordered.map((s) => s.path)),
    sliceKeys: ordered.map((s) => sliceKey(s.header.sopInstanceUid, multiFrame && s.frameIndex !== null ? s.frameIndex + 1 : undefined)),
    skippedDuplicateFiles: [],
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface GroupResult {
  studies: StudyEntry[];
  nonImageObjects: NonImageEntry[];
}

/** Group parsed files into studies/series/stacks and list non-image objects with their links. */
export function groupIndex(files: ParsedFile[]): GroupResult {
  // Duplicate SOP instances (the same object in two files) are indexed once; the copies are reported on the stack.
  const seen = new Map<string, string>();
  const duplicatesByKeeper = new Map<string, string[]>();
  const images: ParsedFile[] = [];
  const others: ParsedFile[] = [];
  for (const f of [...files].sort((a, b) => compareStrings(a.path, b.path))) {
    if (f.header.sopCategory === 'media-directory') continue;
    const uid = f.header.sopInstanceUid;
    if (uid !== '') {
      const keeper = seen.get(uid);
      if (keeper !== undefined) {
        duplicatesByKeeper.set(keeper, [...(duplicatesByKeeper.get(keeper) ?? []), f.path]);
        continue;
      }
      seen.set(uid, f.path);
    }
    (isImageObject(f.header) ? images : others).push(f);
  }

  const studies = new Map<string, { files: ParsedFile[]; series: Map<string, ParsedFile[]> }>();
  for (const f of images) {
    const st = f.header.studyInstanceUid || '(no StudyInstanceUID)';
    const se = f.header.seriesInstanceUid || '(no SeriesInstanceUID)';
    let study = studies.get(st);
    if (!study) studies.set(st, (study = { files: [], series: new Map() }));
    study.files.push(f);
    const list = study.series.get(se);
    if (list) list.push(f);
    else study.series.set(se, [f]);
  }

  const studyEntries: StudyEntry[] = [];
  const sopToSeries = new Map<string, string>();
  for (const f of files) if (f.header.sopInstanceUid) sopToSeries.set(f.header.sopInstanceUid, f.header.seriesInstanceUid);

  for (const [studyUid, study] of studies) {
    const seriesEntries: SeriesEntry[] = [];
    for (const [seriesUid, list] of study.series) {
      const byKey = new Map<string, Slice[]>();
      for (const f of list) {
        for (const s of slicesOf(f)) {
          const k = stackKey(s);
          const group = byKey.get(k);
          if (group) group.push(s);
          else byKey.set(k, [s]);
        }
      }
      // Largest stacks first (the volume before localizers and odd slices), then by key for a stable order.
      const groups = [...byKey.entries()].sort((a, b) => b[1].length - a[1].length || compareStrings(a[0], b[0]));
      const stacks = groups.map(([, slices], i) => {
        const stack = buildStack(slices, i + 1);
        const dups = uniq(stack.files.flatMap((p) => duplicatesByKeeper.get(p) ?? []));
        stack.skippedDuplicateFiles = dups;
        if (dups.length > 0) stack.problems.push({ code: 'duplicate-instance', message: `${dups.length} file(s) repeat SOP instances of this stack and were skipped: ${dups.slice(0, 3).join(', ')}${dups.length > 3 ? ', ...' : ''}` });
        return stack;
      });
      const h = list[0]?.header;
      seriesEntries.push({
        seriesInstanceUid: seriesUid,
        seriesNumber: h?.seriesNumber ?? null,
        modality: h?.modality ?? '',
        seriesDescription: h?.seriesDescription ?? '',
        seriesDate: h?.seriesDate ?? '',
        seriesTime: h?.seriesTime ?? '',
        stacks,
      });
    }
    seriesEntries.sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9) || compareStrings(a.seriesInstanceUid, b.seriesInstanceUid));
    const headers = study.files.map((f) => f.header);
    const h0 = headers[0];
    const anthropometrics = { ...(h0?.anthropometrics ?? {}) };
    for (const h of headers) {
      if (anthropometrics.patientSizeM === undefined && h.anthropometrics.patientSizeM !== undefined) anthropometrics.patientSizeM = h.anthropometrics.patientSizeM;
      if (anthropometrics.patientWeightKg === undefined && h.anthropometrics.patientWeightKg !== undefined) anthropometrics.patientWeightKg = h.anthropometrics.patientWeightKg;
    }
    studyEntries.push({
      studyInstanceUid: studyUid,
      studyDate: h0?.studyDate ?? '',
      studyTime: h0?.studyTime ?? '',
      studyDescription: h0?.studyDescription ?? '',
      patient: {
        anthropometrics,
        identifyingFieldsPresent: uniq(headers.flatMap((h) => h.deidentification.identifyingFieldsPresent)).sort(),
        patientIdentityRemoved: h0?.deidentification.patientIdentityRemoved ?? null,
        deidentificationMethod: uniq(headers.flatMap((h) => h.deidentification.deidentificationMethod)),
      },
      series: seriesEntries,
    });
  }
  studyEntries.sort((a, b) => compareStrings(a.studyDate, b.studyDate) || compareStrings(a.studyInstanceUid, b.studyInstanceUid));

  const indexedSeries = new Set<string>(images.map((f) => f.header.seriesInstanceUid));
  const nonImageObjects: NonImageEntry[] = others.map((f) => {
    const h = f.header;
    const links: SeriesLink[] = [];
    for (const uid of h.referencedSeriesUids) links.push({ seriesInstanceUid: uid, via: 'ReferencedSeriesSequence', indexed: indexedSeries.has(uid) });
    for (const inst of h.referencedSopInstanceUids) {
      const series = sopToSeries.get(inst);
      if (series !== undefined && !links.some((l) => l.seriesInstanceUid === series)) links.push({ seriesInstanceUid: series, via: 'ReferencedInstance', indexed: indexedSeries.has(series) });
    }
    return {
      path: f.path,
      sopClassUid: h.sopClassUid,
      sopClassName: h.sopClassName,
      category: h.sopCategory,
      modality: h.modality,
      studyInstanceUid: h.studyInstanceUid,
      seriesInstanceUid: h.seriesInstanceUid,
      seriesDescription: h.seriesDescription,
      linkedSeries: links,
      segments: h.segments,
      transferSyntaxUid: h.transferSyntaxUid,
      warnings: h.warnings,
      skippedDuplicateFiles: duplicatesByKeeper.get(f.path) ?? [],
    };
  });
  return { studies: studyEntries, nonImageObjects };
}

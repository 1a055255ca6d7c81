/**
 * Pure analysis of a stack of 2D slices (classic single-frame series or the frames of a multi-frame object):
 * stacking normal, sort along it, spacing statistics, gaps, non-uniform spacing, duplicates, gantry tilt / shear,
 * obliqueness, and the resulting ImageGeometry.
 *
 * Definitions (all positions in LPS mm):
 *  - rowLPS = IOP[0..2] (direction of increasing column index i), colLPS = IOP[3..5] (increasing row index j),
 *    normalLPS = rowLPS x colLPS.
 *  - Slices are sorted by s = IPP . normalLPS ascending (never by InstanceNumber or file name); step_k = s_{k+1} - s_k.
 *  - Duplicate: step <= duplicateToleranceMm (default 0.01 mm).
 *  - Gap: step > gapFactor (default 1.5) x median step; estimated missing slices = round(step / median) - 1.
 *  - Non-uniform: a step (other than gaps and duplicates) differs from the median by more than
 *    max(relativeTolerance x median, absoluteToleranceMm) (defaults 1 % and 0.01 mm).
 *  - Tilt / shear: the IPPs drift perpendicular to the normal. tiltDeg = angle between (last IPP - first IPP) and the
 *    normal; reported when the largest in-plane drift of any slice from the line through the first IPP along the normal
 *    exceeds tiltToleranceMm (default 0.05 mm), so IPP rounding on short stacks is not reported.
 *  - Oblique: the largest angle between any of row/col/normal and its nearest patient axis, reported above
 *    obliqueToleranceDeg (default 0.5 degrees).
 *  - Slice step: sliceStepLPS = (IPP_last - IPP_first) / (n - 1) (sorted, so sliceStepLPS . normal > 0);
 *    planeDistanceMm = sliceStepLPS . normal = (s_last - s_first) / (n - 1), the mean distance between slice planes.
 *  - Geometry: originLPS = IPP of the first sorted slice; spacingMm[0..1] = [PixelSpacing[1] (between columns),
 *    PixelSpacing[0] (between rows)]; directionLPS columns 0 and 1 = rowLPS, colLPS. The k axis:
 *     - not tilted (the usual case): column 2 = normalLPS, spacingMm[2] = planeDistanceMm (orthonormal D);
 *     - tilted (gantry tilt, 'tilt' problem) with every IPP on one straight line (in-plane deviation from the line
 *       first IPP + sliceStepLPS * (s - s_first) / planeDistanceMm at most tiltToleranceMm): `sheared` is true,
 *       column 2 = sliceStepLPS / |sliceStepLPS| and spacingMm[2] = |sliceStepLPS|. D is then NOT orthogonal; the grid
 *       reproduces every slice position exactly (pointLPS = originLPS + D diag(spacingMm) ijk, as ITK defines it), and
 *       |det(D diag(spacingMm))| = pixel area x planeDistanceMm, the true voxel volume;
 *     - tilted but the IPPs do not lie on one line: no single shear describes the stack; `sheared` is false, the
 *       geometry keeps the normal as k axis (an approximation), and the 'tilt' message says so (readers refuse it).
 *    A single slice has no measured step: spacingMm[2] = fallbackSliceSpacingMm (e.g. SpacingBetweenSlices or
 *    SliceThickness), and a 'single-slice' problem says so.
 */
import type { ImageGeometry, Vec3 } from './types.ts';

export interface SliceGeometryInput {
  /** ImagePositionPatient, LPS mm. */
  positionLPS: Vec3;
  /** ImageOrientationPatient: row cosines then column cosines. */
  orientationLPS: readonly number[];
}

export interface StackAnalysisOptions {
  rows: number;
  columns: number;
  /** DICOM PixelSpacing order: [between rows, between columns], mm. */
  pixelSpacingMm: [number, number];
  relativeTolerance?: number;
  absoluteToleranceMm?: number;
  gapFactor?: number;
  duplicateToleranceMm?: number;
  tiltToleranceMm?: number;
  obliqueToleranceDeg?: number;
  /** Max per-component difference of IOP between slices before orientations count as different (default 1e-4). */
  orientationTolerance?: number;
  /** Slice spacing to use when there is a single slice. */
  fallbackSliceSpacingMm?: number;
}

export type StackProblemCode =
  | 'single-slice'
  | 'invalid-orientation'
  | 'inconsistent-orientation'
  | 'duplicate-positions'
  | 'gap'
  | 'non-uniform-spacing'
  | 'tilt'
  | 'oblique';

export interface StackProblem {
  code: StackProblemCode;
  message: string;
}

export interface StackGap {
  /** The gap lies between sorted slices `afterSortedIndex` and `afterSortedIndex + 1`. */
  afterSortedIndex: number;
  stepMm: number;
  estimatedMissingSlices: number;
}

export interface StackDuplicate {
  /** Sorted indices of the slices sharing one position. */
  sortedIndices: number[];
  positionAlongNormalMm: number;
}

export interface StackAnalysis {
  rowLPS: Vec3;
  colLPS: Vec3;
  normalLPS: Vec3;
  /** order[k] = input index of the k-th slice along the normal. */
  order: number[];
  /** Sorted positions along the normal, mm. */
  positionsAlongNormalMm: number[];
  /** Sorted steps, mm (length n - 1). */
  stepsMm: number[];
  spacing: { medianMm: number; minMm: number; maxMm: number; meanMm: number };
  uniform: boolean;
  gaps: StackGap[];
  duplicates: StackDuplicate[];
  /** Indices (into stepsMm) of steps that are neither gaps nor duplicates but deviate from the median. */
  nonUniformSteps: number[];
  tiltDeg: number;
  /** Largest in-plane drift of a slice from the normal line through the first slice, mm. */
  maxInPlaneDriftMm: number;
  /** Largest in-plane distance of a slice position from the straight line through the first IPP along sliceStepLPS, mm. */
  maxLineDeviationMm: number;
  /**
   * True when the geometry's k axis is the (tilted) slice step rather than the normal: a gantry-tilted stack whose
   * positions lie on one straight line. directionLPS is then not orthogonal (see the module comment).
   */
  sheared: boolean;
  /** Mean step between consecutive sorted slice positions (IPP_last - IPP_first) / (n - 1), LPS mm; for one slice: normal x spacing. */
  sliceStepLPS: Vec3;
  /** Mean distance between slice planes along the normal, mm (= sliceStepLPS . normalLPS); for one slice the fallback spacing. */
  planeDistanceMm: number;
  obliqueDeg: number;
  /** Patient axis nearest to the normal, as a signed label: 'L','R','P','A','S','I' (direction of +normal). */
  normalNearestAxis: string;
  geometry: ImageGeometry;
  problems: StackProblem[];
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const RAD = 180 / Math.PI;

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Angle in degrees between a unit vector and its nearest patient axis, and that axis's signed label. */
export function angleToNearestAxisDeg(v: Vec3): { angleDeg: number; axis: string } {
  const abs = [Math.abs(v[0]), Math.abs(v[1]), Math.abs(v[2])];
  let k = 0;
  if ((abs[1] ?? 0) > (abs[k] ?? 0)) k = 1;
  if ((abs[2] ?? 0) > (abs[k] ?? 0)) k = 2;
  const c = Math.min(1, (abs[k] ?? 0) / (norm(v) || 1));
  const labels = [['L', 'R'], ['P', 'A'], ['S', 'I']][k] ?? ['?', '?'];
  return { angleDeg: Math.acos(c) * RAD, axis: (v[k] ?? 0) >= 0 ? (labels[0] ?? '?') : (labels[1] ?? '?') };
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? Number(x.toFixed(digits)).toString() : String(x);
}

/** Analyse a stack; `slices` must be non-empty and share rows/columns/pixel spacing (the caller groups by those). */
export function analyzeStack(slices: readonly SliceGeometryInput[], options: StackAnalysisOptions): StackAnalysis {
  if (slices.length === 0) throw new Error('analyzeStack: no slices');
  const relTol = options.relativeTolerance ?? 0.01;
  const absTol = options.absoluteToleranceMm ?? 0.01;
  const gapFactor = options.gapFactor ?? 1.5;
  const dupTol = options.duplicateToleranceMm ?? 0.01;
  const tiltTol = options.tiltToleranceMm ?? 0.05;
  const obliqueTol = options.obliqueToleranceDeg ?? 0.5;
  const oriTol = options.orientationTolerance ?? 1e-4;
  const problems: StackProblem[] = [];

  const first = slices[0];
  if (!first) throw new Error('analyzeStack: no slices');
  const iop = first.orientationLPS;
  let row: Vec3 = [iop[0] ?? Number.NaN, iop[1] ?? Number.NaN, iop[2] ?? Number.NaN];
  let col: Vec3 = [iop[3] ?? Number.NaN, iop[4] ?? Number.NaN, iop[5] ?? Number.NaN];
  const rowLen = norm(row);
  const colLen = norm(col);
  const orthogonality = rowLen > 0 && colLen > 0 ? dot(row, col) / (rowLen * colLen) : Number.NaN;
  if (!(Math.abs(rowLen - 1) < 1e-3 && Math.abs(colLen - 1) < 1e-3 && Math.abs(orthogonality) < 1e-3)) {
    problems.push({
      code: 'invalid-orientation',
      message: `ImageOrientationPatient is not two orthogonal unit vectors (|row| ${fmt(rowLen, 5)}, |col| ${fmt(colLen, 5)}, row.col ${fmt(orthogonality, 5)}); normalised`,
    });
  }
  row = scale(row, 1 / (rowLen || 1));
  // Gram-Schmidt so the direction matrix stays orthonormal even when IOP is slightly off.
  col = sub(col, scale(row, dot(col, row)));
  col = scale(col, 1 / (norm(col) || 1));
  // (+ 0 turns -0 into 0 so exact axis-aligned outputs compare and print cleanly.)
  row = [row[0] + 0, row[1] + 0, row[2] + 0];
  col = [col[0] + 0, col[1] + 0, col[2] + 0];
  const n0 = cross(row, col);
  const normal: Vec3 = [n0[0] + 0, n0[1] + 0, n0[2] + 0];

  let maxOriDiff = 0;
  for (const s of slices) {
    for (let c = 0; c < 6; c++) maxOriDiff = Math.max(maxOriDiff, Math.abs((s.orientationLPS[c] ?? Number.NaN) - (iop[c] ?? Number.NaN)) || 0);
    if (s.orientationLPS.length < 6) maxOriDiff = Number.POSITIVE_INFINITY;
  }
  if (maxOriDiff > oriTol) {
    problems.push({ code: 'inconsistent-orientation', message: `slice orientations differ by up to ${fmt(maxOriDiff, 5)} (tolerance ${oriTol}); the first slice's orientation is used` });
  }

  const along = slices.map((s) => dot(s.positionLPS, normal));
  const order = along.map((_, i) => i).sort((a, b) => (along[a] ?? 0) - (along[b] ?? 0) || a - b);
  const positions = order.map((i) => along[i] ?? 0);
  const steps: number[] = [];
  for (let k = 0; k + 1 < positions.length; k++) steps.push((positions[k + 1] ?? 0) - (positions[k] ?? 0));

  const n = slices.length;
  const nonDuplicateSteps = steps.filter((s) => s > dupTol);
  const med = median(nonDuplicateSteps.length > 0 ? nonDuplicateSteps : steps);
  const minStep = steps.length > 0 ? Math.min(...steps) : Number.NaN;
  const maxStep = steps.length > 0 ? Math.max(...steps) : Number.NaN;
  const meanStep = n > 1 ? ((positions[n - 1] ?? 0) - (positions[0] ?? 0)) / (n - 1) : Number.NaN;

  const duplicates: StackDuplicate[] = [];
  const gaps: StackGap[] = [];
  const nonUniformSteps: number[] = [];
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k] ?? 0;
    if (step <= dupTol) {
      const last = duplicates[duplicates.length - 1];
      if (last && last.sortedIndices[last.sortedIndices.length - 1] === k) last.sortedIndices.push(k + 1);
      else duplicates.push({ sortedIndices: [k, k + 1], positionAlongNormalMm: positions[k] ?? 0 });
    } else if (Number.isFinite(med) && step > gapFactor * med) {
      gaps.push({ afterSortedIndex: k, stepMm: step, estimatedMissingSlices: Math.max(1, Math.round(step / med) - 1) });
    } else if (Math.abs(step - med) > Math.max(relTol * med, absTol)) {
      nonUniformSteps.push(k);
    }
  }
  if (n === 1) problems.push({ code: 'single-slice', message: 'a single slice: no slice spacing can be measured from positions' });
  if (duplicates.length > 0) {
    const count = duplicates.reduce((a, d) => a + d.sortedIndices.length, 0);
    problems.push({ code: 'duplicate-positions', message: `${count} slices share ${duplicates.length} position(s) along the normal (e.g. ${fmt(duplicates[0]?.positionAlongNormalMm ?? 0)} mm)` });
  }
  if (gaps.length > 0) {
    const missing = gaps.reduce((a, g) => a + g.estimatedMissingSlices, 0);
    const g0 = gaps[0];
    problems.push({
      code: 'gap',
      message: `${gaps.length} gap(s) in slice positions, about ${missing} missing slice(s); e.g. a step of ${fmt(g0?.stepMm ?? 0)} mm after sorted slice ${g0?.afterSortedIndex ?? 0} vs median ${fmt(med)} mm`,
    });
  }
  if (nonUniformSteps.length > 0) {
    problems.push({
      code: 'non-uniform-spacing',
      message: `${nonUniformSteps.length} slice step(s) deviate from the median ${fmt(med)} mm by more than max(${relTol * 100}%, ${absTol} mm): steps range ${fmt(minStep)}..${fmt(maxStep)} mm`,
    });
  }

  // Tilt / shear: in-plane drift of each IPP from the normal line through the first sorted IPP.
  const firstSorted = slices[order[0] ?? 0] ?? first;
  const lastSorted = slices[order[n - 1] ?? 0] ?? first;
  let maxDrift = 0;
  for (const s of slices) {
    const d = sub(s.positionLPS, firstSorted.positionLPS);
    const inPlane = sub(d, scale(normal, dot(d, normal)));
    maxDrift = Math.max(maxDrift, norm(inPlane));
  }
  const span = sub(lastSorted.positionLPS, firstSorted.positionLPS);
  const spanLen = norm(span);
  const spanAlong = dot(span, normal);
  const tiltDeg = spanLen > 0 ? Math.acos(Math.min(1, Math.abs(spanAlong) / spanLen)) * RAD : 0;
  // Straightness: in-plane distance of each IPP from the line through the first IPP along the span.
  let maxLineDeviation = 0;
  if (spanAlong > 0) {
    for (const s of slices) {
      const d = sub(s.positionLPS, firstSorted.positionLPS);
      maxLineDeviation = Math.max(maxLineDeviation, norm(sub(d, scale(span, dot(d, normal) / spanAlong))));
    }
  }
  const tilted = maxDrift > tiltTol;
  const sheared = tilted && n > 1 && spanAlong > 0 && maxLineDeviation <= tiltTol;
  const sliceSpacing = n > 1 ? meanStep : (options.fallbackSliceSpacingMm ?? Number.NaN);
  const sliceStep: Vec3 = n > 1 ? scale(span, 1 / (n - 1)) : scale(normal, sliceSpacing);
  const sliceStepLen = norm(sliceStep);
  if (tilted) {
    const drift = `slice positions drift up to ${fmt(maxDrift)} mm perpendicular to the slice normal: the stacking direction is ${fmt(tiltDeg, 2)} deg from the normal (gantry tilt)`;
    problems.push({
      code: 'tilt',
      message: sheared
        ? `${drift}; the voxel grid is sheared: its k axis follows the slice step (${sliceStep.map((x) => fmt(x, 4)).join(', ')}) mm LPS of length ${fmt(sliceStepLen, 4)} mm, ` +
          `not the normal, so every slice lies at its true position; voxel volume = pixel area x distance between slice planes ` +
          `(${fmt(options.pixelSpacingMm[0], 4)} x ${fmt(options.pixelSpacingMm[1], 4)} x ${fmt(meanStep, 4)} mm = ${fmt(options.pixelSpacingMm[0] * options.pixelSpacingMm[1] * meanStep, 4)} mm3)`
        : `${drift}; the positions do not lie on one straight line (up to ${fmt(maxLineDeviation)} mm off it), so no single shear describes the stack`,
    });
  }

  const axes = [angleToNearestAxisDeg(row), angleToNearestAxisDeg(col), angleToNearestAxisDeg(normal)];
  const obliqueDeg = Math.max(...axes.map((a) => a.angleDeg));
  const normalAxis = axes[2]?.axis ?? '?';
  if (obliqueDeg > obliqueTol) {
    problems.push({ code: 'oblique', message: `oblique stack: orientation is ${fmt(obliqueDeg, 2)} deg from the nearest patient axes (normal nearest ${normalAxis})` });
  }

  const kAxis: Vec3 = sheared ? scale(sliceStep, 1 / sliceStepLen) : normal;
  const geometry: ImageGeometry = {
    sizeIJK: [options.columns, options.rows, n],
    spacingMm: [options.pixelSpacingMm[1], options.pixelSpacingMm[0], sheared ? sliceStepLen : sliceSpacing],
    originLPS: [...firstSorted.positionLPS] as Vec3,
    directionLPS: [row[0], col[0], kAxis[0], row[1], col[1], kAxis[1], row[2], col[2], kAxis[2]],
  };

  return {
    rowLPS: row,
    colLPS: col,
    normalLPS: normal,
    order,
    positionsAlongNormalMm: positions,
    stepsMm: steps,
    spacing: { medianMm: med, minMm: minStep, maxMm: maxStep, meanMm: meanStep },
    uniform: gaps.length === 0 && duplicates.length === 0 && nonUniformSteps.length === 0,
    gaps,
    duplicates,
    nonUniformSteps,
    tiltDeg,
    maxInPlaneDriftMm: maxDrift,
    maxLineDeviationMm: maxLineDeviation,
    sheared,
    sliceStepLPS: sliceStep,
    planeDistanceMm: sliceSpacing,
    obliqueDeg,
    normalNearestAxis: normalAxis,
    geometry,
    problems,
  };
}

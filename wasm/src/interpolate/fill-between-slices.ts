/**
 * Fill between painted slices for ONE label of a labelmap, with @itk-wasm/morphological-contour-interpolation
 * (ITK MorphologicalContourInterpolator, Zukić et al.).
 *
 * Steps: (1) crop to the label's bounding box (1-voxel margin in-plane, exactly the painted range along the axis),
 * (2) binary mask of the label, (3) run the pipeline along `axis` (Node: morphologicalContourInterpolationNode, browser /
 * worker: morphologicalContourInterpolation — call configureItkWasmAssets first), (4) merge back into a COPY of the
 * labelmap, only into voxels that were background (0). Voxels of other labels are never overwritten; they are counted
 * in `voxelsBlockedByOtherLabels`. The interpolation only adds voxels; it never removes painted ones.
 */
import * as mci from '@itk-wasm/morphological-contour-interpolation';
import type { Image } from 'itk-wasm';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { itkImageFromScalar } from '../pipelines/itk-image.ts';
import { extractLabelBox, labelBoundingBox, mergeLabelBox, slicesWithLabel } from './labels.ts';
import type { BoxIJK } from './labels.ts';

export interface FillBetweenSlicesOptions {
  /** Label value to interpolate (1..255). */
  label: number;
  /** Index axis the slices were painted across: 0 = i, 1 = j, 2 = k (default 2, the acquisition slices). */
  axis?: 0 | 1 | 2;
}

export interface FillBetweenSlicesResult {
  /** New labelmap (the input is not modified). */
  labelmap: Uint8Array;
  voxelsAdded: number;
  voxelsBlockedByOtherLabels: number;
  /** Slices (along axis) that received voxels. */
  slicesFilled: number[];
  /** Slices (along axis) that contained the label before. */
  paintedSlices: number[];
  /** Region handed to the pipeline, in labelmap voxel indices. */
  boxIJK: BoxIJK | null;
}

interface MciApi {
  morphologicalContourInterpolationNode?: (image: Image, options: { label?: number; axis?: number }) => Promise<{ outputImage: Image }>;
  morphologicalContourInterpolation?: (image: Image, options: { label?: number; axis?: number; webWorker?: unknown }) => Promise<{ outputImage: Image }>;
}

/** Run the itk-wasm pipeline on a binary uint8 mask (label 1) on `geometry`; Node or worker variant as available. */
export async function runContourInterpolation(mask: Uint8Array, geometry: ImageGeometry, axis: 0 | 1 | 2): Promise<Uint8Array> {
  const api = mci as MciApi;
  if (axis === 0) {
    // The package drops a falsy `axis` option (0) and would then interpolate along every axis: swap i and k, run
    // along k, swap back.
    const [ni, nj, nk] = geometry.sizeIJK;
    const swapped = swapIK(mask, ni, nj, nk);
    const swappedGeometry: ImageGeometry = { ...geometry, sizeIJK: [nk, nj, ni], spacingMm: [geometry.spacingMm[2], geometry.spacingMm[1], geometry.spacingMm[0]] };
    const out = await runContourInterpolation(swapped, swappedGeometry, 2);
    return swapIK(out, nk, nj, ni);
  }
  const image = itkImageFromScalar(geometry, mask, 'label-mask');
  let result: { outputImage: Image };
  try {
    if (typeof api.morphologicalContourInterpolationNode === 'function') {
      result = await api.morphologicalContourInterpolationNode(image, { label: 1, axis });
    } else if (typeof api.morphologicalContourInterpolation === 'function') {
      result = await api.morphologicalContourInterpolation(image, { label: 1, axis, webWorker: null });
    } else {
      throw new Error('no morphologicalContourInterpolation function in this runtime');
    }
  } catch (thrown) {
    const text = thrown instanceof Error ? thrown.message : String(thrown);
    throw new Error(`morphological-contour-interpolation failed on a ${geometry.sizeIJK.join('x')} mask: ${text}`, { cause: thrown });
  }
  const out = result.outputImage?.data;
  if (out === null || out === undefined || out.length !== mask.length) {
    throw new Error(`morphological-contour-interpolation returned ${out?.length ?? 'no'} voxels for a ${mask.length}-voxel mask`);
  }
  return out as Uint8Array;
}

/** Fill between painted slices of one label (see module comment). */
export async function fillBetweenSlices(
  labelmap: Uint8Array,
  geometry: ImageGeometry,
  options: FillBetweenSlicesOptions,
): Promise<FillBetweenSlicesResult> {
  const { label } = options;
  const axis = options.axis ?? 2;
  const sizeIJK = geometry.sizeIJK;
  const n = sizeIJK[0] * sizeIJK[1] * sizeIJK[2];
  if (labelmap.length !== n) throw new Error(`fillBetweenSlices: labelmap has ${labelmap.length} voxels, geometry ${sizeIJK.join('x')} needs ${n}`);
  if (!Number.isInteger(label) || label < 1 || label > 255) throw new Error(`fillBetweenSlices: label must be an integer 1..255, got ${label}`);
  const output = labelmap.slice();
  const paintedSlices = slicesWithLabel(labelmap, sizeIJK, label, axis);
  const bbox = labelBoundingBox(labelmap, sizeIJK, label);
  if (bbox === null || paintedSlices.length < 2) {
    return { labelmap: output, voxelsAdded: 0, voxelsBlockedByOtherLabels: 0, slicesFilled: [], paintedSlices, boxIJK: null };
  }
  // In-plane margin of one voxel so contours touching the box edge are not clipped; none along the axis.
  const min = [...bbox.min] as Vec3;
  const max = [...bbox.max] as Vec3;
  for (let a = 0; a < 3; a++) {
    if (a === axis) continue;
    min[a] = Math.max(0, min[a] - 1);
    max[a] = Math.min(sizeIJK[a] - 1, max[a] + 1);
  }
  const box: BoxIJK = { min, max };
  const mask = extractLabelBox(labelmap, sizeIJK, label, box);
  const boxSize: Vec3 = [max[0] - min[0] + 1, max[1] - min[1] + 1, max[2] - min[2] + 1];
  const boxGeometry: ImageGeometry = { ...geometry, sizeIJK: boxSize };
  const interpolated = await runContourInterpolation(mask, boxGeometry, axis);
  const merged = mergeLabelBox(output, sizeIJK, label, box, interpolated, axis);
  return { labelmap: output, ...merged, paintedSlices, boxIJK: box };
}

/** Transpose a volume (ni x nj x nk, i fastest) into (nk x nj x ni): out[i'=k, j, k'=i] = in[i, j, k]. */
export function swapIK(src: Uint8Array, ni: number, nj: number, nk: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) out[(i * nj + j) * nk + k] = src[(k * nj + j) * ni + i];
    }
  }
  return out;
}

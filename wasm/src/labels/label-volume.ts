import type { ImageGeometry } from '../geometry/types.ts';
import type { ImportedLabelSource, ImportedSegment, ImportedSegmentation } from './types.ts';
import { describeAxisMapping, findAxisMapping, reorderToTarget } from './grid-match.ts';
import { defaultToleranceMm, describeGeometry } from './target-grid.ts';
import type { TargetGrid } from './target-grid.ts';

export interface GridMatchOptions {
  /** Largest allowed distance between a label voxel centre and its target voxel centre (default defaultToleranceMm). */
  toleranceMm?: number;
}

/** A label volume read from a file (NIfTI, NRRD) before it is placed on the target grid. */
export interface LabelVolume {
  format: 'nifti' | 'nrrd';
  fileName: string;
  geometry: ImageGeometry;
  /** Stored values per layer, in the file's voxel order (i fastest). Usually one layer. */
  layers: Array<ArrayLike<number | bigint>>;
  /** label = stored * slope + inter (NIfTI scl_slope / scl_inter); 1 and 0 otherwise. */
  slope: number;
  inter: number;
  /** Optional names by layer and label value (e.g. from Slicer .seg.nrrd metadata). */
  names?: Array<Map<number, string>>;
  notes: string[];
}

/** Error for a label grid that does not coincide with the target grid; the message states both geometries. */
export function gridMismatchError(fileName: string, label: ImageGeometry, target: TargetGrid, toleranceMm: number, maxDeviationMm: number): Error {
  const why = Number.isFinite(maxDeviationMm)
    ? `the best axis permutation/flip leaves voxel centres up to ${maxDeviationMm.toFixed(4)} mm apart (tolerance ${toleranceMm.toFixed(4)} mm)`
    : 'the grid sizes differ under every axis permutation';
  return new Error(
    `${fileName}: label grid does not match the target series ${target.seriesInstanceUid} (${why}); labels are never resampled. ` +
      `Label grid: ${describeGeometry(label)}. Target grid: ${describeGeometry(target.geometry)}.`,
  );
}

/** Converts one stored value to an integral label, or throws naming the file and voxel. */
function toLabel(stored: number | bigint, slope: number, inter: number, fileName: string, index: number): number {
  const v = typeof stored === 'bigint' ? Number(stored) * slope + inter : stored * slope + inter;
  if (!Number.isInteger(v) || v < 0 || v > 65535) {
    throw new Error(
      `${fileName}: voxel ${index} has label value ${v}${slope !== 1 || inter !== 0 ? ` (stored ${stored} * ${slope} + ${inter})` : ''}; ` +
        'labels must be integers 0..65535 (probability maps must be thresholded before import)',
    );
  }
  return v;
}

/**
 * Places a label volume on the target grid by exact voxel reordering (axis permutation / flips only) after checking
 * that every voxel centre coincides within tolerance; lists each non-zero label value of each layer as a segment.
 */
export function labelVolumeToSegmentation(
  volume: LabelVolume,
  target: TargetGrid,
  sha256: string,
  options: GridMatchOptions = {},
): ImportedSegmentation {
  const toleranceMm = options.toleranceMm ?? defaultToleranceMm(target.geometry);
  const match = findAxisMapping(volume.geometry, target.geometry, toleranceMm);
  if (!match.matches || !match.mapping) throw gridMismatchError(volume.fileName, volume.geometry, target, toleranceMm, match.maxDeviationMm);
  const mapping = match.mapping;
  const n = volume.geometry.sizeIJK[0] * volume.geometry.sizeIJK[1] * volume.geometry.sizeIJK[2];

  const layers: Array<Uint8Array | Uint16Array> = [];
  const segments: ImportedSegment[] = [];
  const multiLayer = volume.layers.length > 1;
  let sequential = 0;
  volume.layers.forEach((stored, layerIndex) => {
    if (stored.length !== n) throw new Error(`${volume.fileName}: layer ${layerIndex} has ${stored.length} voxels, grid has ${n}`);
    const labels = new Uint16Array(n);
    const counts = new Float64Array(65536);
    let max = 0;
    const identity = volume.slope === 1 && volume.inter === 0;
    for (let i = 0; i < n; i++) {
      const s = stored[i];
      let v: number;
      if (identity && typeof s === 'number' && Number.isInteger(s) && s >= 0 && s <= 65535) v = s;
      else v = toLabel(s, volume.slope, volume.inter, volume.fileName, i);
      labels[i] = v;
      counts[v]++;
      if (v > max) max = v;
    }
    const out = max <= 255 ? new Uint8Array(n) : new Uint16Array(n);
    reorderToTarget(labels, volume.geometry.sizeIJK, mapping, out);
    layers.push(out);
    for (let v = 1; v <= max; v++) {
      if (counts[v] === 0) continue;
      const name = volume.names?.[layerIndex]?.get(v);
      sequential++;
      segments.push({
        segmentNumber: multiLayer ? sequential : v,
        layer: layerIndex,
        labelValue: v,
        label: name ?? `Label ${v}`,
        ...(multiLayer ? { description: `layer ${layerIndex}, value ${v}` } : {}),
        voxelCount: counts[v],
      });
    }
  });

  const source: ImportedLabelSource = {
    format: volume.format,
    fileName: volume.fileName,
    sha256,
    mappingNotes: [
      ...volume.notes,
      `grid matched to series ${target.seriesInstanceUid}: ${describeAxisMapping(mapping)}; max voxel-centre deviation ${match.maxDeviationMm.toExponential(2)} mm (tolerance ${toleranceMm} mm)`,
    ],
  };
  return { geometry: target.geometry, layers, segments, source };
}

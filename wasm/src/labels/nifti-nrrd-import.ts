import { readNifti } from '../io/nifti-read.ts';
import { readNrrd } from '../io/nrrd-read.ts';
import { sha256Hex } from '../util/sha256.ts';
import type { ImportedSegmentation } from './types.ts';
import type { TargetGrid } from './target-grid.ts';
import { labelVolumeToSegmentation } from './label-volume.ts';
import type { GridMatchOptions } from './label-volume.ts';

/** Imports a NIfTI-1/2 label map (.nii / .nii.gz) onto the target series grid (no resampling). */
export async function importNiftiLabels(bytes: Uint8Array, fileName: string, target: TargetGrid, options: GridMatchOptions = {}): Promise<ImportedSegmentation> {
  const sha256 = await sha256Hex(bytes);
  const nifti = readNifti(bytes, fileName);
  const notes = [...nifti.notes];
  if (nifti.datatypeName.startsWith('float')) notes.push(`${nifti.datatypeName} voxels checked to be integral labels`);
  return labelVolumeToSegmentation(
    {
      format: 'nifti',
      fileName,
      geometry: nifti.geometry,
      layers: [nifti.data],
      slope: nifti.sclSlope,
      inter: nifti.sclInter,
      notes,
    },
    target,
    sha256,
    options,
  );
}

/** Segment names from Slicer segmentation metadata (SegmentN_Name / SegmentN_LabelValue / SegmentN_Layer), per layer. */
export function slicerSegmentNames(keyValues: Record<string, string>, layerCount: number): Array<Map<number, string>> {
  const names = Array.from({ length: layerCount }, () => new Map<number, string>());
  for (const [key, name] of Object.entries(keyValues)) {
    const m = /^Segment(\d+)_Name$/.exec(key);
    if (!m) continue;
    const value = Number(keyValues[`Segment${m[1]}_LabelValue`] ?? Number(m[1]) + 1);
    const layer = Number(keyValues[`Segment${m[1]}_Layer`] ?? 0);
    if (Number.isInteger(value) && layer >= 0 && layer < layerCount) names[layer].set(value, name);
  }
  return names;
}

/**
 * Imports an NRRD label map (attached raw/gzip/ascii data) onto the target series grid. A 4D NRRD whose extra axis
 * has no space direction (Slicer's layered .seg.nrrd) becomes one layer per entry.
 */
export async function importNrrdLabels(bytes: Uint8Array, fileName: string, target: TargetGrid, options: GridMatchOptions = {}): Promise<ImportedSegmentation> {
  const sha256 = await sha256Hex(bytes);
  const nrrd = readNrrd(bytes, fileName);
  const notes = [...nrrd.notes];
  if (nrrd.type.startsWith('float')) notes.push(`${nrrd.type} voxels checked to be integral labels`);
  return labelVolumeToSegmentation(
    {
      format: 'nrrd',
      fileName,
      geometry: nrrd.geometry,
      layers: nrrd.components,
      slope: 1,
      inter: 0,
      names: slicerSegmentNames(nrrd.keyValues, nrrd.components.length),
      notes,
    },
    target,
    sha256,
    options,
  );
}

import { isGzip, niftiVersion } from '../io/nifti-read.ts';
import { isNrrd } from '../io/nrrd-read.ts';
import type { ImportedSegmentation } from './types.ts';
import type { TargetGrid } from './target-grid.ts';
import { importDicomSeg } from './dicom-seg.ts';
import type { SegImportOptions } from './dicom-seg.ts';
import { importNiftiLabels, importNrrdLabels } from './nifti-nrrd-import.ts';

export type LabelFileFormat = ImportedSegmentation['source']['format'];

/** Recognises a label file from its bytes (magic numbers), falling back to the file name for preamble-less DICOM. */
export function detectLabelFormat(bytes: Uint8Array, fileName: string): LabelFileFormat {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return 'dicom-seg';
  if (isNrrd(bytes)) return 'nrrd';
  if (niftiVersion(bytes) !== 0) return 'nifti';
  const lower = fileName.toLowerCase();
  if (isGzip(bytes) && (lower.endsWith('.nii.gz') || lower.endsWith('.nii'))) return 'nifti';
  if (lower.endsWith('.dcm')) return 'dicom-seg';
  throw new Error(`${fileName}: not a recognised label file (expected DICOM SEG, NIfTI .nii/.nii.gz or NRRD .nrrd)`);
}

/** Imports a DICOM SEG, NIfTI or NRRD label file onto the target series grid (format detected from the bytes). */
export async function importLabelFile(bytes: Uint8Array, fileName: string, target: TargetGrid, options: SegImportOptions = {}): Promise<ImportedSegmentation> {
  switch (detectLabelFormat(bytes, fileName)) {
    case 'dicom-seg':
      return importDicomSeg(bytes, fileName, target, options);
    case 'nrrd':
      return importNrrdLabels(bytes, fileName, target, options);
    case 'nifti':
      return importNiftiLabels(bytes, fileName, target, options);
  }
}

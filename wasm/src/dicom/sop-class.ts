/**
 * SOP class UID -> name (DICOM PS3.4 Annex B / PS3.6 Annex A) and a coarse category the index uses to split
 * volumetric image objects from everything else (SEG, SR, PDF, RTSTRUCT, presentation states, KOS, ...).
 */
export type SopCategory = 'image' | 'segmentation' | 'structured-report' | 'encapsulated-document' | 'rt' | 'presentation-state' | 'key-object-selection' | 'media-directory' | 'waveform' | 'raw-data' | 'other';

export interface SopClassInfo {
  uid: string;
  name: string;
  category: SopCategory;
}

const ENTRIES: ReadonlyArray<[string, string, SopCategory]> = [
  ['1.2.840.10008.1.3.10', 'Media Storage Directory Storage (DICOMDIR)', 'media-directory'],
  ['1.2.840.10008.5.1.4.1.1.1', 'Computed Radiography Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.1', 'Digital X-Ray Image Storage - For Presentation', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.1.1', 'Digital X-Ray Image Storage - For Processing', 'image'],
  ['1.2.840.10008.5.1.4.1.1.2', 'CT Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.2.1', 'Enhanced CT Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.2.2', 'Legacy Converted Enhanced CT Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.3.1', 'Ultrasound Multi-frame Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4', 'MR Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4.1', 'Enhanced MR Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4.2', 'MR Spectroscopy Storage', 'other'],
  ['1.2.840.10008.5.1.4.1.1.4.3', 'Enhanced MR Color Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4.4', 'Legacy Converted Enhanced MR Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.6.1', 'Ultrasound Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.6.2', 'Enhanced US Volume Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7', 'Secondary Capture Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.1', 'Multi-frame Single Bit Secondary Capture Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.2', 'Multi-frame Grayscale Byte Secondary Capture Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.3', 'Multi-frame Grayscale Word Secondary Capture Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.4', 'Multi-frame True Color Secondary Capture Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.9.1.1', '12-lead ECG Waveform Storage', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.1.2', 'General ECG Waveform Storage', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.11.1', 'Grayscale Softcopy Presentation State Storage', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.2', 'Color Softcopy Presentation State Storage', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.3', 'Pseudo-Color Softcopy Presentation State Storage', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.4', 'Blending Softcopy Presentation State Storage', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.12.1', 'X-Ray Angiographic Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.12.2', 'X-Ray Radiofluoroscopic Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.20', 'Nuclear Medicine Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.30', 'Parametric Map Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.66', 'Raw Data Storage', 'raw-data'],
  ['1.2.840.10008.5.1.4.1.1.66.1', 'Spatial Registration Storage', 'other'],
  ['1.2.840.10008.5.1.4.1.1.66.2', 'Spatial Fiducials Storage', 'other'],
  ['1.2.840.10008.5.1.4.1.1.66.3', 'Deformable Spatial Registration Storage', 'other'],
  ['1.2.840.10008.5.1.4.1.1.66.4', 'Segmentation Storage', 'segmentation'],
  ['1.2.840.10008.5.1.4.1.1.66.5', 'Surface Segmentation Storage', 'segmentation'],
  ['1.2.840.10008.5.1.4.1.1.66.7', 'Label Map Segmentation Storage', 'segmentation'],
  ['1.2.840.10008.5.1.4.1.1.67', 'Real World Value Mapping Storage', 'other'],
  ['1.2.840.10008.5.1.4.1.1.68.1', 'Surface Scan Mesh Storage', 'other'],
  ['1.2.840.10008.5.1.4.1.1.88.11', 'Basic Text SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.22', 'Enhanced SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.33', 'Comprehensive SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.34', 'Comprehensive 3D SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.40', 'Procedure Log Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.50', 'Mammography CAD SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.59', 'Key Object Selection Document Storage', 'key-object-selection'],
  ['1.2.840.10008.5.1.4.1.1.88.65', 'Chest CAD SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.67', 'X-Ray Radiation Dose SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.88.71', 'Acquisition Context SR Storage', 'structured-report'],
  ['1.2.840.10008.5.1.4.1.1.104.1', 'Encapsulated PDF Storage', 'encapsulated-document'],
  ['1.2.840.10008.5.1.4.1.1.104.2', 'Encapsulated CDA Storage', 'encapsulated-document'],
  ['1.2.840.10008.5.1.4.1.1.104.3', 'Encapsulated STL Storage', 'encapsulated-document'],
  ['1.2.840.10008.5.1.4.1.1.128', 'Positron Emission Tomography Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.130', 'Enhanced PET Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.128.1', 'Legacy Converted Enhanced PET Image Storage', 'image'],
  ['1.2.840.10008.5.1.4.1.1.481.1', 'RT Image Storage', 'rt'],
  ['1.2.840.10008.5.1.4.1.1.481.2', 'RT Dose Storage', 'rt'],
  ['1.2.840.10008.5.1.4.1.1.481.3', 'RT Structure Set Storage', 'rt'],
  ['1.2.840.10008.5.1.4.1.1.481.4', 'RT Beams Treatment Record Storage', 'rt'],
  ['1.2.840.10008.5.1.4.1.1.481.5', 'RT Plan Storage', 'rt'],
  ['1.2.840.10008.5.1.4.1.1.481.8', 'RT Ion Plan Storage', 'rt'],
  ['1.2.840.10008.5.1.4.1.1.481.9', 'RT Ion Beams Treatment Record Storage', 'rt'],
];

const BY_UID = new Map<string, SopClassInfo>(ENTRIES.map(([uid, name, category]) => [uid, { uid, name, category }]));

/** Name and category of a SOP class; unknown UIDs are named by their UID with category 'other'. */
export function sopClassInfo(uid: string): SopClassInfo {
  const trimmed = uid.trim();
  return BY_UID.get(trimmed) ?? { uid: trimmed, name: trimmed === '' ? 'unknown SOP class (empty SOPClassUID)' : `unknown SOP class ${trimmed}`, category: 'other' };
}

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
export const MEDIA_STORAGE_DIRECTORY_STORAGE = '1.2.840.10008.1.3.10';

/**
 * Reads the patient / study / source-series facts that derived objects (SEG, SR, encapsulated PDF) copy from the
 * measured series, from the bytes of one source instance.
 */
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import type { SourceContext } from '../../../../wasm/src/dicom/seg-export.ts';

export class SourceContextError extends Error {}

function text(ds: DataSet, tag: string, keyword: string, fileName: string): string {
  const v = (ds.string(tag) ?? '').trim();
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new SourceContextError(
        `${fileName}: ${keyword} (${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()}) contains a non-ASCII character ("${v}"); the exporter writes the default character repertoire only — pseudonymise the value to ASCII`,
      );
    }
  }
  return v;
}

function dicomDate(v: string): string {
  const s = v.replace(/[.\-]/g, '');
  return /^\d{8}$/.test(s) ? s : '';
}

function dicomTime(v: string): string {
  const s = v.replace(/:/g, '');
  return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(s) ? s : '';
}

/** Parses the source instance and extracts its Patient, General Study, series and Clinical Trial Subject facts. */
export function sourceContextFromDicom(bytes: Uint8Array, fileName: string): SourceContext {
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch (e) {
    const inner = (e as { exception?: unknown }).exception ?? e;
    throw new SourceContextError(`${fileName}: not a readable DICOM file (${inner instanceof Error ? inner.message : String(inner)})`);
  }
  const t = (tag: string, keyword: string): string => text(ds, tag, keyword, fileName);
  const studyInstanceUid = t('x0020000d', 'StudyInstanceUID');
  const seriesInstanceUid = t('x0020000e', 'SeriesInstanceUID');
  const sopClassUid = t('x00080016', 'SOPClassUID') || t('x00020002', 'MediaStorageSOPClassUID');
  for (const [v, k] of [[studyInstanceUid, 'StudyInstanceUID'], [seriesInstanceUid, 'SeriesInstanceUID'], [sopClassUid, 'SOPClassUID']] as const) {
    if (!v) throw new SourceContextError(`${fileName}: ${k} is missing; derived objects cannot reference the source`);
  }
  const sex = t('x00100040', 'PatientSex').toUpperCase();
  const context: SourceContext = {
    patientName: t('x00100010', 'PatientName'),
    patientId: t('x00100020', 'PatientID'),
    patientBirthDate: dicomDate(t('x00100030', 'PatientBirthDate')),
    patientSex: ['M', 'F', 'O'].includes(sex) ? sex : '',
    studyInstanceUid,
    studyDate: dicomDate(t('x00080020', 'StudyDate')),
    studyTime: dicomTime(t('x00080030', 'StudyTime')),
    studyId: t('x00200010', 'StudyID').slice(0, 16),
    accessionNumber: t('x00080050', 'AccessionNumber').slice(0, 16),
    referringPhysicianName: t('x00080090', 'ReferringPhysicianName'),
    studyDescription: t('x00081030', 'StudyDescription').slice(0, 64),
    seriesInstanceUid,
    frameOfReferenceUid: t('x00200052', 'FrameOfReferenceUID'),
    modality: t('x00080060', 'Modality'),
    sopClassUid,
  };
  const sponsorName = t('x00120010', 'ClinicalTrialSponsorName');
  const protocolId = t('x00120020', 'ClinicalTrialProtocolID');
  if (sponsorName && protocolId) {
    context.clinicalTrial = {
      sponsorName,
      protocolId,
      protocolName: t('x00120021', 'ClinicalTrialProtocolName'),
      siteId: t('x00120030', 'ClinicalTrialSiteID'),
      siteName: t('x00120031', 'ClinicalTrialSiteName'),
      subjectId: t('x00120040', 'ClinicalTrialSubjectID'),
      subjectReadingId: t('x00120042', 'ClinicalTrialSubjectReadingID'),
    };
  }
  return context;
}

/**
 * Reads the patient / study / source-series facts that derived objects (SEG, SR, encapsulated PDF) copy from the
 * measured series, from the bytes of one source instance. Text is decoded with the source's SpecificCharacterSet, so
 * non-ASCII names ("Müller", "Ødegård") are kept; the DICOM writer re-encodes them as UTF-8 (ISO_IR 192).
 */
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { charsetOf, decodeText } from '../../../../wasm/src/dicom/charset.ts';
import type { CharsetInfo } from '../../../../wasm/src/dicom/charset.ts';
import type { SourceContext } from '../../../../wasm/src/dicom/seg-export.ts';

export class SourceContextError extends Error {}

/**
 * Text of one element decoded with the source's SpecificCharacterSet (ISO_IR 192 UTF-8, ISO_IR 100 Latin-1, default
 * read as Latin-1); the exporter re-encodes it (as UTF-8 with ISO_IR 192 when not ASCII). Values in a character set
 * Remnant cannot decode (ISO 2022 code extensions, GB18030, ...) are refused when they hold non-ASCII bytes, as are
 * control characters and malformed UTF-8, rather than copied as mojibake into the derived objects.
 */
function text(ds: DataSet, tag: string, keyword: string, fileName: string, cs: CharsetInfo): string {
  const element = ds.elements[tag];
  if (!element || element.length <= 0 || element.items) return '';
  const end = Math.min(element.dataOffset + element.length, ds.byteArray.length);
  const where = `${fileName}: ${keyword} (${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()})`;
  // Non-ASCII bytes, or ESC: ISO 2022 code extensions switch sets with escape sequences in 7-bit bytes.
  let nonAscii = false;
  for (let i = element.dataOffset; i < end; i++) if ((ds.byteArray[i] as number) > 0x7f || ds.byteArray[i] === 0x1b) nonAscii = true;
  if (nonAscii && !cs.supported) {
    throw new SourceContextError(`${where} is in character set "${cs.declared}", which Remnant cannot decode (supported: ISO_IR 192, ISO_IR 100, default); pseudonymise the value or convert the series to ISO_IR 192`);
  }
  const v = decodeText(ds.byteArray, element.dataOffset, end, cs.charset).replace(/[\0 ]+$/u, '').replace(/^ +/u, '');
  if (v.includes('\ufffd')) throw new SourceContextError(`${where} is not valid ${cs.declared || 'text'} ("${v}")`);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) throw new SourceContextError(`${where} contains a control character ("${v}")`);
  }
  return v;
}

/** The first `n` characters (code points, not UTF-16 units) of a text. */
function firstChars(v: string, n: number): string {
  return Array.from(v).slice(0, n).join('');
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
  const cs = charsetOf((ds.string('x00080005') ?? '').split('\\'));
  const t = (tag: string, keyword: string): string => text(ds, tag, keyword, fileName, cs);
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
    studyId: firstChars(t('x00200010', 'StudyID'), 16),
    accessionNumber: firstChars(t('x00080050', 'AccessionNumber'), 16),
    referringPhysicianName: t('x00080090', 'ReferringPhysicianName'),
    studyDescription: firstChars(t('x00081030', 'StudyDescription'), 64),
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

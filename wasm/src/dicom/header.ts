/**
 * DICOM instance header model: everything the index and the series reader need from one file, read from the bytes
 * before Pixel Data. Runtime-neutral: the caller supplies the bytes (the whole file or a prefix of it) and the file size.
 *
 * Typical use with a prefix: call parseDicomHeader(prefix, { fileSizeBytes }); on { ok: false, code: 'need-more-bytes' }
 * read `neededBytes` (or more) from the start of the file and call again. Every other failure is final.
 *
 * Conventions:
 *  - imagePositionPatient / positionLPS: DICOM patient coordinates (LPS) in mm, of the centre of the first transmitted pixel.
 *  - imageOrientationPatient: [row cosines (direction of increasing column index), column cosines (increasing row index)].
 *  - pixelSpacingMm: DICOM order [spacing between rows (mm, along the column direction), spacing between columns (mm, along the row direction)].
 */
import { Inflate } from 'fflate';
import type { Vec3 } from '../geometry/types.ts';
import {
  DicomWalkError,
  datasetCharset,
  getItems,
  getNumber,
  getNumbers,
  getString,
  getStrings,
  hasNonEmpty,
  isKnownVr,
  tagHex,
  walkMetaGroup,
  walkTopLevel,
} from './dataset.ts';
import type { RawDataset, RawElement } from './dataset.ts';
import { sopClassInfo } from './sop-class.ts';
import type { SopCategory } from './sop-class.ts';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  transferSyntaxInfo,
} from './transfer-syntax.ts';

export type HeaderFailureCode =
  | 'empty'
  | 'not-dicom'
  | 'need-more-bytes'
  | 'truncated'
  | 'malformed'
  | 'unsupported-transfer-syntax'
  | 'deflate-failed'
  | 'deflate-too-large';

export interface HeaderParseFailure {
  ok: false;
  code: HeaderFailureCode;
  message: string;
  /** For 'need-more-bytes': read at least this many bytes from the start of the file and parse again. */
  neededBytes?: number;
}

export interface HeaderParseSuccess {
  ok: true;
  header: DicomInstanceHeader;
  /** Deflated transfer syntax only: the inflated dataset, which pixelData offsets refer to. */
  inflatedDataset?: Uint8Array;
}

export type HeaderParseResult = HeaderParseSuccess | HeaderParseFailure;

/** Per-frame geometry and values of a multi-frame object, from Per-Frame (else Shared) Functional Groups. */
export interface FrameInfo {
  positionLPS?: Vec3;
  orientationLPS?: number[];
  /** [row spacing, column spacing] in mm (DICOM PixelSpacing order). */
  pixelSpacingMm?: [number, number];
  sliceThicknessMm?: number;
  spacingBetweenSlicesMm?: number;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  rescaleType?: string;
  stackId?: string;
  inStackPositionNumber?: number;
  dimensionIndexValues?: number[];
  /** SEG: the segment this frame belongs to. */
  referencedSegmentNumber?: number;
  /** SOP Instance UIDs this frame was derived from (DerivationImageSequence > SourceImageSequence). */
  sourceSopInstanceUids: string[];
}

export interface PixelDataLocation {
  /** Encapsulated (compressed) fragments follow; valueLengthBytes is -1 (undefined length). */
  encapsulated: boolean;
  /** Offset of the Pixel Data value (first byte after the element header). In the file, or in inflatedDataset when inDeflatedStream. */
  valueOffsetBytes: number;
  /** Declared value length in bytes, -1 when undefined (encapsulated). */
  valueLengthBytes: number;
  inDeflatedStream: boolean;
  littleEndian: boolean;
  /** VR as encoded (OB / OW; 'OW' assumed for implicit VR). */
  vr: string;
  /** Rows x Columns x frames x samples x bitsAllocated / 8 (rounded up for 1-bit data); undefined if a factor is missing. */
  expectedNativeBytes?: number;
}

export interface DirectoryRecord {
  /** DirectoryRecordType, e.g. PATIENT, STUDY, SERIES, IMAGE. */
  type: string;
  /** ReferencedFileID path components (relative to the DICOMDIR folder), empty when the record references no file. */
  referencedFileId: string[];
  referencedSopClassUid?: string;
  referencedSopInstanceUid?: string;
  referencedTransferSyntaxUid?: string;
}

export interface Anthropometrics {
  /** PatientSize (0010,1020) in metres. */
  patientSizeM?: number;
  /** PatientWeight (0010,1030) in kg. */
  patientWeightKg?: number;
  patientSex?: string;
  /** PatientAge as encoded, e.g. '045Y'. */
  patientAge?: string;
  /** PatientAge converted to years (D/W/M/Y units). */
  patientAgeYears?: number;
}

export interface DeidentificationInfo {
  /** PatientIdentityRemoved (0012,0062): 'YES' / 'NO' / undefined. */
  patientIdentityRemoved?: string;
  /** DeidentificationMethod (0012,0063) values. */
  deidentificationMethod: string[];
  /** Keywords of identifying attributes present with a non-empty value (see IDENTIFYING_ATTRIBUTES). */
  identifyingFieldsPresent: string[];
}

export interface SegmentInfo {
  segmentNumber: number;
  label: string;
}

export interface DicomInstanceHeader {
  hasFileMeta: boolean;
  transferSyntaxUid: string;
  /** 'meta' when read from (0002,0010); 'guessed' when the file has no meta or no transfer syntax element. */
  transferSyntaxSource: 'meta' | 'guessed';
  transferSyntaxName: string;
  littleEndian: boolean;
  explicitVr: boolean;
  deflated: boolean;
  encapsulated: boolean;
  lossyTransferSyntax: boolean;
  fastPathSupported: boolean;

  sopClassUid: string;
  sopClassName: string;
  sopCategory: SopCategory;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  modality: string;
  manufacturer: string;
  studyDate: string;
  studyTime: string;
  seriesDate: string;
  seriesTime: string;
  acquisitionDate: string;
  acquisitionTime: string;
  contentDate: string;
  contentTime: string;
  studyDescription: string;
  seriesDescription: string;
  studyId: string;
  /** SpecificCharacterSet (0008,0005) values as declared ([] when absent); text values below are decoded with it. */
  specificCharacterSet?: string[];
  /** PatientName (0010,0010), decoded with the character set ('' when absent). */
  patientName?: string;
  /** PatientID (0010,0020) as read, padding trimmed ('' when absent). Recorded only as its SHA-256 (patientIdSha256). */
  patientId?: string;
  /** ContentCreatorName (0070,0084), e.g. the reviewer of a SEG ('' when absent). */
  contentCreatorName?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  acquisitionNumber?: number;
  imageType: string[];
  bodyPartExamined: string;
  patientPosition: string;

  rows?: number;
  columns?: number;
  /** NumberOfFrames; 1 when absent. */
  numberOfFrames: number;
  numberOfFramesPresent: boolean;
  bitsAllocated?: number;
  bitsStored?: number;
  highBit?: number;
  pixelRepresentation?: number;
  samplesPerPixel?: number;
  photometricInterpretation: string;
  planarConfiguration?: number;

  rescaleSlope?: number;
  rescaleIntercept?: number;
  rescaleType: string;
  windowCenter: number[];
  windowWidth: number[];

  imagePositionPatient?: Vec3;
  imageOrientationPatient?: number[];
  pixelSpacingMm?: [number, number];
  sliceThicknessMm?: number;
  spacingBetweenSlicesMm?: number;
  gantryTiltDeg?: number;
  sliceLocationMm?: number;

  /** LossyImageCompression (0028,2110): '00', '01' or ''. */
  lossyImageCompression: string;
  lossyImageCompressionRatio: number[];
  lossyImageCompressionMethod: string[];
  /** True when LossyImageCompression is '01' or the transfer syntax is lossy. */
  lossy: boolean;

  anthropometrics: Anthropometrics;
  deidentification: DeidentificationInfo;

  /** Multi-frame functional groups: one entry per frame (empty for single-frame / classic objects). */
  frames: FrameInfo[];
  /** Shared Functional Groups values (also merged into each entry of `frames`). */
  sharedFrame?: FrameInfo;

  pixelData?: PixelDataLocation;

  segmentationType: string;
  segments: SegmentInfo[];
  /** SeriesInstanceUIDs this object references (ReferencedSeriesSequence, evidence sequences, RT referenced series). */
  referencedSeriesUids: string[];
  /** SOP Instance UIDs this object references (ReferencedInstanceSequence, SourceImageSequence, per-frame derivation). */
  referencedSopInstanceUids: string[];

  /** DICOMDIR only: the directory records in file order. */
  directoryRecords?: DirectoryRecord[];

  /** Non-fatal oddities found while reading (non-numeric values, guessed transfer syntax, ...). */
  warnings: string[];
  /** Bytes of the file the header was read from (meta + dataset up to Pixel Data). */
  headerEndOffset: number;
}

export interface ParseHeaderOptions {
  /** Size of the whole file when `bytes` is a prefix; defaults to bytes.length. */
  fileSizeBytes?: number;
  /** Cap on the inflated size of a deflated dataset (deflate-bomb guard). Default 1 GiB. */
  maxInflatedBytes?: number;
}

export const DEFAULT_MAX_INFLATED_BYTES = 1 << 30;

/**
 * Identifying attributes checked for de-identification (keyword, tag). Beyond PatientName / ID / BirthDate: other IDs and
 * names, address, phone, accession number, institution and physicians' names (PS3.15 Annex E basic profile candidates).
 */
export const IDENTIFYING_ATTRIBUTES: ReadonlyArray<[string, number]> = [
  ['PatientName', 0x00100010],
  ['PatientID', 0x00100020],
  ['PatientBirthDate', 0x00100030],
  ['OtherPatientIDs', 0x00101000],
  ['OtherPatientNames', 0x00101001],
  ['PatientBirthName', 0x00101005],
  ['PatientMotherBirthName', 0x00101060],
  ['PatientAddress', 0x00101040],
  ['PatientTelephoneNumbers', 0x00102154],
  ['AccessionNumber', 0x00080050],
  ['InstitutionName', 0x00080080],
  ['InstitutionAddress', 0x00080081],
  ['ReferringPhysicianName', 0x00080090],
  ['PerformingPhysicianName', 0x00081050],
  ['OperatorsName', 0x00081070],
  ['RequestingPhysician', 0x00321032],
  ['AdmissionID', 0x00380010],
];

function fail(code: HeaderFailureCode, message: string, neededBytes?: number): HeaderParseFailure {
  return neededBytes === undefined ? { ok: false, code, message } : { ok: false, code, message, neededBytes };
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

/** Guess the encoding of a dataset with no transfer syntax: byte order from the first group number, VR from the VR bytes. */
function guessEncoding(bytes: Uint8Array, start: number, haveMeta: boolean): { uid: string; littleEndian: boolean; explicitVr: boolean } | undefined {
  if (start + 8 > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const groupLE = view.getUint16(start, true);
  const groupBE = view.getUint16(start, false);
  const vr = ascii(bytes, start + 4, 2);
  const plausibleGroup = (g: number): boolean => g === 0x0008 || g === 0x0010 || g === 0x0018 || g === 0x0020 || g === 0x0028;
  if (plausibleGroup(groupLE)) {
    return isKnownVr(vr)
      ? { uid: EXPLICIT_VR_LITTLE_ENDIAN, littleEndian: true, explicitVr: true }
      : { uid: IMPLICIT_VR_LITTLE_ENDIAN, littleEndian: true, explicitVr: false };
  }
  if (plausibleGroup(groupBE) && isKnownVr(vr)) return { uid: EXPLICIT_VR_BIG_ENDIAN, littleEndian: false, explicitVr: true };
  if (haveMeta) {
    // The meta says this is DICOM; Little Endian is by far the most likely, the VR bytes decide explicit vs implicit.
    return isKnownVr(vr)
      ? { uid: EXPLICIT_VR_LITTLE_ENDIAN, littleEndian: true, explicitVr: true }
      : { uid: IMPLICIT_VR_LITTLE_ENDIAN, littleEndian: true, explicitVr: false };
  }
  return undefined;
}

/** Inflate raw DEFLATE data with an output cap, in small input chunks so no single step can produce more than a few MiB. */
export function inflateCapped(compressed: Uint8Array, maxOutputBytes: number): { ok: true; bytes: Uint8Array } | { ok: false; code: 'deflate-failed' | 'deflate-too-large'; message: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflater = new Inflate((data) => {
    total += data.length;
    if (total > maxOutputBytes) {
      tooLarge = true;
      throw new Error('cap');
    }
    chunks.push(data);
  });
  const step = 4096;
  try {
    if (compressed.length === 0) throw new Error('no deflated data after the file meta information');
    for (let off = 0; off < compressed.length; off += step) {
      const end = Math.min(off + step, compressed.length);
      inflater.push(compressed.subarray(off, end), end === compressed.length);
    }
  } catch (error) {
    if (tooLarge) return { ok: false, code: 'deflate-too-large', message: `deflated dataset inflates to more than the cap of ${maxOutputBytes} bytes (possible deflate bomb)` };
    return { ok: false, code: 'deflate-failed', message: `deflated dataset could not be inflated: ${error instanceof Error ? error.message : String(error)}` };
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return { ok: true, bytes: out };
}

/** Parse a DICOM file (or its prefix) into a header. Never throws for bad input. */
export function parseDicomHeader(bytes: Uint8Array, options: ParseHeaderOptions = {}): HeaderParseResult {
  try {
    return parseUnchecked(bytes, options);
  } catch (error) {
    if (error instanceof DicomWalkError) return fail(error.code === 'need-more-bytes' ? 'malformed' : error.code, error.message);
    return fail('malformed', `unexpected parse error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseUnchecked(bytes: Uint8Array, options: ParseHeaderOptions): HeaderParseResult {
  const fileSize = Math.max(options.fileSizeBytes ?? bytes.length, bytes.length);
  const prefixOnly = bytes.length < fileSize;
  if (fileSize === 0) return fail('empty', 'empty file (0 bytes)');
  const warnings: string[] = [];

  // 1. Preamble + 'DICM', or a meta group at byte 0, or a bare dataset (no meta).
  let metaStart: number | undefined;
  if (fileSize >= 132) {
    if (bytes.length < 132) return fail('need-more-bytes', 'need the 132-byte preamble', 132);
    if (ascii(bytes, 128, 4) === 'DICM') metaStart = 132;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (metaStart === undefined && bytes.length >= 8 && view.getUint16(0, true) === 0x0002 && isKnownVr(ascii(bytes, 4, 2))) {
    metaStart = 0;
    warnings.push('no 128-byte preamble before the file meta information');
  }

  let tsUid: string | undefined;
  let mediaSopClass = '';
  let datasetStart = 0;
  if (metaStart !== undefined) {
    let meta;
    try {
      meta = walkMetaGroup(bytes, metaStart, fileSize);
    } catch (error) {
      if (error instanceof DicomWalkError) {
        if (error.code === 'need-more-bytes') return fail('need-more-bytes', error.message, error.neededBytes);
        return fail(error.code, `file meta information: ${error.message}`);
      }
      throw error;
    }
    datasetStart = meta.endOffset;
    const ts = getString(meta.dataset, 0x00020010);
    if (ts !== undefined && ts !== '') tsUid = ts;
    mediaSopClass = getString(meta.dataset, 0x00020002) ?? '';
  } else {
    warnings.push('no DICOM file meta information (no preamble/DICM prefix)');
  }

  let littleEndian: boolean;
  let explicitVr: boolean;
  let tsSource: 'meta' | 'guessed' = 'meta';
  if (tsUid === undefined) {
    if (bytes.length < Math.min(fileSize, datasetStart + 8)) return fail('need-more-bytes', 'need the first dataset element', datasetStart + 8);
    const guess = guessEncoding(bytes, datasetStart, metaStart !== undefined);
    if (!guess) {
      if (metaStart === undefined) return fail('not-dicom', 'not a DICOM file: no preamble/DICM prefix, and the first bytes are not a DICOM data element');
      return fail('malformed', 'the file meta information has no TransferSyntaxUID (0002,0010) and the dataset encoding cannot be recognised');
    }
    tsUid = guess.uid;
    littleEndian = guess.littleEndian;
    explicitVr = guess.explicitVr;
    tsSource = 'guessed';
    if (metaStart !== undefined) warnings.push(`TransferSyntaxUID (0002,0010) missing from the file meta; dataset read as ${guess.uid}`);
  } else {
    const info = transferSyntaxInfo(tsUid);
    if (!info) return fail('unsupported-transfer-syntax', `unsupported transfer syntax ${tsUid}`);
    littleEndian = info.littleEndian;
    explicitVr = info.explicitVr;
  }
  const tsInfo = transferSyntaxInfo(tsUid);
  if (!tsInfo) return fail('unsupported-transfer-syntax', `unsupported transfer syntax ${tsUid}`);

  // 2. The dataset buffer: the file itself, or the inflated stream for the deflated syntax.
  let dsBytes = bytes;
  let dsStart = datasetStart;
  let streamLength = fileSize;
  let inflated: Uint8Array | undefined;
  if (tsInfo.deflated) {
    if (prefixOnly) return fail('need-more-bytes', 'a deflated dataset must be read whole', fileSize);
    const r = inflateCapped(bytes.subarray(datasetStart), options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES);
    if (!r.ok) return fail(r.code, r.message);
    inflated = r.bytes;
    dsBytes = inflated;
    dsStart = 0;
    streamLength = inflated.length;
  }

  // Some writers declare an explicit VR syntax but encode the dataset with implicit VR: detect it on the first element
  // (its VR bytes are not letters) and read it as implicit, with a warning (pydicom and DCMTK recover similarly).
  if (explicitVr && littleEndian && !tsInfo.deflated && dsStart + 8 <= dsBytes.length) {
    const first = ascii(dsBytes, dsStart + 4, 2);
    if (!isKnownVr(first) && dsBytes.length >= dsStart + 8) {
      const g = (dsBytes[dsStart] ?? 0) | ((dsBytes[dsStart + 1] ?? 0) << 8);
      if (g >= 0x0008 && g < 0x7fe0) {
        explicitVr = false;
        warnings.push(`transfer syntax ${tsUid} is explicit VR but the dataset is encoded with implicit VR; read as implicit VR`);
      }
    }
  }
  let walked;
  try {
    walked = walkTopLevel(dsBytes, dsStart, { littleEndian, explicitVr, streamLength });
  } catch (error) {
    if (!(error instanceof DicomWalkError)) throw error;
    if (error.code === 'need-more-bytes') return fail('need-more-bytes', error.message, error.neededBytes);
    if (metaStart === undefined) return fail('not-dicom', `not a DICOM file: no preamble/DICM prefix, and the data do not parse as a DICOM dataset (${error.message})`);
    return fail(error.code, error.message);
  }
  const ds = walked.dataset;
  warnings.push(...walked.warnings);
  if (!ds.elements.has(0x00080016) && !ds.elements.has(0x00080018) && mediaSopClass === '') {
    if (metaStart === undefined) return fail('not-dicom', 'not a DICOM file: no preamble/DICM prefix and no SOP Class or SOP Instance UID');
    return fail('malformed', 'no SOPClassUID (0008,0016) or SOPInstanceUID (0008,0018): not a storable DICOM object');
  }

  const header = extractHeader(ds, {
    tsUid,
    tsSource,
    littleEndian,
    explicitVr,
    hasFileMeta: metaStart !== undefined,
    mediaSopClass,
    warnings,
  });
  header.headerEndOffset = walked.stop.kind === 'pixel-data' ? walked.stop.element.valueOffset : walked.stop.endOffset;

  if (walked.stop.kind === 'pixel-data') {
    const el = walked.stop.element;
    const expected = expectedNativeBytes(header);
    const px: PixelDataLocation = {
      encapsulated: el.length === -1,
      valueOffsetBytes: el.valueOffset,
      valueLengthBytes: el.length,
      inDeflatedStream: tsInfo.deflated,
      littleEndian,
      vr: el.vr === 'UN' ? 'OW' : el.vr,
    };
    if (expected !== undefined) px.expectedNativeBytes = expected;
    header.pixelData = px;
    const problem = checkPixelData(header, px, streamLength, tsInfo.encapsulated);
    if (problem) return problem;
  }
  const result: HeaderParseSuccess = { ok: true, header };
  if (inflated) result.inflatedDataset = inflated;
  return result;
}

function expectedNativeBytes(h: DicomInstanceHeader): number | undefined {
  if (h.rows === undefined || h.columns === undefined || h.bitsAllocated === undefined) return undefined;
  // YBR_FULL_422 native data are horizontally subsampled: 2 samples per pixel on average (PS3.3 C.7.6.3.1.2).
  const samples = h.photometricInterpretation === 'YBR_FULL_422' && !h.encapsulated ? 2 : (h.samplesPerPixel ?? 1);
  const bits = h.rows * h.columns * h.numberOfFrames * samples * h.bitsAllocated;
  return Math.ceil(bits / 8);
}

function checkPixelData(h: DicomInstanceHeader, px: PixelDataLocation, streamLength: number, tsEncapsulated: boolean): HeaderParseFailure | undefined {
  const where = px.inDeflatedStream ? 'the inflated dataset' : 'the file';
  if (px.encapsulated) {
    if (!tsEncapsulated) return fail('malformed', `Pixel Data has undefined length (encapsulated) but transfer syntax ${h.transferSyntaxUid} is native`);
    if (px.valueOffsetBytes + 8 > streamLength) return fail('truncated', `encapsulated Pixel Data at byte ${px.valueOffsetBytes} has no fragments before the end of ${where} (${streamLength} bytes)`);
    return undefined;
  }
  if (tsEncapsulated) return fail('malformed', `transfer syntax ${h.transferSyntaxUid} is encapsulated but Pixel Data has a defined length (${px.valueLengthBytes} bytes)`);
  const available = streamLength - px.valueOffsetBytes;
  if (px.valueLengthBytes > available) {
    return fail('truncated', `Pixel Data declares ${px.valueLengthBytes} bytes at byte ${px.valueOffsetBytes} but ${where} has only ${available} bytes left`);
  }
  if (px.expectedNativeBytes !== undefined && px.valueLengthBytes < px.expectedNativeBytes) {
    return fail(
      'truncated',
      `Pixel Data has ${px.valueLengthBytes} bytes, shorter than Rows x Columns x frames x samples x bits/8 = ${h.rows} x ${h.columns} x ${h.numberOfFrames} x ${h.samplesPerPixel ?? 1} x ${h.bitsAllocated}/8 = ${px.expectedNativeBytes} bytes`,
    );
  }
  return undefined;
}

export interface EncapsulatedFragment {
  offsetBytes: number;
  lengthBytes: number;
}

/**
 * Walk encapsulated Pixel Data fragments with a positional reader (reads only 8-byte item headers).
 * `readAt(offset, length)` returns up to `length` bytes at `offset` (fewer at end of file).
 * The first fragment is the Basic Offset Table. Returns a failure when the fragments are cut short or malformed.
 */
export function walkEncapsulatedFragments(
  readAt: (offset: number, length: number) => Uint8Array,
  valueOffsetBytes: number,
  streamLength: number,
  littleEndian = true,
): { ok: true; fragments: EncapsulatedFragment[] } | HeaderParseFailure {
  const fragments: EncapsulatedFragment[] = [];
  let pos = valueOffsetBytes;
  for (;;) {
    if (pos + 8 > streamLength) return fail('truncated', `encapsulated Pixel Data ends without a Sequence Delimitation Item (data end at byte ${streamLength})`);
    const head = readAt(pos, 8);
    if (head.length < 8) return fail('truncated', `encapsulated Pixel Data cut short at byte ${pos}`);
    const v = new DataView(head.buffer, head.byteOffset, 8);
    const tag = ((v.getUint16(0, littleEndian) << 16) | v.getUint16(2, littleEndian)) >>> 0;
    const length = v.getUint32(4, littleEndian);
    if (tag === 0xfffee0dd) return { ok: true, fragments };
    if (tag !== 0xfffee000 || length === 0xffffffff) return fail('malformed', `expected an encapsulated fragment item at byte ${pos}, found ${tagHex(tag)}`);
    if (pos + 8 + length > streamLength) return fail('truncated', `encapsulated fragment at byte ${pos} declares ${length} bytes beyond the end of the data (${streamLength} bytes)`);
    fragments.push({ offsetBytes: pos + 8, lengthBytes: length });
    pos += 8 + length;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Attribute extraction

interface ExtractContext {
  tsUid: string;
  tsSource: 'meta' | 'guessed';
  littleEndian: boolean;
  explicitVr: boolean;
  hasFileMeta: boolean;
  mediaSopClass: string;
  warnings: string[];
}

function finiteOrWarn(values: number[], count: number, name: string, warnings: string[]): number[] | undefined {
  if (values.length === 0) return undefined;
  if (values.length < count || values.slice(0, count).some((v) => !Number.isFinite(v))) {
    warnings.push(`${name} has an invalid value (${values.join('\\')}); ignored`);
    return undefined;
  }
  return values.slice(0, count);
}

function oneNumber(ds: RawDataset, tag: number, name: string, warnings: string[]): number | undefined {
  const v = finiteOrWarn(getNumbers(ds, tag), 1, name, warnings);
  return v?.[0];
}

function ageInYears(age: string): number | undefined {
  const m = /^(\d{1,3})([DWMY])$/u.exec(age.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'D': return n / 365.25;
    case 'W': return (n * 7) / 365.25;
    case 'M': return n / 12;
    default: return n;
  }
}

function readFrameGroups(item: RawDataset, warnings: string[], label: string): FrameInfo {
  const f: FrameInfo = { sourceSopInstanceUids: [] };
  const pos = getItems(item, 0x00209113)[0];
  if (pos) {
    const v = finiteOrWarn(getNumbers(pos, 0x00200032), 3, `${label} ImagePositionPatient`, warnings);
    if (v) f.positionLPS = [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0];
  }
  const ori = getItems(item, 0x00209116)[0];
  if (ori) {
    const v = finiteOrWarn(getNumbers(ori, 0x00200037), 6, `${label} ImageOrientationPatient`, warnings);
    if (v) f.orientationLPS = v;
  }
  const meas = getItems(item, 0x00289110)[0];
  if (meas) {
    const ps = finiteOrWarn(getNumbers(meas, 0x00280030), 2, `${label} PixelSpacing`, warnings);
    if (ps) f.pixelSpacingMm = [ps[0] ?? 0, ps[1] ?? 0];
    const th = oneNumber(meas, 0x00180050, `${label} SliceThickness`, warnings);
    if (th !== undefined) f.sliceThicknessMm = th;
    const sp = oneNumber(meas, 0x00180088, `${label} SpacingBetweenSlices`, warnings);
    if (sp !== undefined) f.spacingBetweenSlicesMm = sp;
  }
  const pvt = getItems(item, 0x00289145)[0];
  if (pvt) {
    const slope = oneNumber(pvt, 0x00281053, `${label} RescaleSlope`, warnings);
    const intercept = oneNumber(pvt, 0x00281052, `${label} RescaleIntercept`, warnings);
    if (slope !== undefined) f.rescaleSlope = slope;
    if (intercept !== undefined) f.rescaleIntercept = intercept;
    const type = getString(pvt, 0x00281054);
    if (type) f.rescaleType = type;
  }
  const content = getItems(item, 0x00209111)[0];
  if (content) {
    const stack = getString(content, 0x00209056);
    if (stack) f.stackId = stack;
    const inStack = getNumber(content, 0x00209057, 'UL');
    if (inStack !== undefined) f.inStackPositionNumber = inStack;
    const dims = getNumbers(content, 0x00209157, 'UL');
    if (dims.length > 0) f.dimensionIndexValues = dims;
  }
  const segId = getItems(item, 0x0062000a)[0];
  if (segId) {
    const n = getNumber(segId, 0x0062000b, 'US');
    if (n !== undefined) f.referencedSegmentNumber = n;
  }
  for (const deriv of getItems(item, 0x00089124)) {
    for (const src of getItems(deriv, 0x00082112)) {
      const uid = getString(src, 0x00081155);
      if (uid) f.sourceSopInstanceUids.push(uid);
    }
  }
  return f;
}

function mergeFrame(shared: FrameInfo | undefined, own: FrameInfo): FrameInfo {
  if (!shared) return own;
  const merged: FrameInfo = { ...shared, ...own, sourceSopInstanceUids: [...shared.sourceSopInstanceUids, ...own.sourceSopInstanceUids] };
  return merged;
}

function collectReferences(ds: RawDataset, seriesUids: Set<string>, instanceUids: Set<string>): void {
  const addSeriesItems = (items: RawDataset[]): void => {
    for (const s of items) {
      const uid = getString(s, 0x0020000e);
      if (uid) seriesUids.add(uid);
      for (const inst of getItems(s, 0x0008114a)) {
        const i = getString(inst, 0x00081155);
        if (i) instanceUids.add(i);
      }
    }
  };
  // ReferencedSeriesSequence (SEG, and others) and the SR/KOS evidence sequences (study > series).
  addSeriesItems(getItems(ds, 0x00081115));
  for (const study of getItems(ds, 0x0040a375)) addSeriesItems(getItems(study, 0x00081115));
  for (const study of getItems(ds, 0x00081110)) addSeriesItems(getItems(study, 0x00081115));
  // ReferencedImageSequence and SourceImageSequence at the top level.
  for (const tag of [0x00081140, 0x00082112]) {
    for (const item of getItems(ds, tag)) {
      const i = getString(item, 0x00081155);
      if (i) instanceUids.add(i);
    }
  }
  // RT: ReferencedFrameOfReferenceSequence > RTReferencedStudySequence > RTReferencedSeriesSequence > ContourImageSequence.
  for (const forItem of getItems(ds, 0x30060010)) {
    for (const study of getItems(forItem, 0x30060012)) {
      for (const series of getItems(study, 0x30060014)) {
        const uid = getString(series, 0x0020000e);
        if (uid) seriesUids.add(uid);
        for (const img of getItems(series, 0x30060016)) {
          const i = getString(img, 0x00081155);
          if (i) instanceUids.add(i);
        }
      }
    }
  }
}

function extractHeader(ds: RawDataset, c: ExtractContext): DicomInstanceHeader {
  const w = c.warnings;
  const cs = datasetCharset(ds);
  if (!cs.supported) w.push(`SpecificCharacterSet "${cs.declared}" is not supported; text values read as Latin-1 (names and descriptions may show wrong characters)`);
  const charset = cs.charset;
  const str = (tag: number): string => getString(ds, tag, { charset }) ?? '';
  const tsInfo = transferSyntaxInfo(c.tsUid);

  let sopClassUid = str(0x00080016);
  if (sopClassUid === '' && c.mediaSopClass !== '') {
    sopClassUid = c.mediaSopClass;
    // A DICOMDIR carries its SOP class only in the file meta; anything else should have (0008,0016).
    if (sopClassUid !== '1.2.840.10008.1.3.10') w.push('SOPClassUID (0008,0016) empty; MediaStorageSOPClassUID from the file meta used');
  }
  const sop = sopClassInfo(sopClassUid);

  const numberOfFramesRaw = getNumbers(ds, 0x00280008);
  let numberOfFrames = 1;
  if (numberOfFramesRaw.length > 0) {
    const n = numberOfFramesRaw[0] ?? Number.NaN;
    if (Number.isInteger(n) && n >= 1) numberOfFrames = n;
    else w.push(`NumberOfFrames has an invalid value (${numberOfFramesRaw.join('\\')}); 1 assumed`);
  }

  const ipp = finiteOrWarn(getNumbers(ds, 0x00200032), 3, 'ImagePositionPatient', w);
  const iop = finiteOrWarn(getNumbers(ds, 0x00200037), 6, 'ImageOrientationPatient', w);
  const ps = finiteOrWarn(getNumbers(ds, 0x00280030), 2, 'PixelSpacing', w);

  const lossyFlag = str(0x00282110);
  const lossyTs = tsInfo?.lossy ?? false;

  const anthropometrics: Anthropometrics = {};
  const size = oneNumber(ds, 0x00101020, 'PatientSize', w);
  if (size !== undefined && size > 0) anthropometrics.patientSizeM = size;
  const weight = oneNumber(ds, 0x00101030, 'PatientWeight', w);
  if (weight !== undefined && weight > 0) anthropometrics.patientWeightKg = weight;
  const sex = str(0x00100040);
  if (sex) anthropometrics.patientSex = sex;
  const age = str(0x00101010);
  if (age) {
    anthropometrics.patientAge = age;
    const years = ageInYears(age);
    if (years !== undefined) anthropometrics.patientAgeYears = years;
  }

  const deidentification: DeidentificationInfo = {
    deidentificationMethod: getStrings(ds, 0x00120063, { charset }).filter((s) => s !== ''),
    identifyingFieldsPresent: IDENTIFYING_ATTRIBUTES.filter(([, tag]) => hasNonEmpty(ds, tag)).map(([k]) => k),
  };
  const removed = str(0x00120062);
  if (removed) deidentification.patientIdentityRemoved = removed;

  // Multi-frame functional groups.
  const sharedItem = getItems(ds, 0x52009229)[0];
  const sharedFrame = sharedItem ? readFrameGroups(sharedItem, w, 'SharedFunctionalGroups') : undefined;
  const perFrameItems = getItems(ds, 0x52009230);
  const frames = perFrameItems.map((item, i) => mergeFrame(sharedFrame, readFrameGroups(item, w, `frame ${i + 1}`)));
  if (perFrameItems.length > 0 && perFrameItems.length !== numberOfFrames) {
    w.push(`PerFrameFunctionalGroupsSequence has ${perFrameItems.length} items but NumberOfFrames is ${numberOfFrames}`);
  }

  const seriesRefs = new Set<string>();
  const instanceRefs = new Set<string>();
  collectReferences(ds, seriesRefs, instanceRefs);
  for (const f of frames) for (const u of f.sourceSopInstanceUids) instanceRefs.add(u);

  const segments: SegmentInfo[] = getItems(ds, 0x00620002).map((item) => ({
    segmentNumber: getNumber(item, 0x00620004, 'US') ?? Number.NaN,
    label: getString(item, 0x00620005, { charset: datasetCharset(item, cs).charset }) ?? '',
  }));

  const num = (tag: number, name: string): number | undefined => oneNumber(ds, tag, name, w);
  const us = (tag: number): number | undefined => getNumber(ds, tag, 'US');

  const h: DicomInstanceHeader = {
    hasFileMeta: c.hasFileMeta,
    transferSyntaxUid: c.tsUid,
    transferSyntaxSource: c.tsSource,
    transferSyntaxName: tsInfo?.name ?? c.tsUid,
    littleEndian: c.littleEndian,
    explicitVr: c.explicitVr,
    deflated: tsInfo?.deflated ?? false,
    encapsulated: tsInfo?.encapsulated ?? false,
    lossyTransferSyntax: lossyTs,
    fastPathSupported: tsInfo?.fastPathSupported ?? false,
    sopClassUid,
    sopClassName: sop.name,
    sopCategory: sop.category,
    sopInstanceUid: str(0x00080018),
    studyInstanceUid: str(0x0020000d),
    seriesInstanceUid: str(0x0020000e),
    frameOfReferenceUid: str(0x00200052),
    modality: str(0x00080060),
    manufacturer: str(0x00080070),
    studyDate: str(0x00080020),
    studyTime: str(0x00080030),
    seriesDate: str(0x00080021),
    seriesTime: str(0x00080031),
    acquisitionDate: str(0x00080022),
    acquisitionTime: str(0x00080032),
    contentDate: str(0x00080023),
    contentTime: str(0x00080033),
    studyDescription: str(0x00081030),
    seriesDescription: str(0x0008103e),
    studyId: str(0x00200010),
    specificCharacterSet: cs.declared === '' ? [] : cs.declared.split('\\'),
    patientName: str(0x00100010),
    patientId: str(0x00100020),
    contentCreatorName: str(0x00700084),
    imageType: getStrings(ds, 0x00080008),
    bodyPartExamined: str(0x00180015),
    patientPosition: str(0x00185100),
    numberOfFrames,
    numberOfFramesPresent: numberOfFramesRaw.length > 0,
    photometricInterpretation: str(0x00280004),
    rescaleType: str(0x00281054),
    windowCenter: getNumbers(ds, 0x00281050).filter(Number.isFinite),
    windowWidth: getNumbers(ds, 0x00281051).filter(Number.isFinite),
    lossyImageCompression: lossyFlag,
    lossyImageCompressionRatio: getNumbers(ds, 0x00282112).filter(Number.isFinite),
    lossyImageCompressionMethod: getStrings(ds, 0x00282114),
    lossy: lossyFlag === '01' || lossyTs,
    anthropometrics,
    deidentification,
    frames,
    segmentationType: str(0x00620001),
    segments,
    referencedSeriesUids: [...seriesRefs],
    referencedSopInstanceUids: [...instanceRefs],
    warnings: w,
    headerEndOffset: 0,
  };
  const optionalNumbers: Array<[keyof DicomInstanceHeader, number | undefined]> = [
    ['seriesNumber', num(0x00200011, 'SeriesNumber')],
    ['instanceNumber', num(0x00200013, 'InstanceNumber')],
    ['acquisitionNumber', num(0x00200012, 'AcquisitionNumber')],
    ['rows', us(0x00280010)],
    ['columns', us(0x00280011)],
    ['bitsAllocated', us(0x00280100)],
    ['bitsStored', us(0x00280101)],
    ['highBit', us(0x00280102)],
    ['pixelRepresentation', us(0x00280103)],
    ['samplesPerPixel', us(0x00280002)],
    ['planarConfiguration', us(0x00280006)],
    ['rescaleSlope', num(0x00281053, 'RescaleSlope')],
    ['rescaleIntercept', num(0x00281052, 'RescaleIntercept')],
    ['sliceThicknessMm', num(0x00180050, 'SliceThickness')],
    ['spacingBetweenSlicesMm', num(0x00180088, 'SpacingBetweenSlices')],
    ['gantryTiltDeg', num(0x00181120, 'GantryDetectorTilt')],
    ['sliceLocationMm', num(0x00201041, 'SliceLocation')],
  ];
  const record = h as unknown as Record<string, unknown>;
  for (const [key, value] of optionalNumbers) if (value !== undefined) record[key] = value;
  if (ipp) h.imagePositionPatient = [ipp[0] ?? 0, ipp[1] ?? 0, ipp[2] ?? 0];
  if (iop) h.imageOrientationPatient = iop;
  if (ps) h.pixelSpacingMm = [ps[0] ?? 0, ps[1] ?? 0];
  if (sharedFrame) h.sharedFrame = sharedFrame;

  const records = getItems(ds, 0x00041220);
  if (records.length > 0 || sopClassUid === '1.2.840.10008.1.3.10') {
    h.directoryRecords = records.map((r) => {
      const rec: DirectoryRecord = { type: getString(r, 0x00041430) ?? '', referencedFileId: getStrings(r, 0x00041500).filter((s) => s !== '') };
      const cls = getString(r, 0x00041510);
      if (cls) rec.referencedSopClassUid = cls;
      const inst = getString(r, 0x00041511);
      if (inst) rec.referencedSopInstanceUid = inst;
      const ts = getString(r, 0x00041512);
      if (ts) rec.referencedTransferSyntaxUid = ts;
      return rec;
    });
  }
  return h;
}

/** The Pixel Data element recorded by the walker, exported for tests and the series reader. */
export type { RawElement };

/**
 * DICOM Segmentation (BINARY) export of a role labelmap, plus the modules every derived object of an export shares
 * (patient / study copied from the source, new series, equipment, codes). Runtime-neutral: returns bytes.
 *
 * Segments (docs/exports.md):
 *   "Liver"       role labels {1, 2, 10+}: the whole liver, tumours included
 *   "FLR"         role label 2: the future liver remnant (tumour-free liver tissue)
 *   "Tumour t"    role label 10 + (t - 1), one segment per tumour (t is 1-based)
 * They overlap (a FLR voxel is also a Liver voxel), which BINARY SEG allows. Only frames holding at least one pixel
 * of their segment are written; each frame references the source slice it lies on (SourceImageSequence) and carries
 * its position, so readers place it by either.
 */
import type { Vec3 } from '../geometry/types.ts';
import type { TargetGrid } from '../labels/target-grid.ts';
import { indexToLps } from '../labels/target-grid.ts';
import type { RoleMapping } from '../segments/compose.ts';
import { LABEL_FLR, LABEL_LIVER_NON_FLR, LABEL_TUMOUR_BASE, MAX_TUMOURS, isLiverLabel, isReservedLabel } from '../segments/roles.ts';
import { CORE_VERSION } from '../version.ts';
import { uidFromParts } from './uid.ts';
import { el, writeDicomPart10 } from './writer.ts';
import type { DicomElement, DicomItem } from './writer.ts';

export const SEG_STORAGE_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
/** Private coding scheme for concepts that have no DCM / SCT / LOINC code (docs/exports.md lists every code). */
export const REMNANT_CODING_SCHEME = '99REMNANT';
export const REMNANT_MANUFACTURER = 'Remnant';

/** A coded concept: CodeValue, CodingSchemeDesignator, CodeMeaning. */
export interface CodedConcept {
  value: string;
  scheme: string;
  meaning: string;
}

export const CODES = {
  anatomicalStructure: { value: '123037004', scheme: 'SCT', meaning: 'Anatomical Structure' },
  morphologicallyAlteredStructure: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' },
  liver: { value: '10200004', scheme: 'SCT', meaning: 'Liver' },
  neoplasm: { value: '108369006', scheme: 'SCT', meaning: 'Neoplasm' },
  futureLiverRemnant: { value: 'FLR', scheme: REMNANT_CODING_SCHEME, meaning: 'Future liver remnant' },
  segmentation: { value: '113076', scheme: 'DCM', meaning: 'Segmentation' },
  sourceImageForProcessing: { value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' },
} as const satisfies Record<string, CodedConcept>;

/** Patient, study and source-series facts copied into every derived object (read from the first source instance). */
export interface SourceContext {
  patientName: string;
  patientId: string;
  /** YYYYMMDD or ''. */
  patientBirthDate: string;
  /** M, F, O or ''. */
  patientSex: string;
  studyInstanceUid: string;
  /** YYYYMMDD or ''. */
  studyDate: string;
  /** HHMMSS(.ffffff) or ''. */
  studyTime: string;
  studyId: string;
  accessionNumber: string;
  referringPhysicianName: string;
  studyDescription: string;
  /** The measured (source) series. */
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  modality: string;
  /** SOP Class UID of the source images. */
  sopClassUid: string;
  /** Clinical Trial Subject module, copied when the source has one (sponsor and protocol ID present). */
  clinicalTrial?: { sponsorName: string; protocolId: string; protocolName: string; siteId: string; siteName: string; subjectId: string; subjectReadingId: string };
}

/** Identity of one new derived instance (each export kind is its own new series in the source study). */
export interface DerivedInstanceInfo {
  seriesInstanceUid: string;
  sopInstanceUid: string;
  seriesNumber: number;
  instanceNumber: number;
  seriesDescription: string;
  /** Content / instance creation date-time (local time of the export), YYYYMMDD and HHMMSS. */
  contentDate: string;
  contentTime: string;
  /** Software version written to SoftwareVersions; default CORE_VERSION. */
  softwareVersion?: string;
  /** DeviceSerialNumber (Enhanced General Equipment, type 1); default "REMNANT-SOFTWARE". */
  deviceSerialNumber?: string;
  /** Institution of the review panel (optional). */
  institutionName?: string;
}

export function codeItem(c: CodedConcept): DicomItem {
  return [el(0x00080100, 'SH', c.value), el(0x00080102, 'SH', c.scheme), el(0x00080104, 'LO', c.meaning)];
}

export function codeSequence(tag: number, c: CodedConcept): DicomElement {
  return el(tag, 'SQ', [codeItem(c)]);
}

/** DICOM DA and TM of a Date in its local time zone, and the zone as TimezoneOffsetFromUTC (+HHMM). */
export function dicomDateTime(date: Date): { date: string; time: string; offset: string } {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const off = -date.getTimezoneOffset();
  return {
    date: `${p(date.getFullYear(), 4)}${p(date.getMonth() + 1)}${p(date.getDate())}`,
    time: `${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`,
    offset: `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`,
  };
}

/** Patient, Clinical Trial Subject (when known) and General Study modules, copied from the source. */
export function patientStudyElements(src: SourceContext): DicomElement[] {
  const out: DicomElement[] = [
    el(0x00100010, 'PN', src.patientName),
    el(0x00100020, 'LO', src.patientId),
    el(0x00100030, 'DA', src.patientBirthDate),
    el(0x00100040, 'CS', src.patientSex),
    el(0x0020000d, 'UI', src.studyInstanceUid),
    el(0x00080020, 'DA', src.studyDate),
    el(0x00080030, 'TM', src.studyTime),
    el(0x00080090, 'PN', src.referringPhysicianName),
    el(0x00200010, 'SH', src.studyId),
    el(0x00080050, 'SH', src.accessionNumber),
  ];
  if (src.studyDescription) out.push(el(0x00081030, 'LO', src.studyDescription));
  const ct = src.clinicalTrial;
  if (ct && ct.sponsorName && ct.protocolId) {
    out.push(
      el(0x00120010, 'LO', ct.sponsorName),
      el(0x00120020, 'LO', ct.protocolId),
      el(0x00120021, 'LO', ct.protocolName),
      el(0x00120030, 'LO', ct.siteId),
      el(0x00120031, 'LO', ct.siteName),
    );
    // Subject ID and Subject Reading ID: at least one is required (1C); fall back to the Patient ID.
    if (ct.subjectId || !ct.subjectReadingId) out.push(el(0x00120040, 'LO', ct.subjectId || src.patientId));
    if (ct.subjectReadingId) out.push(el(0x00120042, 'LO', ct.subjectReadingId));
  }
  return out;
}

/** New series (General Series + the IOD's series module), General / Enhanced General Equipment and SOP Common. */
export function derivedInstanceElements(info: DerivedInstanceInfo, modality: string, sopClassUid: string, extraCodingSchemes = true): DicomElement[] {
  const out: DicomElement[] = [
    el(0x00080016, 'UI', sopClassUid),
    el(0x00080018, 'UI', info.sopInstanceUid),
    el(0x00080012, 'DA', info.contentDate),
    el(0x00080013, 'TM', info.contentTime),
    el(0x00080060, 'CS', modality),
    el(0x0020000e, 'UI', info.seriesInstanceUid),
    el(0x00200011, 'IS', info.seriesNumber),
    el(0x00080021, 'DA', info.contentDate),
    el(0x00080031, 'TM', info.contentTime),
    el(0x0008103e, 'LO', info.seriesDescription),
    el(0x00200013, 'IS', info.instanceNumber),
    el(0x00080070, 'LO', REMNANT_MANUFACTURER),
    el(0x00081090, 'LO', REMNANT_MANUFACTURER),
    el(0x00181000, 'LO', info.deviceSerialNumber ?? 'REMNANT-SOFTWARE'),
    el(0x00181020, 'LO', info.softwareVersion ?? CORE_VERSION),
  ];
  if (info.institutionName) out.push(el(0x00080080, 'LO', info.institutionName));
  if (extraCodingSchemes) {
    out.push(
      el(0x00080110, 'SQ', [
        [
          el(0x00080102, 'SH', REMNANT_CODING_SCHEME),
          el(0x00080115, 'ST', 'Remnant liver volumetry concepts'),
          el(0x00080116, 'ST', 'Remnant project (docs/exports.md)'),
          el(0x00080103, 'SH', CORE_VERSION),
        ],
      ]),
    );
  }
  return out;
}

export type ExportedSegmentRole = 'liver' | 'flr' | 'tumour';

export interface ExportedSegment {
  segmentNumber: number;
  label: string;
  role: ExportedSegmentRole;
  /** 0-based tumour index for tumours, else null. */
  tumourIndex: number | null;
  /** Role labelmap values that make up this segment. */
  roleLabels: number[];
  voxelCount: number;
  /** Slices k holding at least one voxel of the segment (one SEG frame each). */
  slicesK: number[];
  trackingUid: string;
  category: CodedConcept;
  type: CodedConcept;
  /** Recommended display colour, CIELab scaled to 0..65535 (PS3.3 C.10.7.1.1). */
  displayCIELab: [number, number, number];
}

export interface SegmentPlanOptions {
  /** Tumours to include (0..tumourCount-1), present or not, so tumour numbering stays that of the record. Default: up to the highest tumour label present. */
  tumourCount?: number;
  /** Include the FLR segment even when empty (e.g. an FLR was mapped but composed to nothing). Default false. */
  includeEmptyFlr?: boolean;
  /** Seed for the tracking UIDs (e.g. the SEG SOP Instance UID). */
  uidSeed?: string;
}

/** sRGB (0..255) -> DICOM CIELab (scaled to 0..65535), D65. */
export function rgbToDicomLab(r: number, g: number, b: number): [number, number, number] {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const x = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const L = 116 * f(y) - 16;
  const a = 500 * (f(x) - f(y));
  const bb = 200 * (f(y) - f(z));
  const clamp = (v: number): number => Math.max(0, Math.min(65535, Math.round(v)));
  return [clamp((L * 65535) / 100), clamp(((a + 128) * 65535) / 255), clamp(((bb + 128) * 65535) / 255)];
}

/** Per-slice presence of each role label: presence[k * 256 + label] = 1 when slice k holds that label. */
export function slicePresence(labelmap: Uint8Array, sliceVoxels: number, slices: number): { presence: Uint8Array; counts: Float64Array } {
  if (labelmap.length !== sliceVoxels * slices) throw new Error(`role labelmap has ${labelmap.length} voxels, the grid ${sliceVoxels} x ${slices}`);
  const presence = new Uint8Array(slices * 256);
  const counts = new Float64Array(256);
  const sliceCounts = new Uint32Array(256);
  for (let k = 0; k < slices; k++) {
    sliceCounts.fill(0);
    const base = k * sliceVoxels;
    for (let p = 0; p < sliceVoxels; p++) sliceCounts[labelmap[base + p] as number]++;
    for (let v = 1; v < 256; v++) {
      const c = sliceCounts[v] as number;
      if (c > 0) {
        presence[k * 256 + v] = 1;
        counts[v] += c;
      }
    }
  }
  return { presence, counts };
}

/** Decides the SEG segments of a role labelmap (see the module comment). Throws on reserved labels or an empty liver. */
export function planSegments(labelmap: Uint8Array, sliceVoxels: number, slices: number, options: SegmentPlanOptions = {}): ExportedSegment[] {
  const { presence, counts } = slicePresence(labelmap, sliceVoxels, slices);
  for (let v = 0; v < 256; v++) {
    if (counts[v]! > 0 && isReservedLabel(v)) throw new Error(`role labelmap holds reserved label ${v} (${counts[v]} voxels); only 0, 1, 2 and 10+ are valid`);
  }
  let highestTumour = -1;
  for (let v = LABEL_TUMOUR_BASE; v < 256; v++) if (counts[v]! > 0) highestTumour = v - LABEL_TUMOUR_BASE;
  const tumourCount = Math.max(options.tumourCount ?? 0, highestTumour + 1);
  if (tumourCount > MAX_TUMOURS) throw new Error(`at most ${MAX_TUMOURS} tumours can be exported, got ${tumourCount}`);
  const seed = options.uidSeed ?? 'seg';
  const make = (role: ExportedSegmentRole, label: string, roleLabels: number[], tumourIndex: number | null, category: CodedConcept, type: CodedConcept, rgb: [number, number, number]): Omit<ExportedSegment, 'segmentNumber' | 'trackingUid'> => {
    const slicesK: number[] = [];
    for (let k = 0; k < slices; k++) if (roleLabels.some((v) => presence[k * 256 + v] === 1)) slicesK.push(k);
    return { label, role, tumourIndex, roleLabels, voxelCount: roleLabels.reduce((s, v) => s + (counts[v] as number), 0), slicesK, category, type, displayCIELab: rgbToDicomLab(...rgb) };
  };
  const liverLabels: number[] = [];
  for (let v = 0; v < 256; v++) if (isLiverLabel(v) && (v === LABEL_LIVER_NON_FLR || v === LABEL_FLR || v - LABEL_TUMOUR_BASE < tumourCount)) liverLabels.push(v);
  const planned = [make('liver', 'Liver', liverLabels, null, CODES.anatomicalStructure, CODES.liver, [221, 130, 101])];
  if (planned[0]!.voxelCount === 0) throw new Error('role labelmap has no liver voxels (labels 1, 2, 10+): there is nothing to export');
  if (counts[LABEL_FLR]! > 0 || options.includeEmptyFlr) planned.push(make('flr', 'FLR', [LABEL_FLR], null, CODES.anatomicalStructure, CODES.liver, [60, 180, 75]));
  for (let t = 0; t < tumourCount; t++) {
    planned.push(make('tumour', `Tumour ${t + 1}`, [LABEL_TUMOUR_BASE + t], t, CODES.morphologicallyAlteredStructure, CODES.neoplasm, [230, 210, 40]));
  }
  return planned.map((s, n) => ({ ...s, segmentNumber: n + 1, trackingUid: uidFromParts('remnant-segment', seed, s.label) }));
}

/** The role mapping that recomposes the exported segments into the original role labelmap (for re-import checks). */
export function roleMappingOfSegments(segments: readonly ExportedSegment[]): RoleMapping {
  const liver = segments.filter((s) => s.role === 'liver').map((s) => s.segmentNumber);
  const flr = segments.filter((s) => s.role === 'flr').map((s) => s.segmentNumber);
  const tumours = segments.filter((s) => s.role === 'tumour').sort((a, b) => (a.tumourIndex as number) - (b.tumourIndex as number)).map((s) => s.segmentNumber);
  return { liver, flr, tumours };
}

export interface SegExportInput {
  roleLabelmap: Uint8Array;
  target: TargetGrid;
  source: SourceContext;
  instance: DerivedInstanceInfo;
  /** The reviewer (ContentCreatorName), DICOM PN e.g. "Doe^Jane". */
  contentCreatorName: string;
  /** MANUAL when the reviewer drew the labels, SEMIAUTOMATIC when an algorithm's labels were reviewed/edited. */
  algorithmType: 'MANUAL' | 'SEMIAUTOMATIC' | 'AUTOMATIC';
  /** Default "LIVER_VOLUMETRY" (CS, upper case). */
  contentLabel?: string;
  contentDescription?: string;
  /** SliceThickness written in the shared Pixel Measures; default: the distance between slice planes. */
  sliceThicknessMm?: number;
  segmentPlan?: SegmentPlanOptions;
}

export interface SegExportResult {
  bytes: Uint8Array;
  segments: ExportedSegment[];
  frameCount: number;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Splits a TargetGrid slice key "UID" or "UID#frame". */
export function parseSliceKey(key: string): { sopInstanceUid: string; frameNumber?: number } {
  const hash = key.indexOf('#');
  if (hash < 0) return { sopInstanceUid: key };
  return { sopInstanceUid: key.slice(0, hash), frameNumber: Number(key.slice(hash + 1)) };
}

/** Plane geometry of the target grid in DICOM terms. */
export function planeGeometry(target: TargetGrid): { orientation: number[]; pixelSpacingMm: [number, number]; spacingBetweenSlicesMm: number } {
  const g = target.geometry;
  const d = g.directionLPS;
  const row = unit([d[0]!, d[3]!, d[6]!]);
  const col = unit([d[1]!, d[4]!, d[7]!]);
  const normal: Vec3 = [row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2], row[0] * col[1] - row[1] * col[0]];
  const stepK: Vec3 = [d[2]! * g.spacingMm[2], d[5]! * g.spacingMm[2], d[8]! * g.spacingMm[2]];
  const between = Math.abs(normal[0] * stepK[0] + normal[1] * stepK[1] + normal[2] * stepK[2]);
  return { orientation: [...row, ...col], pixelSpacingMm: [g.spacingMm[1], g.spacingMm[0]], spacingBetweenSlicesMm: between };
}

/** Packs the frames (segment, slice) of a BINARY SEG: bits continuous across frames, least significant bit first, padded to even bytes. */
export function packBinaryFrames(labelmap: Uint8Array, sliceVoxels: number, frames: ReadonlyArray<{ k: number; member: Uint8Array }>): Uint8Array {
  const totalBits = frames.length * sliceVoxels;
  let bytes = Math.ceil(totalBits / 8);
  if (bytes % 2 === 1) bytes++;
  const out = new Uint8Array(bytes);
  let bit = 0;
  for (const f of frames) {
    const base = f.k * sliceVoxels;
    const member = f.member;
    for (let p = 0; p < sliceVoxels; p++, bit++) {
      if (member[labelmap[base + p] as number] === 1) out[bit >>> 3] |= 1 << (bit & 7);
    }
  }
  return out;
}

/** Builds the BINARY DICOM SEG of a role labelmap on the source series grid. */
export function buildSegDicom(input: SegExportInput): SegExportResult {
  const { target, source, instance, roleLabelmap } = input;
  const g = target.geometry;
  const [columns, rows, slices] = g.sizeIJK;
  const sliceVoxels = columns * rows;
  if (target.sopInstanceUidsByK.length !== slices) throw new Error(`target grid has ${slices} slices but ${target.sopInstanceUidsByK.length} slice identities`);
  if (rows > 0xffff || columns > 0xffff) throw new Error(`grid ${columns}x${rows} is too large for a DICOM image`);
  if (target.seriesInstanceUid !== source.seriesInstanceUid) {
    throw new Error(`source context series ${source.seriesInstanceUid} is not the target grid's series ${target.seriesInstanceUid}`);
  }
  const frameOfReferenceUid = target.frameOfReferenceUid || source.frameOfReferenceUid;
  if (!frameOfReferenceUid) throw new Error(`series ${target.seriesInstanceUid} has no FrameOfReferenceUID; a SEG must share the source's frame of reference`);
  const segments = planSegments(roleLabelmap, sliceVoxels, slices, { uidSeed: instance.sopInstanceUid, ...input.segmentPlan });
  const geo = planeGeometry(target);
  const algorithmName = 'Remnant';
  const algorithmVersion = instance.softwareVersion ?? CORE_VERSION;

  const segmentItems: DicomItem[] = segments.map((s) => {
    const item: DicomElement[] = [
      el(0x00620004, 'US', s.segmentNumber),
      el(0x00620005, 'LO', s.label),
      el(0x00620006, 'ST', s.role === 'liver' ? 'Whole liver including tumours' : s.role === 'flr' ? 'Future liver remnant (tumour-free)' : `Tumour ${(s.tumourIndex as number) + 1}`),
      el(0x00620008, 'CS', input.algorithmType),
      codeSequence(0x00620003, s.category),
      el(0x0062000f, 'SQ', [[...codeItem(s.type), ...(s.role === 'flr' ? [codeSequence(0x00620011, CODES.futureLiverRemnant)] : [])]]),
      el(0x0062000d, 'US', s.displayCIELab),
      el(0x00620020, 'UT', s.label),
      el(0x00620021, 'UI', s.trackingUid),
    ];
    // SegmentAlgorithmName is 1C: required unless MANUAL, and not allowed for MANUAL (the software version is then in
    // SoftwareVersions of the Enhanced General Equipment module).
    if (input.algorithmType !== 'MANUAL') item.push(el(0x00620009, 'LO', `${algorithmName} ${algorithmVersion}`));
    if (s.role !== 'liver') item.push(el(0x00082218, 'SQ', [codeItem(CODES.liver)]));
    return item;
  });

  // Frames: by segment, then k ascending (the DimensionIndexSequence order).
  const frames: Array<{ k: number; member: Uint8Array; segment: ExportedSegment }> = [];
  for (const s of segments) {
    const member = new Uint8Array(256);
    for (const v of s.roleLabels) member[v] = 1;
    for (const k of s.slicesK) frames.push({ k, member, segment: s });
  }
  if (frames.length === 0) throw new Error('the SEG would have no frames (no segment has any voxel)');
  const dimensionOrganizationUid = uidFromParts('remnant-seg-dimension', instance.sopInstanceUid);
  const perFrame: DicomItem[] = frames.map((f) => {
    const ref = parseSliceKey(target.sopInstanceUidsByK[f.k]!);
    const sourceItem: DicomElement[] = [
      el(0x00081150, 'UI', source.sopClassUid),
      el(0x00081155, 'UI', ref.sopInstanceUid),
      codeSequence(0x0040a170, CODES.sourceImageForProcessing),
    ];
    if (ref.frameNumber !== undefined) sourceItem.push(el(0x00081160, 'IS', ref.frameNumber));
    return [
      el(0x00089124, 'SQ', [[codeSequence(0x00089215, CODES.segmentation), el(0x00082112, 'SQ', [sourceItem])]]),
      el(0x00209111, 'SQ', [[el(0x00209157, 'UL', [f.segment.segmentNumber, f.k + 1])]]),
      el(0x00209113, 'SQ', [[el(0x00200032, 'DS', indexToLps(g, [0, 0, f.k]))]]),
      el(0x0062000a, 'SQ', [[el(0x0062000b, 'US', f.segment.segmentNumber)]]),
    ];
  });

  // Every source instance once, in k order.
  const seen = new Set<string>();
  const referencedInstances: DicomItem[] = [];
  for (const key of target.sopInstanceUidsByK) {
    const uid = parseSliceKey(key).sopInstanceUid;
    if (seen.has(uid)) continue;
    seen.add(uid);
    referencedInstances.push([el(0x00081150, 'UI', source.sopClassUid), el(0x00081155, 'UI', uid)]);
  }

  const sliceThickness = input.sliceThicknessMm ?? geo.spacingBetweenSlicesMm;
  const dataset: DicomElement[] = [
    ...patientStudyElements(source),
    ...derivedInstanceElements(instance, 'SEG', SEG_STORAGE_SOP_CLASS),
    el(0x00200052, 'UI', frameOfReferenceUid),
    el(0x00201040, 'LO', null),
    el(0x00080008, 'CS', ['DERIVED', 'PRIMARY']),
    el(0x00080023, 'DA', instance.contentDate),
    el(0x00080033, 'TM', instance.contentTime),
    el(0x00700080, 'CS', (input.contentLabel ?? 'LIVER_VOLUMETRY').toUpperCase()),
    el(0x00700081, 'LO', input.contentDescription ?? 'Liver, FLR and tumour segments (Remnant)'),
    el(0x00700084, 'PN', input.contentCreatorName),
    el(0x00280002, 'US', 1),
    el(0x00280004, 'CS', 'MONOCHROME2'),
    el(0x00280008, 'IS', frames.length),
    el(0x00280010, 'US', rows),
    el(0x00280011, 'US', columns),
    el(0x00280100, 'US', 1),
    el(0x00280101, 'US', 1),
    el(0x00280102, 'US', 0),
    el(0x00280103, 'US', 0),
    el(0x00282110, 'CS', '00'),
    el(0x00620001, 'CS', 'BINARY'),
    el(0x00620002, 'SQ', segmentItems),
    el(0x00209221, 'SQ', [[el(0x00209164, 'UI', dimensionOrganizationUid)]]),
    el(0x00209311, 'CS', '3D'),
    el(0x00209222, 'SQ', [
      [el(0x00209164, 'UI', dimensionOrganizationUid), el(0x00209165, 'AT', 0x0062000b), el(0x00209167, 'AT', 0x0062000a), el(0x00209421, 'LO', 'ReferencedSegmentNumber')],
      [el(0x00209164, 'UI', dimensionOrganizationUid), el(0x00209165, 'AT', 0x00200032), el(0x00209167, 'AT', 0x00209113), el(0x00209421, 'LO', 'ImagePositionPatient')],
    ]),
    el(0x52009229, 'SQ', [
      [
        el(0x00209116, 'SQ', [[el(0x00200037, 'DS', geo.orientation)]]),
        el(0x00289110, 'SQ', [[el(0x00280030, 'DS', geo.pixelSpacingMm), el(0x00180050, 'DS', sliceThickness), el(0x00180088, 'DS', geo.spacingBetweenSlicesMm)]]),
      ],
    ]),
    el(0x52009230, 'SQ', perFrame),
    el(0x00081115, 'SQ', [[el(0x0020000e, 'UI', target.seriesInstanceUid), el(0x0008114a, 'SQ', referencedInstances)]]),
    el(0x7fe00010, 'OB', packBinaryFrames(roleLabelmap, sliceVoxels, frames)),
  ];
  return { bytes: writeDicomPart10(dataset), segments, frameCount: frames.length, sopInstanceUid: instance.sopInstanceUid, seriesInstanceUid: instance.seriesInstanceUid };
}

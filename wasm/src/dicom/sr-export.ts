/**
 * DICOM Comprehensive SR, TID 1500 "Imaging Measurement Report", of a measurement record: one TID 1411 Volumetric
 * ROI measurement group per SEG segment (volume, SCT 118565006, in mL, method DCM 126030), each referencing its
 * segment, plus one TID 1501 measurement group with the FLR assessment (TLV measured, BSA, sTLV, sFLR, FLR/TLV,
 * FLR/body weight, chemotherapy status, threshold, verdict, mebrofenin FLR function and whether it exceeds its
 * threshold), and, when a growth record is given, one TID 1501 group with the FLR growth since the baseline (interval,
 * sTLV basis, DH, KGR and its cut-off, relative FLR growth). Values are the record's exact numbers. Concepts without a DCM / SCT / LOINC code use the private scheme
 * 99REMNANT; every code is listed in docs/exports.md. Runtime-neutral: returns bytes.
 */
import type { GrowthRecord } from '../measure/growth-record.ts';
import type { MeasurementRecord } from '../measure/record.ts';
import { seriesIdentityText } from '../measure/growth-record.ts';
import { CORE_VERSION } from '../version.ts';
import { CODES, REMNANT_CODING_SCHEME, SEG_STORAGE_SOP_CLASS, codeSequence, derivedInstanceElements, patientStudyElements } from './seg-export.ts';
import type { CodedConcept, DerivedInstanceInfo, ExportedSegment, SourceContext } from './seg-export.ts';
import { uidFromParts } from './uid.ts';
import { REMNANT_IMPLEMENTATION_CLASS_UID, el, formatDS, writeDicomPart10 } from './writer.ts';
import type { DicomElement, DicomItem } from './writer.ts';

export const COMPREHENSIVE_SR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.33';

const P = REMNANT_CODING_SCHEME;
/** Concept names and values written in the SR (docs/exports.md, "SR codes"). */
export const SR_CODES = {
  imagingMeasurementReport: { value: '126000', scheme: 'DCM', meaning: 'Imaging Measurement Report' },
  language: { value: '121049', scheme: 'DCM', meaning: 'Language of Content Item and Descendants' },
  english: { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' },
  observerType: { value: '121005', scheme: 'DCM', meaning: 'Observer Type' },
  person: { value: '121006', scheme: 'DCM', meaning: 'Person' },
  device: { value: '121007', scheme: 'DCM', meaning: 'Device' },
  personObserverName: { value: '121008', scheme: 'DCM', meaning: 'Person Observer Name' },
  deviceObserverUid: { value: '121012', scheme: 'DCM', meaning: 'Device Observer UID' },
  deviceObserverName: { value: '121013', scheme: 'DCM', meaning: 'Device Observer Name' },
  deviceObserverManufacturer: { value: '121014', scheme: 'DCM', meaning: 'Device Observer Manufacturer' },
  procedureReported: { value: '121058', scheme: 'DCM', meaning: 'Procedure reported' },
  ct: { value: '77477000', scheme: 'SCT', meaning: 'CT' },
  mri: { value: '113091000', scheme: 'SCT', meaning: 'MRI' },
  imagingProcedure: { value: '363679005', scheme: 'SCT', meaning: 'Imaging procedure' },
  imageLibrary: { value: '111028', scheme: 'DCM', meaning: 'Image Library' },
  imageLibraryGroup: { value: '126200', scheme: 'DCM', meaning: 'Image Library Group' },
  imagingMeasurements: { value: '126010', scheme: 'DCM', meaning: 'Imaging Measurements' },
  measurementGroup: { value: '125007', scheme: 'DCM', meaning: 'Measurement Group' },
  trackingIdentifier: { value: '112039', scheme: 'DCM', meaning: 'Tracking Identifier' },
  trackingUid: { value: '112040', scheme: 'DCM', meaning: 'Tracking Unique Identifier' },
  timePoint: { value: 'C2348792', scheme: 'UMLS', meaning: 'Time Point' },
  finding: { value: '121071', scheme: 'DCM', meaning: 'Finding' },
  findingSite: { value: '363698007', scheme: 'SCT', meaning: 'Finding Site' },
  referencedSegment: { value: '121191', scheme: 'DCM', meaning: 'Referenced Segment' },
  sourceSeriesForSegmentation: { value: '121232', scheme: 'DCM', meaning: 'Source series for segmentation' },
  volume: { value: '118565006', scheme: 'SCT', meaning: 'Volume' },
  measurementMethod: { value: '370129005', scheme: 'SCT', meaning: 'Measurement Method' },
  sumOfSegmentedVoxelVolumes: { value: '126030', scheme: 'DCM', meaning: 'Sum of segmented voxel volumes' },
  bodySurfaceArea: { value: '8277-6', scheme: 'LN', meaning: 'Body surface area' },
  mL: { value: 'ml', scheme: 'UCUM', meaning: 'mL' },
  percent: { value: '%', scheme: 'UCUM', meaning: '%' },
  percentPerMinPerM2: { value: '%/min/m2', scheme: 'UCUM', meaning: '%/min/m2' },
  percentPerWeek: { value: '%/wk', scheme: 'UCUM', meaning: '%/week' },
  days: { value: 'd', scheme: 'UCUM', meaning: 'day' },
  yes: { value: '373066001', scheme: 'SCT', meaning: 'Yes' },
  no: { value: '373067005', scheme: 'SCT', meaning: 'No' },
  unknown: { value: '261665006', scheme: 'SCT', meaning: 'Unknown' },
  squareMetre: { value: 'm2', scheme: 'UCUM', meaning: 'm2' },
  tlvMeasured: { value: 'TLVM', scheme: P, meaning: 'Total liver volume measured (liver minus tumours)' },
  stlv: { value: 'STLV', scheme: P, meaning: 'Standardized total liver volume' },
  sflr: { value: 'SFLR', scheme: P, meaning: 'Standardized future liver remnant' },
  flrToTlvMeasured: { value: 'FLRTLVM', scheme: P, meaning: 'FLR to measured total liver volume ratio' },
  flrToBodyWeight: { value: 'FLRBW', scheme: P, meaning: 'FLR to body weight ratio' },
  thresholdApplied: { value: 'FLRTHRESH', scheme: P, meaning: 'FLR sufficiency threshold applied' },
  verdict: { value: 'FLRVERDICT', scheme: P, meaning: 'FLR sufficiency' },
  sufficient: { value: 'SUFFICIENT', scheme: P, meaning: 'Sufficient' },
  insufficient: { value: 'INSUFFICIENT', scheme: P, meaning: 'Insufficient' },
  notAssessable: { value: 'NOTASSESSABLE', scheme: P, meaning: 'Not assessable' },
  verdictReason: { value: 'FLRREASON', scheme: P, meaning: 'FLR sufficiency reason' },
  formula: { value: 'FORMULA', scheme: P, meaning: 'Formula' },
  chemotherapy: { value: 'CHEMOLIVER', scheme: P, meaning: 'Chemotherapy-damaged liver (selects the threshold)' },
  mebrofeninFunction: { value: 'MEBFUNC', scheme: P, meaning: 'FLR function on 99mTc-mebrofenin HBS' },
  mebrofeninThreshold: { value: 'MEBTHRESH', scheme: P, meaning: 'Mebrofenin FLR function threshold' },
  mebrofeninExceeds: { value: 'MEBEXCEEDS', scheme: P, meaning: 'Mebrofenin FLR function exceeds threshold' },
  growthInterval: { value: 'GROWTHDAYS', scheme: P, meaning: 'Interval from the baseline scan' },
  growthStlvBasis: { value: 'GROWTHBASIS', scheme: P, meaning: 'sTLV basis of DH and KGR' },
  baselineStlvBasis: { value: 'BASELINESTLV', scheme: P, meaning: 'Baseline sTLV for both sFLRs' },
  perTimepointStlvBasis: { value: 'OWNSTLV', scheme: P, meaning: 'Each timepoint on its own sTLV' },
  degreeOfHypertrophy: { value: 'DH', scheme: P, meaning: 'Degree of hypertrophy (percentage points of sFLR)' },
  kineticGrowthRate: { value: 'KGR', scheme: P, meaning: 'Kinetic growth rate' },
  kgrCutoff: { value: 'KGRCUTOFF', scheme: P, meaning: 'Kinetic growth rate cut-off' },
  kgrBelowCutoff: { value: 'KGRBELOW', scheme: P, meaning: 'Kinetic growth rate below cut-off' },
  relativeFlrGrowth: { value: 'FLRGROWTH', scheme: P, meaning: 'Relative FLR growth' },
  futureLiverRemnant: CODES.futureLiverRemnant,
  liver: CODES.liver,
  neoplasm: CODES.neoplasm,
} as const satisfies Record<string, CodedConcept>;

export interface SrSegReference {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  segments: readonly ExportedSegment[];
}

export interface SrExportInput {
  record: MeasurementRecord;
  source: SourceContext;
  /** Source instances in slice order (SOP Instance UIDs; multi-frame keys "UID#frame" are reduced to the UID). */
  sourceInstanceUids: readonly string[];
  seg: SrSegReference;
  instance: DerivedInstanceInfo;
  /** The reviewer, DICOM PN e.g. "Doe^Jane". */
  observerName: string;
  /** Time point label (e.g. "baseline", "week 3"), written as TID 1411 "Time Point". */
  timepoint?: string;
  /** Growth from the baseline to this measurement (its follow-up must be this record): written as an "FLR growth" group. */
  growth?: GrowthRecord | null;
}

export interface SrMeasurement {
  segmentNumber: number;
  label: string;
  volumeMl: number;
}

export interface SrExportResult {
  bytes: Uint8Array;
  measurements: SrMeasurement[];
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

type Rel = 'CONTAINS' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'HAS ACQ CONTEXT' | 'INFERRED FROM' | 'HAS PROPERTIES';

function item(rel: Rel | null, valueType: string, concept: CodedConcept | null, value: DicomElement[], children: DicomItem[] = []): DicomItem {
  const out: DicomElement[] = [el(0x0040a040, 'CS', valueType), ...value];
  if (concept) out.push(codeSequence(0x0040a043, concept));
  if (rel) out.push(el(0x0040a010, 'CS', rel));
  if (children.length > 0) out.push(el(0x0040a730, 'SQ', children));
  return out;
}

const container = (rel: Rel | null, concept: CodedConcept, children: DicomItem[]): DicomItem => item(rel, 'CONTAINER', concept, [el(0x0040a050, 'CS', 'SEPARATE')], children);
const code = (rel: Rel, concept: CodedConcept, value: CodedConcept, children: DicomItem[] = []): DicomItem => item(rel, 'CODE', concept, [codeSequence(0x0040a168, value)], children);
/** TEXT content item; the text is written as given (UTF-8 with SpecificCharacterSet ISO_IR 192 when it is not ASCII). */
const textItem = (rel: Rel, concept: CodedConcept, value: string): DicomItem => item(rel, 'TEXT', concept, [el(0x0040a160, 'UT', value)]);
const uidref = (rel: Rel, concept: CodedConcept, value: string): DicomItem => item(rel, 'UIDREF', concept, [el(0x0040a124, 'UI', value)]);
const pname = (rel: Rel, concept: CodedConcept, value: string): DicomItem => item(rel, 'PNAME', concept, [el(0x0040a123, 'PN', value)]);

/** NUM content item; the exact double goes to FloatingPointValue when the 16-character DS rounds it. */
export function numItem(rel: Rel, concept: CodedConcept, value: number, units: CodedConcept, children: DicomItem[] = []): DicomItem {
  if (!Number.isFinite(value)) throw new Error(`SR numeric value "${concept.meaning}" is ${value}; only finite numbers can be written`);
  const ds = formatDS(value, concept.meaning);
  const measured: DicomElement[] = [el(0x0040a30a, 'DS', ds), codeSequence(0x004008ea, units)];
  if (Number(ds) !== value) measured.push(el(0x0040a161, 'FD', value));
  return item(rel, 'NUM', concept, [el(0x0040a300, 'SQ', [measured])], children);
}

function procedureCode(modality: string): CodedConcept {
  if (modality === 'CT') return SR_CODES.ct;
  if (modality === 'MR') return SR_CODES.mri;
  return SR_CODES.imagingProcedure;
}

/** Volume (mL) and voxel count the record gives for an exported segment. */
export function recordVolumeOf(record: MeasurementRecord, s: ExportedSegment): { volumeMl: number; voxelCount: number } {
  if (s.role === 'liver') return { volumeMl: record.volumes.liverMl, voxelCount: record.roles.liver.voxelCount };
  if (s.role === 'flr') return { volumeMl: record.volumes.flrMl, voxelCount: record.roles.flr.voxelCount };
  const t = s.tumourIndex as number;
  const stat = record.roles.tumours[t];
  if (stat) return { volumeMl: stat.volumeMl, voxelCount: stat.voxelCount };
  return { volumeMl: 0, voxelCount: 0 };
}

function uniqueUids(keys: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const uid = key.split('#')[0] as string;
    if (!seen.has(uid)) {
      seen.add(uid);
      out.push(uid);
    }
  }
  return out;
}

/** TID 1501 group "FLR growth": the growth from the baseline to this measurement, exact values. */
function growthGroup(input: SrExportInput, sopInstanceUid: string): DicomItem {
  const g = input.growth as GrowthRecord;
  const r = input.record;
  const f = g.followup;
  const own = { uid: r.inputs.series.seriesInstanceUid, sha: r.provenance.sourceFileSha256 ?? null };
  const same = f.seriesInstanceUid !== null && own.uid !== null ? f.seriesInstanceUid === own.uid : f.seriesSha256 !== null && f.seriesSha256 === own.sha;
  if (!same) throw new Error(`the growth record's follow-up is series ${seriesIdentityText(f)}, not the measured series ${own.uid ?? own.sha ?? 'n/a'}`);
  const items: DicomItem[] = [
    textItem('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, 'FLR growth'),
    uidref('HAS OBS CONTEXT', SR_CODES.trackingUid, uidFromParts('remnant-flr-growth', sopInstanceUid)),
  ];
  if (input.timepoint) items.push(textItem('HAS OBS CONTEXT', SR_CODES.timePoint, input.timepoint));
  items.push(
    numItem('CONTAINS', SR_CODES.growthInterval, g.interval.days, SR_CODES.days),
    code('CONTAINS', SR_CODES.growthStlvBasis, g.stlvBasis === 'baseline' ? SR_CODES.baselineStlvBasis : SR_CODES.perTimepointStlvBasis),
  );
  if (g.degreeOfHypertrophyPp !== null) items.push(numItem('CONTAINS', SR_CODES.degreeOfHypertrophy, g.degreeOfHypertrophyPp, SR_CODES.percent));
  if (g.kineticGrowthRatePctPerWeek !== null) items.push(numItem('CONTAINS', SR_CODES.kineticGrowthRate, g.kineticGrowthRatePctPerWeek, SR_CODES.percentPerWeek));
  items.push(numItem('CONTAINS', SR_CODES.kgrCutoff, g.kgrCutoffPctPerWeek, SR_CODES.percentPerWeek));
  if (g.kgrBelowCutoff !== null) items.push(code('CONTAINS', SR_CODES.kgrBelowCutoff, g.kgrBelowCutoff ? SR_CODES.yes : SR_CODES.no));
  items.push(numItem('CONTAINS', SR_CODES.relativeFlrGrowth, g.relativeFlrGrowthPct, SR_CODES.percent));
  return container('CONTAINS', SR_CODES.measurementGroup, items);
}

/** Builds the TID 1500 Comprehensive SR. Throws when the SEG segments do not match the record's voxel counts. */
export function buildMeasurementSr(input: SrExportInput): SrExportResult {
  const { record, source, seg, instance } = input;
  if (record.inputs.series.seriesInstanceUid !== source.seriesInstanceUid) {
    throw new Error(`measurement record is of series ${record.inputs.series.seriesInstanceUid}, the source context of ${source.seriesInstanceUid}`);
  }
  const measurements: SrMeasurement[] = [];
  const groups: DicomItem[] = seg.segments.map((s) => {
    const { volumeMl, voxelCount } = recordVolumeOf(record, s);
    if (voxelCount !== s.voxelCount) {
      throw new Error(`SEG segment ${s.segmentNumber} "${s.label}" has ${s.voxelCount} voxels but the measurement record has ${voxelCount}: the labelmap is not the one measured`);
    }
    measurements.push({ segmentNumber: s.segmentNumber, label: s.label, volumeMl });
    const finding = s.role === 'liver' ? SR_CODES.liver : s.role === 'flr' ? SR_CODES.futureLiverRemnant : SR_CODES.neoplasm;
    const children: DicomItem[] = [
      textItem('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, s.label),
      uidref('HAS OBS CONTEXT', SR_CODES.trackingUid, s.trackingUid),
    ];
    if (input.timepoint) children.push(textItem('HAS OBS CONTEXT', SR_CODES.timePoint, input.timepoint));
    children.push(
      code('CONTAINS', SR_CODES.finding, finding),
      item('CONTAINS', 'IMAGE', SR_CODES.referencedSegment, [
        el(0x00081199, 'SQ', [[el(0x00081150, 'UI', SEG_STORAGE_SOP_CLASS), el(0x00081155, 'UI', seg.sopInstanceUid), el(0x0062000b, 'US', s.segmentNumber)]]),
      ]),
      uidref('CONTAINS', SR_CODES.sourceSeriesForSegmentation, source.seriesInstanceUid),
      code('HAS CONCEPT MOD', SR_CODES.findingSite, SR_CODES.liver),
      numItem('CONTAINS', SR_CODES.volume, volumeMl, SR_CODES.mL, [code('HAS CONCEPT MOD', SR_CODES.measurementMethod, SR_CODES.sumOfSegmentedVoxelVolumes)]),
    );
    return container('CONTAINS', SR_CODES.measurementGroup, children);
  });

  // TID 1501: the FLR assessment (no ROI of its own; values derive from the segments above and the anthropometrics).
  const assess: DicomItem[] = [
    textItem('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, 'FLR assessment'),
    uidref('HAS OBS CONTEXT', SR_CODES.trackingUid, uidFromParts('remnant-flr-assessment', instance.sopInstanceUid)),
  ];
  if (input.timepoint) assess.push(textItem('HAS OBS CONTEXT', SR_CODES.timePoint, input.timepoint));
  assess.push(numItem('CONTAINS', SR_CODES.tlvMeasured, record.volumes.tlvMeasuredMl, SR_CODES.mL));
  if (record.bsa) {
    assess.push(numItem('CONTAINS', SR_CODES.bodySurfaceArea, record.bsa.valueM2, SR_CODES.squareMetre, [textItem('HAS CONCEPT MOD', SR_CODES.formula, record.bsa.formulaName ?? 'explicit BSA')]));
  }
  if (record.stlv) assess.push(numItem('CONTAINS', SR_CODES.stlv, record.stlv.valueMl, SR_CODES.mL, [textItem('HAS CONCEPT MOD', SR_CODES.formula, `${record.stlv.formulaName}: ${record.stlv.expression}`)]));
  if (record.ratios.sflrPct !== null) assess.push(numItem('CONTAINS', SR_CODES.sflr, record.ratios.sflrPct, SR_CODES.percent));
  if (record.ratios.flrToTlvMeasuredPct !== null) assess.push(numItem('CONTAINS', SR_CODES.flrToTlvMeasured, record.ratios.flrToTlvMeasuredPct, SR_CODES.percent));
  if (record.ratios.flrToBodyWeightPct !== null) assess.push(numItem('CONTAINS', SR_CODES.flrToBodyWeight, record.ratios.flrToBodyWeightPct, SR_CODES.percent));
  // No applicable threshold when the chemotherapy status was not recorded (the verdict is then not assessable).
  // The chemotherapy status selects the threshold: Yes / No, or Unknown when not recorded (then no threshold applies).
  const chemo = record.thresholds.chemotherapy;
  assess.push(code('CONTAINS', SR_CODES.chemotherapy, chemo === true ? SR_CODES.yes : chemo === false ? SR_CODES.no : SR_CODES.unknown));
  if (record.thresholds.applicablePct !== null) assess.push(numItem('CONTAINS', SR_CODES.thresholdApplied, record.thresholds.applicablePct, SR_CODES.percent));
  const status = record.verdict.status;
  assess.push(
    code('CONTAINS', SR_CODES.verdict, status === 'sufficient' ? SR_CODES.sufficient : status === 'insufficient' ? SR_CODES.insufficient : SR_CODES.notAssessable),
    textItem('CONTAINS', SR_CODES.verdictReason, record.verdict.reason),
  );
  const meb = record.verdict.mebrofenin;
  if (meb) {
    assess.push(
      numItem('CONTAINS', SR_CODES.mebrofeninFunction, meb.valuePctPerMinPerM2, SR_CODES.percentPerMinPerM2),
      numItem('CONTAINS', SR_CODES.mebrofeninThreshold, meb.thresholdPctPerMinPerM2, SR_CODES.percentPerMinPerM2),
      code('CONTAINS', SR_CODES.mebrofeninExceeds, meb.exceedsThreshold ? SR_CODES.yes : SR_CODES.no),
    );
  }
  groups.push(container('CONTAINS', SR_CODES.measurementGroup, assess));
  if (input.growth) groups.push(growthGroup(input, instance.sopInstanceUid));

  const sourceUids = uniqueUids(input.sourceInstanceUids);
  const library = container('CONTAINS', SR_CODES.imageLibrary, [
    container('CONTAINS', SR_CODES.imageLibraryGroup, sourceUids.map((uid) => item('CONTAINS', 'IMAGE', null, [el(0x00081199, 'SQ', [[el(0x00081150, 'UI', source.sopClassUid), el(0x00081155, 'UI', uid)]])]))),
  ]);

  const root = container(null, SR_CODES.imagingMeasurementReport, [
    code('HAS CONCEPT MOD', SR_CODES.language, SR_CODES.english),
    code('HAS OBS CONTEXT', SR_CODES.observerType, SR_CODES.person),
    pname('HAS OBS CONTEXT', SR_CODES.personObserverName, input.observerName),
    code('HAS OBS CONTEXT', SR_CODES.observerType, SR_CODES.device),
    uidref('HAS OBS CONTEXT', SR_CODES.deviceObserverUid, REMNANT_IMPLEMENTATION_CLASS_UID),
    textItem('HAS OBS CONTEXT', SR_CODES.deviceObserverName, `Remnant ${instance.softwareVersion ?? CORE_VERSION}`),
    textItem('HAS OBS CONTEXT', SR_CODES.deviceObserverManufacturer, 'Remnant'),
    code('HAS CONCEPT MOD', SR_CODES.procedureReported, procedureCode(source.modality)),
    library,
    container('CONTAINS', SR_CODES.imagingMeasurements, groups),
  ]);

  const evidence: DicomItem[] = [
    [
      el(0x0020000d, 'UI', source.studyInstanceUid),
      el(0x00081115, 'SQ', [
        [el(0x0020000e, 'UI', source.seriesInstanceUid), el(0x00081199, 'SQ', sourceUids.map((uid) => [el(0x00081150, 'UI', source.sopClassUid), el(0x00081155, 'UI', uid)]))],
        [el(0x0020000e, 'UI', seg.seriesInstanceUid), el(0x00081199, 'SQ', [[el(0x00081150, 'UI', SEG_STORAGE_SOP_CLASS), el(0x00081155, 'UI', seg.sopInstanceUid)]])],
      ]),
    ],
  ];

  const dataset: DicomElement[] = [
    ...patientStudyElements(source),
    ...derivedInstanceElements(instance, 'SR', COMPREHENSIVE_SR_SOP_CLASS),
    el(0x00081111, 'SQ', []),
    el(0x00080023, 'DA', instance.contentDate),
    el(0x00080033, 'TM', instance.contentTime),
    el(0x0040a491, 'CS', 'COMPLETE'),
    el(0x0040a493, 'CS', 'UNVERIFIED'),
    el(0x0040a372, 'SQ', []),
    el(0x0040a375, 'SQ', evidence),
    el(0x0040a504, 'SQ', [[el(0x00080105, 'CS', 'DCMR'), el(0x0040db00, 'CS', '1500')]]),
    ...root,
  ];
  return { bytes: writeDicomPart10(dataset), measurements, sopInstanceUid: instance.sopInstanceUid, seriesInstanceUid: instance.seriesInstanceUid };
}


import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import type { ImportedLabelSource } from '../labels/types.ts';
import { resolveBsa } from '../clinical/bsa.ts';
import type { BsaFormulaId } from '../clinical/bsa.ts';
import { DRAGON2_DEFAULT_PROTOCOL, validateProtocol } from '../clinical/protocol.ts';
import type { VerdictRatio, VolumetryProtocol } from '../clinical/protocol.ts';
import { TLV_FORMULAS, standardisedTlvMl } from '../clinical/tlv.ts';
import type { TlvFormulaId } from '../clinical/tlv.ts';
import { CHEMOTHERAPY_NOT_RECORDED, computeFlrRatios, decideVerdict } from '../clinical/verdict.ts';
import type { FlrRatios, Verdict } from '../clinical/verdict.ts';
import type { CompositionQc, QcFlag, RoleMapping } from '../segments/compose.ts';
import { describeLabel, roleOfLabel, tumourIndexOfLabel } from '../segments/roles.ts';
import type { LabelRole } from '../segments/roles.ts';
import { computeLabelStats } from '../stats/label-stats.ts';
import type { LabelStat } from '../stats/label-stats.ts';
import { computeRoleStats } from '../stats/role-stats.ts';
import type { RegionStat, RoleStats } from '../stats/role-stats.ts';
import type { VoxelVolume } from '../stats/voxel-volume.ts';
import { CORE_VERSION } from '../version.ts';

/** Version of the MeasurementRecord JSON layout (docs/measurement-json.md). Bump the major on breaking changes. */
export const MEASUREMENT_SCHEMA_VERSION = '2.1.0';
export const MEASUREMENT_KIND = 'remnant.measurement';

/** Which DICOM attribute gave the scan date (seriesDate): the first in this order that the series has. */
export type SeriesDateSource = 'AcquisitionDate' | 'SeriesDate' | 'StudyDate';

export interface SeriesProvenance {
  /** StudyInstanceUID; null when the series has none (never a placeholder text). */
  studyInstanceUid: string | null;
  /**
   * SeriesInstanceUID; null when the series has none (never a placeholder text). The series is then identified by its
   * content, sourceFileSha256, which is required in that case, and the record carries a 'series-without-uid' flag.
   */
  seriesInstanceUid: string | null;
  frameOfReferenceUid: string;
  /** The scan date, YYYYMMDD: AcquisitionDate of the first slice, else SeriesDate, else StudyDate (seriesDateSource). */
  seriesDate: string;
  /** The attribute seriesDate was taken from, when the reader says. */
  seriesDateSource?: SeriesDateSource | null;
  modality: string;
  /** SHA-256 of the source series (of the instance hashes in slice order), if the reader computed one: its content identity. */
  sourceFileSha256?: string;
  /**
   * Subject key: SHA-256 (hex) of the DICOM PatientID as read from the series headers (UTF-8, padding trimmed); null (or
   * absent) when the series has no PatientID. The PatientID itself is never recorded. Growth refuses two measurements
   * whose keys differ (patientIdSha256ForRecord computes it).
   */
  patientIdSha256?: string | null;
}

export interface LabelInputProvenance {
  format: ImportedLabelSource['format'] | 'role-labelmap';
  fileName: string;
  /** Hex SHA-256 of the label file bytes. */
  sha256: string;
  roleMapping: RoleMapping;
  mappingNotes?: string[];
  /** FRACTIONAL DICOM SEG: the threshold as a fraction of MaximumFractionalValue; null (or absent) for other inputs. */
  fractionalThreshold?: number | null;
}

export interface Anthropometrics {
  heightCm?: number;
  weightKg?: number;
  /** Explicit BSA (m²); used instead of the formula when given. */
  bsaM2?: number;
  sex?: 'F' | 'M' | 'O';
  /**
   * Liver flagged as chemotherapy-damaged: selects the higher threshold. Required; null = not recorded, which makes the
   * verdict not assessable (the applicable threshold is unknown).
   */
  chemotherapy: boolean | null;
  /** FLR function by 99mTc-mebrofenin HBS (%/min/m²), recorded with the verdict when given. */
  mebrofeninFlrFunctionPctPerMinPerM2?: number;
}

export interface MeasureInput {
  /** The exclusive role labelmap on the series grid (docs/segment-semantics.md) and its composition QC. */
  roles: { labelmap: Uint8Array; qc: CompositionQc | null; geometry?: ImageGeometry };
  image: ScalarVolume;
  series: SeriesProvenance;
  labelInput: LabelInputProvenance;
  anthropometrics: Anthropometrics;
  /** Defaults to DRAGON2_DEFAULT_PROTOCOL. */
  protocol?: VolumetryProtocol;
  /** Explicit voxel volume (mm³) and why, e.g. for a gantry-tilted stack whose shear is not in the direction matrix. */
  voxelVolumeOverride?: { valueMm3: number; reason: string };
  /** ISO 8601 timestamp; defaults to now. */
  createdAt?: string;
  /**
   * Findings about the image series itself (gantry tilt / sheared grid, gaps read with allowGaps, oblique stack, lossy
   * compression, identifying data present...), copied into qc.flags so they travel with the numbers.
   */
  seriesFlags?: QcFlag[];
}

/** The anthropometrics as recorded: chemotherapyRecorded says whether the chemotherapy status was given explicitly. */
export interface RecordedAnthropometrics extends Anthropometrics {
  chemotherapyRecorded: boolean;
}

export interface SegmentStatistics extends LabelStat {
  role: LabelRole;
  name: string;
  /** 0-based tumour index for tumour labels, else null. */
  tumourIndex: number | null;
  /** Imported segment numbers that were composed into this label. */
  sourceSegmentNumbers: number[];
}

export interface MeasurementRecord {
  kind: typeof MEASUREMENT_KIND;
  schemaVersion: string;
  coreVersion: string;
  createdAt: string;
  inputs: { series: SeriesProvenance; labelInput: LabelInputProvenance; anthropometrics: RecordedAnthropometrics };
  geometry: { sizeIJK: Vec3; spacingMm: Vec3; originLPS: Vec3; directionLPS: number[]; voxelVolume: VoxelVolume };
  segments: SegmentStatistics[];
  roles: RoleStats;
  volumes: { liverMl: number; tumoursMl: number; tlvMeasuredMl: number; flrMl: number; tumourMl: number[] };
  bsa: { source: 'formula' | 'explicit'; formula: BsaFormulaId | null; formulaName: string | null; constants: Record<string, number> | null; citation: string | null; valueM2: number; formulaValueM2?: number } | null;
  stlv: { formula: TlvFormulaId; formulaName: string; expression: string; constants: { interceptMl: number; slopeMlPerM2: number }; citation: string; valueMl: number } | null;
  ratios: FlrRatios & { liverDensityGPerMl: number };
  /** applicablePct is null when the chemotherapy status is not recorded. */
  thresholds: { verdictRatio: VerdictRatio; normalLiverPct: number; chemotherapyDamagedLiverPct: number; chemotherapy: boolean | null; applicablePct: number | null };
  verdict: Verdict;
  qc: { composition: CompositionQc | null; flags: QcFlag[] };
  provenance: {
    coreVersion: string;
    schemaVersion: string;
    protocol: VolumetryProtocol;
    formulas: { bsa: BsaFormulaId | null; tlv: TlvFormulaId };
    voxelVolumeMethod: VoxelVolume['method'];
    studyInstanceUid: string | null;
    seriesInstanceUid: string | null;
    frameOfReferenceUid: string;
    sourceFileSha256: string | null;
    /** SHA-256 of the series' PatientID (the subject key); null when the series has none or the reader did not say. */
    patientIdSha256: string | null;
    /** Attribute the scan date came from; null when the reader did not say. */
    seriesDateSource: SeriesDateSource | null;
    /** FRACTIONAL SEG threshold (fraction of the maximum) used to import the labels; null for other inputs. */
    fractionalThreshold: number | null;
    labelInputSha256: string;
    labelInputFileName: string;
  };
}

const HEX64 = /^[0-9a-f]{64}$/;
/** DICOM UI value: dot-separated numeric components without leading zeros, at most 64 characters. */
const DICOM_UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
const DATE_SOURCES: ReadonlyArray<SeriesDateSource> = ['AcquisitionDate', 'SeriesDate', 'StudyDate'];

function requireUidOrNull(name: string, v: unknown): void {
  if (v === null) return;
  if (typeof v !== 'string' || v.length > 64 || !DICOM_UID.test(v)) throw new Error(`${name} must be a DICOM UID (digits and dots, up to 64 characters) or null when the series has none, got ${JSON.stringify(v)}`);
}

function cloneMapping(m: RoleMapping): RoleMapping {
  return { liver: [...m.liver], tumours: m.tumours.map((e) => (Array.isArray(e) ? [...e] : e)), flr: [...m.flr] };
}

function requireText(name: string, v: unknown): void {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${name} must be a non-empty string, got ${JSON.stringify(v)}`);
}

function checkSameGrid(a: ImageGeometry, b: ImageGeometry): void {
  const near = (x: number[], y: number[], tol: number): boolean => x.length === y.length && x.every((v, i) => Math.abs(v - (y[i] as number)) <= tol);
  if (!near(a.sizeIJK, b.sizeIJK, 0)) throw new Error(`role labelmap grid ${a.sizeIJK.join('x')} differs from the image grid ${b.sizeIJK.join('x')}`);
  if (!near(a.spacingMm, b.spacingMm, 1e-4) || !near(a.originLPS, b.originLPS, 1e-3) || !near(a.directionLPS, b.directionLPS, 1e-5)) {
    throw new Error(
      `role labelmap geometry (spacing ${a.spacingMm.join(',')}, origin ${a.originLPS.join(',')}) is not the image geometry (spacing ${b.spacingMm.join(',')}, origin ${b.originLPS.join(',')})`,
    );
  }
}

function sourceSegmentsOf(label: number, mapping: RoleMapping): number[] {
  const role = roleOfLabel(label);
  if (role === 'tumour') {
    const entry = mapping.tumours[tumourIndexOfLabel(label)];
    return entry === undefined ? [] : Array.isArray(entry) ? [...entry] : [entry];
  }
  if (role === 'flr') return [...mapping.flr];
  if (role === 'liver-non-flr') return [...mapping.liver];
  return [];
}

function fovFlags(name: string, region: RegionStat, severity: 'warning' | 'info'): QcFlag[] {
  if (!region.touchesFovEdge) return [];
  return [
    {
      code: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-touches-fov-edge`,
      severity,
      voxelCount: region.voxelCount,
      message: `${name} touches the edge of the scanned volume (${region.fovEdgeFaces.join(', ')}): it may extend beyond the field of view and its volume may be underestimated`,
    },
  ];
}

function gapFlags(name: string, region: RegionStat): QcFlag[] {
  const runs = region.slicesK?.runs ?? [];
  if (runs.length <= 1) return [];
  const gaps = runs.slice(1).map((r, n) => `${(runs[n] as [number, number])[1] + 1}..${r[0] - 1}`);
  return [{ code: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-slice-gaps`, severity: 'warning', message: `${name} has empty slices inside its extent (k ${gaps.join(', ')}): check for missing contours` }];
}

/**
 * Builds the measurement record: label and role statistics on the role labelmap, BSA, sTLV, ratios, verdict, QC and
 * provenance. Numbers are unrounded; see formatMeasurementText for a human summary.
 */
export function buildMeasurementRecord(input: MeasureInput): MeasurementRecord {
  const protocol = input.protocol ?? DRAGON2_DEFAULT_PROTOCOL;
  validateProtocol(protocol);
  const { series, labelInput, anthropometrics: anthro, image } = input;
  requireUidOrNull('series.studyInstanceUid', series.studyInstanceUid);
  requireUidOrNull('series.seriesInstanceUid', series.seriesInstanceUid);
  if (series.seriesInstanceUid === null && series.sourceFileSha256 === undefined) throw new Error('a series without SeriesInstanceUID needs sourceFileSha256 (its content identity)');
  if (series.seriesDateSource !== undefined && series.seriesDateSource !== null && !DATE_SOURCES.includes(series.seriesDateSource)) {
    throw new Error(`series.seriesDateSource must be one of ${DATE_SOURCES.join(', ')}, got ${JSON.stringify(series.seriesDateSource)}`);
  }
  const fractional = labelInput.fractionalThreshold ?? null;
  if (fractional !== null && !(typeof fractional === 'number' && fractional > 0 && fractional <= 1)) throw new Error(`labelInput.fractionalThreshold must be in (0, 1] or null, got ${JSON.stringify(fractional)}`);
  requireText('series.frameOfReferenceUid', series.frameOfReferenceUid);
  requireText('series.modality', series.modality);
  if (!/^\d{8}$/.test(series.seriesDate ?? '')) throw new Error(`series.seriesDate must be a DICOM date YYYYMMDD, got ${JSON.stringify(series.seriesDate)}`);
  requireText('labelInput.fileName', labelInput.fileName);
  if (!HEX64.test(labelInput.sha256 ?? '')) throw new Error(`labelInput.sha256 must be 64 lower-case hex digits, got ${JSON.stringify(labelInput.sha256)}`);
  if (series.patientIdSha256 !== undefined && series.patientIdSha256 !== null && !HEX64.test(series.patientIdSha256)) {
    throw new Error(`series.patientIdSha256 must be 64 lower-case hex digits (SHA-256 of the PatientID) or null, got ${JSON.stringify(series.patientIdSha256)}`);
  }
  if (series.sourceFileSha256 !== undefined && !HEX64.test(series.sourceFileSha256)) {
    throw new Error(`series.sourceFileSha256 must be 64 lower-case hex digits, got ${JSON.stringify(series.sourceFileSha256)}`);
  }
  if (typeof anthro.chemotherapy !== 'boolean' && anthro.chemotherapy !== null) {
    throw new Error(`anthropometrics.chemotherapy must be true, false or null (not recorded), got ${JSON.stringify(anthro.chemotherapy)}`);
  }
  if (input.roles.geometry) checkSameGrid(input.roles.geometry, image.geometry);

  // Statistics.
  const labelStats = computeLabelStats(input.roles.labelmap, image, {
    voxelVolumeMm3: input.voxelVolumeOverride?.valueMm3,
    voxelVolumeReason: input.voxelVolumeOverride?.reason,
  });
  const tumourCount = labelInput.roleMapping.tumours.length;
  const roles = computeRoleStats(labelStats, tumourCount);
  const segments: SegmentStatistics[] = labelStats.labels.map((l) => ({
    ...l,
    role: roleOfLabel(l.label),
    name: describeLabel(l.label),
    tumourIndex: tumourIndexOfLabel(l.label) >= 0 ? tumourIndexOfLabel(l.label) : null,
    sourceSegmentNumbers: sourceSegmentsOf(l.label, labelInput.roleMapping),
  }));
  const volumes = {
    liverMl: roles.liver.volumeMl,
    tumoursMl: roles.tumoursAll.volumeMl,
    tlvMeasuredMl: roles.tlvMeasured.volumeMl,
    flrMl: roles.flr.volumeMl,
    tumourMl: roles.tumours.map((t) => t.volumeMl),
  };

  // Clinical formulas.
  const bsaResult = resolveBsa(anthro, protocol.bsaFormula);
  const bsa: MeasurementRecord['bsa'] =
    bsaResult === null
      ? null
      : {
          source: bsaResult.source,
          formula: bsaResult.source === 'formula' ? (bsaResult.formula?.id ?? null) : null,
          formulaName: bsaResult.source === 'formula' ? (bsaResult.formula?.name ?? null) : null,
          constants: bsaResult.source === 'formula' ? { ...(bsaResult.formula?.constants ?? {}) } : null,
          citation: bsaResult.source === 'formula' ? (bsaResult.formula?.citation ?? null) : null,
          valueM2: bsaResult.valueM2,
          ...(bsaResult.formulaValueM2 !== undefined ? { formulaValueM2: bsaResult.formulaValueM2 } : {}),
        };
  const tlvF = TLV_FORMULAS[protocol.tlvFormula];
  const stlv: MeasurementRecord['stlv'] =
    bsa === null
      ? null
      : {
          formula: tlvF.id,
          formulaName: tlvF.name,
          expression: tlvF.expression,
          constants: { ...tlvF.constants },
          citation: tlvF.citation,
          valueMl: standardisedTlvMl(tlvF.id, bsa.valueM2),
        };
  if (stlv !== null && !(stlv.valueMl > 0)) {
    throw new Error(`${tlvF.name} sTLV = ${stlv.constants.interceptMl} + ${stlv.constants.slopeMlPerM2} x BSA ${bsa?.valueM2} m² = ${stlv.valueMl} mL is not a positive volume: check height, weight and BSA (the formula is for adults)`);
  }
  const mappedFlr = labelInput.roleMapping.flr.length > 0;
  const ratios = computeFlrRatios({
    flrMl: volumes.flrMl,
    tlvMeasuredMl: volumes.tlvMeasuredMl,
    stlvMl: stlv?.valueMl ?? null,
    weightKg: anthro.weightKg ?? null,
    liverDensityGPerMl: protocol.liverDensityGPerMl,
  });
  // QC flags.
  const flags: QcFlag[] = [...(input.seriesFlags ?? []), ...(input.roles.qc?.flags ?? [])];
  if (input.roles.qc === null) flags.push({ code: 'composition-qc-missing', severity: 'info', message: 'no composition QC was supplied with the role labelmap' });
  flags.push(...fovFlags('Liver', roles.liver, 'warning'), ...fovFlags('FLR', roles.flr, 'warning'));
  flags.push(...gapFlags('Liver', roles.liver), ...gapFlags('FLR', roles.flr));
  if (labelStats.voxelVolume.method === 'explicit-override') {
    flags.push({
      code: 'voxel-volume-override',
      severity: 'info',
      message: `voxel volume ${labelStats.voxelVolume.valueMm3} mm³ given explicitly (${input.voxelVolumeOverride?.reason ?? 'no reason'}); geometry gives ${labelStats.voxelVolume.geometryValueMm3} mm³`,
    });
  }
  if (bsa === null) flags.push({ code: 'bsa-missing', severity: 'warning', message: 'no height/weight or BSA: sTLV and sFLR cannot be computed' });
  if (bsa?.formulaValueM2 !== undefined && Math.abs(bsa.formulaValueM2 - bsa.valueM2) > 0.05 * bsa.valueM2) {
    flags.push({ code: 'bsa-explicit-differs', severity: 'warning', message: `explicit BSA ${bsa.valueM2} m² differs by more than 5% from ${protocol.bsaFormula} ${bsa.formulaValueM2} m² from height and weight` });
  }
  if (series.modality === 'CT' && roles.liver.intensity && (roles.liver.intensity.mean < -100 || roles.liver.intensity.mean > 300)) {
    flags.push({ code: 'liver-mean-hu-implausible', severity: 'warning', message: `mean liver attenuation ${roles.liver.intensity.mean} HU is outside -100..300 HU: wrong series or role mapping?` });
  }
  if (series.seriesInstanceUid === null || series.studyInstanceUid === null) {
    const missing = [series.studyInstanceUid === null ? 'StudyInstanceUID' : null, series.seriesInstanceUid === null ? 'SeriesInstanceUID' : null].filter(Boolean).join(' and ');
    flags.push({
      code: 'series-without-uid',
      severity: 'warning',
      message: `the series has no ${missing}: it is identified by its content, SHA-256 ${series.sourceFileSha256 ?? 'n/a'} of the instance hashes; DICOM SEG/SR exports cannot reference it`,
    });
  }
  if (anthro.chemotherapy === null) {
    flags.push({ code: 'chemotherapy-not-recorded', severity: 'warning', message: 'chemotherapy status not recorded: the applicable threshold is unknown, so the verdict is not assessable' });
  }
  if (roles.tumours.length > tumourCount) {
    flags.push({ code: 'tumour-labels-unmapped', severity: 'warning', message: `the labelmap holds ${roles.tumours.length} tumour labels but the mapping names ${tumourCount}` });
  }

  let notAssessableReason: string | undefined;
  if (!mappedFlr) notAssessableReason = 'no segment is mapped to the FLR';
  else if (protocol.verdictRatio === 'sflr' && stlv === null) notAssessableReason = 'no BSA (give height and weight, or an explicit BSA)';
  else if (protocol.verdictRatio === 'flr-to-body-weight' && anthro.weightKg === undefined) notAssessableReason = 'no body weight';
  else if (protocol.verdictRatio === 'flr-to-tlv-measured' && volumes.tlvMeasuredMl === 0) notAssessableReason = 'TLV measured is empty';
  const verdictRatios: FlrRatios = mappedFlr ? ratios : { sflrPct: null, flrToTlvMeasuredPct: null, flrToBodyWeightPct: null };
  // Not assessable (the ratio is still in `ratios`): error-severity QC findings, or no chemotherapy status.
  const errorCodes = [...new Set(flags.filter((f) => f.severity === 'error').map((f) => f.code))];
  if (notAssessableReason === undefined) {
    const why: string[] = [];
    if (errorCodes.length > 0) why.push(`QC error(s): ${errorCodes.join(', ')}`);
    if (anthro.chemotherapy === null) why.push(CHEMOTHERAPY_NOT_RECORDED);
    if (why.length > 0) notAssessableReason = why.join('; ');
  }
  const verdict = decideVerdict(verdictRatios, protocol, {
    chemotherapy: anthro.chemotherapy,
    ...(anthro.mebrofeninFlrFunctionPctPerMinPerM2 !== undefined ? { mebrofeninPctPerMinPerM2: anthro.mebrofeninFlrFunctionPctPerMinPerM2 } : {}),
    ...(notAssessableReason !== undefined ? { notAssessableReason } : {}),
  });

  const g = image.geometry;
  return {
    kind: MEASUREMENT_KIND,
    schemaVersion: MEASUREMENT_SCHEMA_VERSION,
    coreVersion: CORE_VERSION,
    createdAt: input.createdAt ?? new Date().toISOString(),
    inputs: {
      series: { ...series },
      labelInput: { ...labelInput, roleMapping: cloneMapping(labelInput.roleMapping) },
      anthropometrics: { ...anthro, chemotherapyRecorded: anthro.chemotherapy !== null },
    },
    geometry: { sizeIJK: [...g.sizeIJK], spacingMm: [...g.spacingMm], originLPS: [...g.originLPS], directionLPS: [...g.directionLPS], voxelVolume: labelStats.voxelVolume },
    segments,
    roles,
    volumes,
    bsa,
    stlv,
    ratios: { ...verdictRatios, liverDensityGPerMl: protocol.liverDensityGPerMl },
    thresholds: {
      verdictRatio: protocol.verdictRatio,
      normalLiverPct: protocol.thresholdPct.normalLiver,
      chemotherapyDamagedLiverPct: protocol.thresholdPct.chemotherapyDamagedLiver,
      chemotherapy: anthro.chemotherapy,
      applicablePct: verdict.thresholdPct,
    },
    verdict,
    qc: { composition: input.roles.qc, flags },
    provenance: {
      coreVersion: CORE_VERSION,
      schemaVersion: MEASUREMENT_SCHEMA_VERSION,
      protocol: { ...protocol, thresholdPct: { ...protocol.thresholdPct } },
      formulas: { bsa: bsa?.formula ?? null, tlv: protocol.tlvFormula },
      voxelVolumeMethod: labelStats.voxelVolume.method,
      studyInstanceUid: series.studyInstanceUid,
      seriesInstanceUid: series.seriesInstanceUid,
      frameOfReferenceUid: series.frameOfReferenceUid,
      sourceFileSha256: series.sourceFileSha256 ?? null,
      patientIdSha256: series.patientIdSha256 ?? null,
      seriesDateSource: series.seriesDateSource ?? null,
      fractionalThreshold: fractional,
      labelInputSha256: labelInput.sha256,
      labelInputFileName: labelInput.fileName,
    },
  };
}

/**
 * Checks that parsed JSON is a MeasurementRecord this core can read (kind, schema major version, key numbers),
 * naming `source` (e.g. the file name) in errors. Returns the value typed.
 */
export function assertMeasurementRecord(value: unknown, source: string): MeasurementRecord {
  const v = value as Partial<MeasurementRecord> | null;
  if (typeof v !== 'object' || v === null) throw new Error(`${source}: not a JSON object`);
  if (v.kind !== MEASUREMENT_KIND) throw new Error(`${source}: kind is ${JSON.stringify(v.kind)}, expected "${MEASUREMENT_KIND}"`);
  const major = (s: unknown): string => String(s).split('.')[0] as string;
  if (major(v.schemaVersion) !== major(MEASUREMENT_SCHEMA_VERSION)) {
    throw new Error(`${source}: schemaVersion ${String(v.schemaVersion)} is not readable by this core (schema ${MEASUREMENT_SCHEMA_VERSION})`);
  }
  const vol = v.volumes;
  if (!vol || ![vol.flrMl, vol.liverMl, vol.tlvMeasuredMl].every((x) => typeof x === 'number' && Number.isFinite(x))) throw new Error(`${source}: volumes are missing or not numbers`);
  if (!v.ratios || !v.provenance?.protocol || !v.inputs?.series) throw new Error(`${source}: ratios, provenance.protocol or inputs.series missing`);
  return v as MeasurementRecord;
}

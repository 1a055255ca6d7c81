import { computeGrowthMetrics, resolveGrowthInterval } from '../clinical/growth.ts';
import type { GrowthMetrics } from '../clinical/growth.ts';
import { protocolDifferences } from '../clinical/protocol.ts';
import type { VolumetryProtocol } from '../clinical/protocol.ts';
import type { QcFlag } from '../segments/compose.ts';
import { CORE_VERSION } from '../version.ts';
import type { MeasurementRecord } from './record.ts';

export const GROWTH_SCHEMA_VERSION = '2.1.0';
export const GROWTH_KIND = 'remnant.growth';

export interface GrowthOptions {
  /** Explicit interval between the scans in days; overrides the series dates. */
  intervalDays?: number;
  /** Accept measurements made under different protocols (recorded as an error-severity flag) instead of refusing. */
  allowProtocolMismatch?: boolean;
  /**
   * Accept measurements whose subject keys (patientIdSha256) differ (recorded as an error-severity 'subject-mismatch'
   * flag) instead of refusing, e.g. when a site re-issued the PatientID between the scans.
   */
  allowSubjectMismatch?: boolean;
  createdAt?: string;
}

export interface GrowthEndpoint {
  /** null when the series has no SeriesInstanceUID: seriesSha256 identifies it. */
  seriesInstanceUid: string | null;
  studyInstanceUid: string | null;
  /** SHA-256 of the series' instance hashes (content identity); null when the record has none. */
  seriesSha256: string | null;
  /** Subject key: SHA-256 of the series' PatientID; null when unknown (no PatientID, or a record without the key). */
  patientIdSha256: string | null;
  seriesDate: string;
  createdAt: string;
  labelInputSha256: string;
  flrMl: number;
  tlvMeasuredMl: number;
  stlvMl: number | null;
  /** sFLR on this timepoint's own sTLV. */
  sflrPct: number | null;
  heightCm: number | null;
  weightKg: number | null;
  bsaM2: number | null;
  /** The timepoint's applicable sufficiency threshold (%); null when its chemotherapy status was not recorded. */
  applicableThresholdPct: number | null;
}

export interface GrowthRecord extends GrowthMetrics {
  kind: typeof GROWTH_KIND;
  schemaVersion: string;
  coreVersion: string;
  createdAt: string;
  baseline: GrowthEndpoint;
  followup: GrowthEndpoint;
  /** The protocol both measurements used (the baseline's when a mismatch was allowed). */
  protocol: VolumetryProtocol;
  protocolDifferences: string[];
  flags: QcFlag[];
}

function endpoint(r: MeasurementRecord): GrowthEndpoint {
  const a = r.inputs.anthropometrics;
  return {
    seriesInstanceUid: r.inputs.series.seriesInstanceUid,
    studyInstanceUid: r.inputs.series.studyInstanceUid,
    seriesSha256: r.provenance.sourceFileSha256 ?? null,
    patientIdSha256: r.inputs.series.patientIdSha256 ?? r.provenance.patientIdSha256 ?? null,
    seriesDate: r.inputs.series.seriesDate,
    createdAt: r.createdAt,
    labelInputSha256: r.inputs.labelInput.sha256,
    flrMl: r.volumes.flrMl,
    tlvMeasuredMl: r.volumes.tlvMeasuredMl,
    stlvMl: r.stlv?.valueMl ?? null,
    sflrPct: r.ratios.sflrPct,
    heightCm: a.heightCm ?? null,
    weightKg: a.weightKg ?? null,
    bsaM2: r.bsa?.valueM2 ?? null,
    applicableThresholdPct: r.thresholds.applicablePct,
  };
}

/** Same series: same SeriesInstanceUID, or (when either has none) the same content hash. */
function sameSeries(b: GrowthEndpoint, f: GrowthEndpoint): boolean {
  if (b.seriesInstanceUid !== null && f.seriesInstanceUid !== null) return b.seriesInstanceUid === f.seriesInstanceUid;
  return b.seriesSha256 !== null && b.seriesSha256 === f.seriesSha256;
}

/** "1.2.3" or "(no SeriesInstanceUID; content SHA-256 ab12...)" */
export function seriesIdentityText(e: Pick<GrowthEndpoint, 'seriesInstanceUid' | 'seriesSha256'>): string {
  return e.seriesInstanceUid ?? `(no SeriesInstanceUID; content SHA-256 ${e.seriesSha256 ?? 'n/a'})`;
}

/**
 * Growth between a baseline and a follow-up measurement: DH (percentage points of sFLR), KGR (%/week), relative FLR
 * growth (%). DH and KGR are on the protocol's growthStlvBasis (default: the baseline sTLV for both sFLRs), and on the
 * other basis in byBasis. Refuses measurements made under different protocols unless allowProtocolMismatch is set, of
 * different subjects (different patientIdSha256) unless allowSubjectMismatch is set, and a follow-up series date that is
 * not after the baseline's (unless an explicit intervalDays is given).
 */
export function growthRecord(baseline: MeasurementRecord, followup: MeasurementRecord, options: GrowthOptions = {}): GrowthRecord {
  const differences = protocolDifferences(baseline.provenance.protocol, followup.provenance.protocol);
  const flags: QcFlag[] = [];
  if (differences.length > 0) {
    if (!options.allowProtocolMismatch) {
      throw new Error(`baseline and follow-up were measured under different protocols (${differences.join('; ')}); re-measure under one protocol or allow the mismatch explicitly`);
    }
    flags.push({ code: 'protocol-mismatch', severity: 'error', message: `measurements use different protocols: ${differences.join('; ')}` });
  }
  const b = endpoint(baseline);
  const f = endpoint(followup);
  if (b.patientIdSha256 !== null && f.patientIdSha256 !== null) {
    if (b.patientIdSha256 !== f.patientIdSha256) {
      const which = `baseline PatientID SHA-256 ${b.patientIdSha256.slice(0, 12)}..., follow-up ${f.patientIdSha256.slice(0, 12)}...`;
      if (!options.allowSubjectMismatch) {
        throw new Error(`baseline and follow-up are of different subjects (${which}); growth combines two measurements of one subject only (allow the mismatch explicitly if the PatientID changed for the same subject)`);
      }
      flags.push({ code: 'subject-mismatch', severity: 'error', message: `baseline and follow-up have different PatientIDs (${which}); combined because the mismatch was allowed explicitly` });
    }
  } else {
    const missing = [b.patientIdSha256 === null ? 'baseline' : null, f.patientIdSha256 === null ? 'follow-up' : null].filter(Boolean).join(' and ');
    flags.push({ code: 'subject-unverified', severity: 'warning', message: `the ${missing} has no PatientID key (patientIdSha256): check that both measurements are of the same subject` });
  }
  if (sameSeries(b, f)) {
    flags.push({ code: 'same-series', severity: 'warning', message: `baseline and follow-up are the same series ${seriesIdentityText(b)}` });
  }
  const interval = resolveGrowthInterval({ baselineDate: b.seriesDate, followupDate: f.seriesDate, ...(options.intervalDays !== undefined ? { intervalDays: options.intervalDays } : {}) });
  if (interval.source === 'explicit' && interval.seriesDateDays !== null && Math.abs(interval.seriesDateDays - interval.days) >= 1) {
    flags.push({ code: 'interval-differs-from-dates', severity: 'warning', message: `explicit interval ${interval.days} days differs from the series dates (${interval.seriesDateDays} days)` });
  }
  // Protocols recorded before the setting existed (version 1) computed DH on each timepoint's own sTLV.
  const stlvBasis = baseline.provenance.protocol.growthStlvBasis ?? 'per-timepoint';
  const metrics = computeGrowthMetrics({
    baselineSflrPct: b.sflrPct,
    followupSflrPct: f.sflrPct,
    baselineFlrMl: b.flrMl,
    followupFlrMl: f.flrMl,
    baselineStlvMl: b.stlvMl,
    interval,
    kgrCutoffPctPerWeek: baseline.provenance.protocol.kgrCutoffPctPerWeek,
    stlvBasis,
  });
  if (b.stlvMl !== null && f.stlvMl !== null && Math.abs(b.stlvMl - f.stlvMl) > 0.01 * b.stlvMl) {
    const dhBase = metrics.byBasis.baseline.degreeOfHypertrophyPp;
    const dhOwn = metrics.byBasis['per-timepoint'].degreeOfHypertrophyPp;
    const attributable = dhBase === null || dhOwn === null ? '' : `; ${(dhOwn - dhBase).toFixed(2)} pp of the per-timepoint DH come from the sTLV change alone`;
    flags.push({
      code: 'stlv-changed',
      severity: stlvBasis === 'per-timepoint' ? 'warning' : 'info',
      message: `sTLV changed between the measurements (${b.stlvMl.toFixed(1)} -> ${f.stlvMl.toFixed(1)} mL; weight ${b.weightKg ?? 'n/a'} -> ${f.weightKg ?? 'n/a'} kg, BSA ${b.bsaM2?.toFixed(4) ?? 'n/a'} -> ${f.bsaM2?.toFixed(4) ?? 'n/a'} m²); DH/KGR use the ${stlvBasis === 'baseline' ? 'baseline sTLV for both sFLRs' : "each timepoint's own sTLV"}${attributable}`,
    });
  }
  const fb = baseline.provenance.fractionalThreshold ?? null;
  const ff = followup.provenance.fractionalThreshold ?? null;
  if (fb !== ff) flags.push({ code: 'fractional-threshold-differs', severity: 'warning', message: `the FRACTIONAL SEG threshold differs between the label inputs (${fb ?? 'n/a'} vs ${ff ?? 'n/a'})` });
  if (baseline.inputs.anthropometrics.chemotherapy !== followup.inputs.anthropometrics.chemotherapy) {
    flags.push({ code: 'chemotherapy-status-changed', severity: 'info', message: 'the chemotherapy flag differs between baseline and follow-up' });
  }
  if (b.sflrPct === null || f.sflrPct === null) flags.push({ code: 'sflr-missing', severity: 'warning', message: 'sFLR is missing in one measurement: DH and KGR cannot be computed' });
  if (metrics.kgrBelowCutoff) {
    flags.push({ code: 'kgr-below-cutoff', severity: 'warning', message: `KGR ${metrics.kineticGrowthRatePctPerWeek} %/week (${stlvBasis} sTLV basis) is below the ${metrics.kgrCutoffPctPerWeek} %/week cut-off` });
  }
  return {
    kind: GROWTH_KIND,
    schemaVersion: GROWTH_SCHEMA_VERSION,
    coreVersion: CORE_VERSION,
    createdAt: options.createdAt ?? new Date().toISOString(),
    baseline: b,
    followup: f,
    ...metrics,
    protocol: baseline.provenance.protocol,
    protocolDifferences: differences,
    flags,
  };
}

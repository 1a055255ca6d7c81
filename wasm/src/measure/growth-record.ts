import { computeGrowthMetrics, resolveGrowthInterval } from '../clinical/growth.ts';
import type { GrowthMetrics } from '../clinical/growth.ts';
import { protocolDifferences } from '../clinical/protocol.ts';
import type { VolumetryProtocol } from '../clinical/protocol.ts';
import type { QcFlag } from '../segments/compose.ts';
import { CORE_VERSION } from '../version.ts';
import type { MeasurementRecord } from './record.ts';

export const GROWTH_SCHEMA_VERSION = '1.0.0';
export const GROWTH_KIND = 'remnant.growth';

export interface GrowthOptions {
  /** Explicit interval between the scans in days; overrides the series dates. */
  intervalDays?: number;
  /** Accept measurements made under different protocols (recorded as an error-severity flag) instead of refusing. */
  allowProtocolMismatch?: boolean;
  createdAt?: string;
}

export interface GrowthEndpoint {
  seriesInstanceUid: string;
  studyInstanceUid: string;
  seriesDate: string;
  createdAt: string;
  labelInputSha256: string;
  flrMl: number;
  tlvMeasuredMl: number;
  stlvMl: number | null;
  sflrPct: number | null;
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
  return {
    seriesInstanceUid: r.inputs.series.seriesInstanceUid,
    studyInstanceUid: r.inputs.series.studyInstanceUid,
    seriesDate: r.inputs.series.seriesDate,
    createdAt: r.createdAt,
    labelInputSha256: r.inputs.labelInput.sha256,
    flrMl: r.volumes.flrMl,
    tlvMeasuredMl: r.volumes.tlvMeasuredMl,
    stlvMl: r.stlv?.valueMl ?? null,
    sflrPct: r.ratios.sflrPct,
  };
}

/**
 * Growth between a baseline and a follow-up measurement: DH (percentage points of sFLR), KGR (%/week), relative FLR
 * growth (%). Refuses measurements made under different protocols unless allowProtocolMismatch is set.
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
  if (b.seriesInstanceUid === f.seriesInstanceUid) {
    flags.push({ code: 'same-series', severity: 'warning', message: `baseline and follow-up are the same series ${b.seriesInstanceUid}` });
  }
  const interval = resolveGrowthInterval({ baselineDate: b.seriesDate, followupDate: f.seriesDate, ...(options.intervalDays !== undefined ? { intervalDays: options.intervalDays } : {}) });
  if (interval.source === 'explicit' && interval.seriesDateDays !== null && Math.abs(interval.seriesDateDays - interval.days) >= 1) {
    flags.push({ code: 'interval-differs-from-dates', severity: 'warning', message: `explicit interval ${interval.days} days differs from the series dates (${interval.seriesDateDays} days)` });
  }
  if (b.stlvMl !== null && f.stlvMl !== null && Math.abs(b.stlvMl - f.stlvMl) > 0.01 * b.stlvMl) {
    flags.push({
      code: 'stlv-changed',
      severity: 'info',
      message: `sTLV changed between the measurements (${b.stlvMl} -> ${f.stlvMl} mL, e.g. weight change); each sFLR uses its own sTLV`,
    });
  }
  if (baseline.inputs.anthropometrics.chemotherapy !== followup.inputs.anthropometrics.chemotherapy) {
    flags.push({ code: 'chemotherapy-status-changed', severity: 'info', message: 'the chemotherapy flag differs between baseline and follow-up' });
  }
  if (b.sflrPct === null || f.sflrPct === null) flags.push({ code: 'sflr-missing', severity: 'warning', message: 'sFLR is missing in one measurement: DH and KGR cannot be computed' });
  const metrics = computeGrowthMetrics({
    baselineSflrPct: b.sflrPct,
    followupSflrPct: f.sflrPct,
    baselineFlrMl: b.flrMl,
    followupFlrMl: f.flrMl,
    interval,
    kgrCutoffPctPerWeek: baseline.provenance.protocol.kgrCutoffPctPerWeek,
  });
  if (metrics.kgrBelowCutoff) {
    flags.push({ code: 'kgr-below-cutoff', severity: 'warning', message: `KGR ${metrics.kineticGrowthRatePctPerWeek} %/week is below the ${metrics.kgrCutoffPctPerWeek} %/week cut-off` });
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

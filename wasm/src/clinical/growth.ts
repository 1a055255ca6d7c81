/**
 * FLR growth between a baseline and a follow-up measurement (e.g. before and after PVE or PVE/HVE):
 *  - degree of hypertrophy DH = sFLR(follow-up) - sFLR(baseline), in percentage points;
 *  - kinetic growth rate KGR = DH / weeks elapsed, in %/week (Shindoh et al., J Am Coll Surg 2013; < ~2 %/week
 *    flags poor growth; the cut-off is a protocol setting);
 *  - relative FLR growth = (FLR follow-up - FLR baseline) / FLR baseline x 100, in %.
 */

import type { GrowthStlvBasis } from './protocol.ts';

const MS_PER_DAY = 86_400_000;

/** Parses a DICOM DA value (YYYYMMDD) as a UTC calendar day; rejects malformed or impossible dates. */
export function parseDicomDate(value: string, name = 'date'): Date {
  if (typeof value !== 'string' || !/^\d{8}$/.test(value.trim())) throw new Error(`${name} must be a DICOM date YYYYMMDD, got "${String(value)}"`);
  const v = value.trim();
  const y = Number(v.slice(0, 4));
  const m = Number(v.slice(4, 6));
  const d = Number(v.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new Error(`${name} "${v}" is not a calendar date`);
  return date;
}

/** Whole days from one DICOM date to another (positive when `later` is after `earlier`). */
export function daysBetweenDicomDates(earlier: string, later: string): number {
  return Math.round((parseDicomDate(later, 'later date').getTime() - parseDicomDate(earlier, 'earlier date').getTime()) / MS_PER_DAY);
}

export interface GrowthInterval {
  days: number;
  weeks: number;
  /** 'explicit': the caller's interval in days; 'series-dates': from the two series dates. */
  source: 'explicit' | 'series-dates';
  /** Days between the series dates when both are known (also with an explicit interval, for comparison). */
  seriesDateDays: number | null;
}

/** The interval between two scans: an explicit positive number of days wins; else the series dates. */
export function resolveGrowthInterval(input: { baselineDate?: string; followupDate?: string; intervalDays?: number }): GrowthInterval {
  const haveDates = Boolean(input.baselineDate) && Boolean(input.followupDate);
  const seriesDateDays = haveDates ? daysBetweenDicomDates(input.baselineDate as string, input.followupDate as string) : null;
  if (input.intervalDays !== undefined) {
    if (!Number.isFinite(input.intervalDays) || input.intervalDays <= 0) throw new Error(`intervalDays must be a positive number of days, got ${input.intervalDays}`);
    return { days: input.intervalDays, weeks: input.intervalDays / 7, source: 'explicit', seriesDateDays };
  }
  if (seriesDateDays === null) throw new Error('the growth interval is unknown: give both series dates (YYYYMMDD) or intervalDays');
  if (seriesDateDays <= 0) {
    throw new Error(`the follow-up series date ${input.followupDate} is not after the baseline date ${input.baselineDate} (${seriesDateDays} days); give intervalDays if the dates are wrong`);
  }
  return { days: seriesDateDays, weeks: seriesDateDays / 7, source: 'series-dates', seriesDateDays };
}

/** DH and KGR on one sTLV basis. */
export interface GrowthOnBasis {
  stlvBasis: GrowthStlvBasis;
  /** Follow-up sFLR on this basis: follow-up FLR / (baseline or follow-up) sTLV x 100; null without that sTLV. */
  followupSflrPct: number | null;
  /** DH in percentage points; null when either sFLR is unknown. */
  degreeOfHypertrophyPp: number | null;
  /** KGR in %/week; null when DH is unknown. */
  kineticGrowthRatePctPerWeek: number | null;
  /** KGR below the cut-off; null when KGR is unknown. */
  kgrBelowCutoff: boolean | null;
}

export interface GrowthMetrics {
  interval: GrowthInterval;
  /** The sTLV basis of degreeOfHypertrophyPp / kineticGrowthRatePctPerWeek / kgrBelowCutoff (the protocol's). */
  stlvBasis: GrowthStlvBasis;
  /** DH in percentage points on stlvBasis; null when either sFLR is unknown. */
  degreeOfHypertrophyPp: number | null;
  /** KGR in %/week on stlvBasis; null when DH is unknown. */
  kineticGrowthRatePctPerWeek: number | null;
  relativeFlrGrowthPct: number;
  kgrCutoffPctPerWeek: number;
  /** KGR below the cut-off (KGR < cut-off); null when KGR is unknown. */
  kgrBelowCutoff: boolean | null;
  /** DH and KGR on both bases (the chosen one and the other), for comparison. */
  byBasis: { baseline: GrowthOnBasis; 'per-timepoint': GrowthOnBasis };
}

/**
 * DH, KGR and relative FLR growth. DH = sFLR(follow-up) - sFLR(baseline), where the follow-up sFLR is the follow-up FLR
 * over the baseline sTLV ('baseline' basis) or over its own sTLV ('per-timepoint'); both are computed, the protocol's
 * basis is reported as the result.
 */
export function computeGrowthMetrics(input: {
  baselineSflrPct: number | null;
  followupSflrPct: number | null;
  baselineFlrMl: number;
  followupFlrMl: number;
  /** Baseline sTLV (mL), for the 'baseline' basis; null when unknown. */
  baselineStlvMl: number | null;
  interval: GrowthInterval;
  kgrCutoffPctPerWeek: number;
  stlvBasis: GrowthStlvBasis;
}): GrowthMetrics {
  const { baselineSflrPct, followupSflrPct, baselineFlrMl, followupFlrMl, baselineStlvMl, interval, kgrCutoffPctPerWeek, stlvBasis } = input;
  if (!Number.isFinite(baselineFlrMl) || baselineFlrMl <= 0) throw new Error(`baseline FLR volume must be positive to compute relative growth, got ${baselineFlrMl} mL`);
  if (!Number.isFinite(followupFlrMl) || followupFlrMl < 0) throw new Error(`follow-up FLR volume must be a non-negative number, got ${followupFlrMl} mL`);
  if (!(interval.weeks > 0)) throw new Error(`the growth interval must be positive, got ${interval.days} days`);
  if (stlvBasis !== 'baseline' && stlvBasis !== 'per-timepoint') throw new Error(`stlvBasis must be baseline or per-timepoint, got ${String(stlvBasis)}`);
  if (baselineStlvMl !== null && !(Number.isFinite(baselineStlvMl) && baselineStlvMl > 0)) throw new Error(`baseline sTLV must be a positive number of mL, got ${baselineStlvMl}`);
  const on = (basis: GrowthStlvBasis): GrowthOnBasis => {
    const f = basis === 'baseline' ? (baselineStlvMl === null ? null : (followupFlrMl / baselineStlvMl) * 100) : followupSflrPct;
    const dh = baselineSflrPct === null || f === null ? null : f - baselineSflrPct;
    const kgr = dh === null ? null : dh / interval.weeks;
    return { stlvBasis: basis, followupSflrPct: f, degreeOfHypertrophyPp: dh, kineticGrowthRatePctPerWeek: kgr, kgrBelowCutoff: kgr === null ? null : kgr < kgrCutoffPctPerWeek };
  };
  const byBasis = { baseline: on('baseline'), 'per-timepoint': on('per-timepoint') };
  const chosen = byBasis[stlvBasis];
  return {
    interval,
    stlvBasis,
    degreeOfHypertrophyPp: chosen.degreeOfHypertrophyPp,
    kineticGrowthRatePctPerWeek: chosen.kineticGrowthRatePctPerWeek,
    relativeFlrGrowthPct: ((followupFlrMl - baselineFlrMl) / baselineFlrMl) * 100,
    kgrCutoffPctPerWeek,
    kgrBelowCutoff: chosen.kgrBelowCutoff,
    byBasis,
  };
}

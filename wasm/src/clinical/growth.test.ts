import { describe, expect, it } from 'vitest';
import { computeGrowthMetrics, daysBetweenDicomDates, parseDicomDate, resolveGrowthInterval } from './growth.ts';

describe('DICOM dates and intervals', () => {
  it('counts calendar days across month ends, leap days and DST changes', () => {
    expect(daysBetweenDicomDates('20240220', '20240305')).toBe(14); // 2024 is a leap year: 9 days of Feb + 5
    expect(daysBetweenDicomDates('20230320', '20230403')).toBe(14);
    expect(daysBetweenDicomDates('20231225', '20240108')).toBe(14);
    expect(() => parseDicomDate('20230230', 'baseline seriesDate')).toThrow('baseline seriesDate "20230230" is not a calendar date');
    expect(() => parseDicomDate('2023-02-01', 'followup seriesDate')).toThrow(/followup seriesDate must be a DICOM date YYYYMMDD/);
  });

  it('prefers an explicit interval and rejects non-positive ones', () => {
    expect(resolveGrowthInterval({ baselineDate: '20240101', followupDate: '20240122' })).toEqual({ days: 21, weeks: 3, source: 'series-dates', seriesDateDays: 21 });
    expect(resolveGrowthInterval({ baselineDate: '20240101', followupDate: '20240122', intervalDays: 20 })).toEqual({ days: 20, weeks: 20 / 7, source: 'explicit', seriesDateDays: 21 });
    expect(() => resolveGrowthInterval({ intervalDays: 0 })).toThrow('intervalDays must be a positive number of days, got 0');
    expect(() => resolveGrowthInterval({ baselineDate: '20240122', followupDate: '20240122' })).toThrow(/not after the baseline date 20240122 \(0 days\)/);
    expect(() => resolveGrowthInterval({ baselineDate: '20240122' })).toThrow(/growth interval is unknown/);
  });
});

describe('computeGrowthMetrics', () => {
  it('computes DH (percentage points), KGR (%/week) and relative FLR growth', () => {
    // Baseline sFLR 22 %, follow-up 31 % after 21 days: DH 9 pp, KGR 3 %/week; FLR 350 -> 497 mL: +42 %.
    const g = computeGrowthMetrics({
      baselineSflrPct: 22,
      followupSflrPct: 31,
      baselineFlrMl: 350,
      followupFlrMl: 497,
      interval: resolveGrowthInterval({ baselineDate: '20240101', followupDate: '20240122' }),
      kgrCutoffPctPerWeek: 2,
      baselineStlvMl: null,
      stlvBasis: 'per-timepoint',
    });
    expect(g.degreeOfHypertrophyPp).toBeCloseTo(9, 12);
    expect(g.kineticGrowthRatePctPerWeek).toBeCloseTo(3, 12);
    expect(g.relativeFlrGrowthPct).toBeCloseTo(42, 12);
    expect(g.kgrBelowCutoff).toBe(false);
    const slow = computeGrowthMetrics({ baselineSflrPct: 22, followupSflrPct: 25, baselineFlrMl: 350, followupFlrMl: 400, interval: resolveGrowthInterval({ intervalDays: 28 }), kgrCutoffPctPerWeek: 2, baselineStlvMl: null, stlvBasis: 'per-timepoint' });
    expect(slow.kineticGrowthRatePctPerWeek).toBeCloseTo(0.75, 12);
    expect(slow.kgrBelowCutoff).toBe(true);
    const noSflr = computeGrowthMetrics({ baselineSflrPct: null, followupSflrPct: 25, baselineFlrMl: 350, followupFlrMl: 400, interval: resolveGrowthInterval({ intervalDays: 28 }), kgrCutoffPctPerWeek: 2, baselineStlvMl: null, stlvBasis: 'per-timepoint' });
    expect(noSflr).toMatchObject({ degreeOfHypertrophyPp: null, kineticGrowthRatePctPerWeek: null, kgrBelowCutoff: null });
    expect(() => computeGrowthMetrics({ ...noSflr, baselineSflrPct: 1, followupSflrPct: 2, baselineFlrMl: 0, followupFlrMl: 1, kgrCutoffPctPerWeek: 2, baselineStlvMl: null, stlvBasis: 'per-timepoint' })).toThrow(/baseline FLR volume must be positive/);
  });

  it('puts DH/KGR on the chosen sTLV basis and reports the other: a weight change alone is no hypertrophy on the baseline basis', () => {
    // FLR unchanged at 450 mL; weight 75 -> 70 kg moves sTLV 1590.5 -> 1509.7 mL (Vauthey, Mosteller, 170 cm).
    const interval = resolveGrowthInterval({ intervalDays: 21 });
    const input = { baselineSflrPct: (450 / 1590.52) * 100, followupSflrPct: (450 / 1509.7) * 100, baselineFlrMl: 450, followupFlrMl: 450, baselineStlvMl: 1590.52, interval, kgrCutoffPctPerWeek: 2 };
    const onBaseline = computeGrowthMetrics({ ...input, stlvBasis: 'baseline' });
    expect(onBaseline.stlvBasis).toBe('baseline');
    expect(onBaseline.degreeOfHypertrophyPp).toBeCloseTo(0, 12);
    expect(onBaseline.kineticGrowthRatePctPerWeek).toBeCloseTo(0, 12);
    expect(onBaseline.kgrBelowCutoff).toBe(true);
    expect(onBaseline.byBasis['per-timepoint'].degreeOfHypertrophyPp).toBeCloseTo(29.807 - 28.292, 2);
    const perTimepoint = computeGrowthMetrics({ ...input, stlvBasis: 'per-timepoint' });
    expect(perTimepoint.degreeOfHypertrophyPp).toBeCloseTo(onBaseline.byBasis['per-timepoint'].degreeOfHypertrophyPp as number, 12);
    expect(perTimepoint.byBasis.baseline.degreeOfHypertrophyPp).toBeCloseTo(0, 12);
    // No baseline sTLV: the baseline basis cannot be computed.
    expect(computeGrowthMetrics({ ...input, baselineStlvMl: null, stlvBasis: 'baseline' }).degreeOfHypertrophyPp).toBeNull();
  });
});

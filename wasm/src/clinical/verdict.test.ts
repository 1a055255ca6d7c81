import { describe, expect, it } from 'vitest';
import { DRAGON2_DEFAULT_PROTOCOL, makeProtocol, protocolDifferences } from './protocol.ts';
import { formatAgainstThreshold, roundAgainstThreshold } from './threshold-rounding.ts';
import { computeFlrRatios, decideVerdict, formatPctAgainst } from './verdict.ts';

describe('computeFlrRatios', () => {
  it('computes sFLR, FLR/TLV measured and FLR/body weight (1 g/mL) from volumes', () => {
    const r = computeFlrRatios({ flrMl: 412, tlvMeasuredMl: 1600, stlvMl: 1590.5, weightKg: 75, liverDensityGPerMl: 1 });
    expect(r.sflrPct).toBeCloseTo((412 / 1590.5) * 100, 12);
    expect(r.flrToTlvMeasuredPct).toBeCloseTo(25.75, 12);
    expect(r.flrToBodyWeightPct).toBeCloseTo((412 / 75000) * 100, 12); // 0.549 %
    const dense = computeFlrRatios({ flrMl: 412, tlvMeasuredMl: 1600, stlvMl: null, weightKg: 75, liverDensityGPerMl: 1.05 });
    expect(dense.flrToBodyWeightPct).toBeCloseTo(((412 * 1.05) / 75000) * 100, 12);
    expect(dense.sflrPct).toBeNull();
    expect(computeFlrRatios({ flrMl: 0, tlvMeasuredMl: 0, stlvMl: 1500, weightKg: null, liverDensityGPerMl: 1 })).toEqual({ sflrPct: 0, flrToTlvMeasuredPct: null, flrToBodyWeightPct: null });
  });

  it('rejects impossible inputs', () => {
    expect(() => computeFlrRatios({ flrMl: 900, tlvMeasuredMl: 800, stlvMl: 1500, weightKg: 70, liverDensityGPerMl: 1 })).toThrow(/flrMl 900 exceeds tlvMeasuredMl 800/);
    expect(() => computeFlrRatios({ flrMl: 100, tlvMeasuredMl: 800, stlvMl: -5, weightKg: 70, liverDensityGPerMl: 1 })).toThrow(/stlvMl must be a positive number, got -5/);
  });
});

describe('decideVerdict', () => {
  const ratios = (sflrPct: number | null) => ({ sflrPct, flrToTlvMeasuredPct: 31, flrToBodyWeightPct: 0.45 });

  it('compares sFLR with 30 % (normal) or 40 % (chemotherapy) and explains why', () => {
    const v = decideVerdict(ratios(27.43), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false });
    expect(v.status).toBe('insufficient');
    expect(v.reason).toBe('sFLR 27.4% < 30% threshold (chemotherapy: no)');
    const chemo = decideVerdict(ratios(35), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: true });
    expect(chemo).toMatchObject({ status: 'insufficient', thresholdPct: 40, valuePct: 35 });
    expect(chemo.reason).toBe('sFLR 35.0% < 40% threshold (chemotherapy: yes)');
    expect(decideVerdict(ratios(30), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false }).status).toBe('sufficient');
    const justBelow = decideVerdict(ratios(29.996), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false });
    expect(justBelow.status).toBe('insufficient');
    expect(justBelow.reason).toBe('sFLR 29.996% < 30% threshold (chemotherapy: no)');
  });

  it('uses the protocol ratio and thresholds, records mebrofenin, and is not assessable without the ratio', () => {
    const bw = makeProtocol({ name: 'bw', verdictRatio: 'flr-to-body-weight', thresholdPct: { normalLiver: 0.5, chemotherapyDamagedLiver: 0.8 } });
    const v = decideVerdict(ratios(50), bw, { chemotherapy: false, mebrofeninPctPerMinPerM2: 2.1 });
    expect(v.status).toBe('insufficient');
    expect(v.reason).toBe(
      'FLR/body weight 0.45% < 0.5% threshold (chemotherapy: no); mebrofenin FLR function 2.10 %/min/m² does not exceed the 2.67 %/min/m² threshold (recorded beside the volumetric verdict, which is the DRAGON 2 endpoint)',
    );
    expect(v.mebrofenin).toEqual({ valuePctPerMinPerM2: 2.1, thresholdPctPerMinPerM2: 2.67, exceedsThreshold: false });
    const na = decideVerdict(ratios(null), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, notAssessableReason: 'no height/weight or BSA' });
    expect(na).toMatchObject({ status: 'not-assessable', valuePct: null, reason: 'sFLR cannot be computed: no height/weight or BSA' });
  });

  it('mebrofenin meets the function criterion only when it exceeds 2.67 (strictly), and its text never contradicts itself', () => {
    const at = decideVerdict(ratios(35), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, mebrofeninPctPerMinPerM2: 2.67 });
    expect(at.mebrofenin?.exceedsThreshold).toBe(false);
    expect(at.reason).toContain('mebrofenin FLR function 2.67 %/min/m² does not exceed the 2.67 %/min/m² threshold');
    const justBelow = decideVerdict(ratios(35), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, mebrofeninPctPerMinPerM2: 2.6699999 });
    expect(justBelow.reason).toContain('2.67 %/min/m² does not exceed'); // true as shown: 2.67 does not exceed 2.67
    const justAbove = decideVerdict(ratios(35), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, mebrofeninPctPerMinPerM2: 2.6700001 });
    expect(justAbove.mebrofenin?.exceedsThreshold).toBe(true);
    expect(justAbove.reason).toContain('2.68 %/min/m² exceeds the 2.67 %/min/m² threshold');
    // The volumetric status never depends on mebrofenin.
    expect(justAbove.status).toBe('sufficient');
    expect(decideVerdict(ratios(20), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, mebrofeninPctPerMinPerM2: 5 }).status).toBe('insufficient');
  });

  it('is not assessable when the chemotherapy status is not recorded, or when the caller says why', () => {
    const unknown = decideVerdict(ratios(35), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: null });
    expect(unknown).toMatchObject({ status: 'not-assessable', thresholdPct: null, chemotherapy: null, valuePct: null });
    expect(unknown.reason).toMatch(/^not assessable: chemotherapy status not recorded/);
    const qc = decideVerdict(ratios(35), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, notAssessableReason: 'QC error(s): flr-empty' });
    expect(qc).toMatchObject({ status: 'not-assessable', thresholdPct: 30, reason: 'not assessable: QC error(s): flr-empty' });
  });

  it('formats percentages without contradicting the comparison', () => {
    expect(formatPctAgainst(29.96, 30)).toBe('29.96');
    expect(formatPctAgainst(40.04, 40)).toBe('40.0');
    expect(formatPctAgainst(39.999999, 40)).toBe('39.999999');
  });
});

describe('protocols', () => {
  it('has the DRAGON2 defaults and validates overrides', () => {
    expect(DRAGON2_DEFAULT_PROTOCOL).toMatchObject({ name: 'DRAGON2-default', bsaFormula: 'mosteller', tlvFormula: 'vauthey', verdictRatio: 'sflr', thresholdPct: { normalLiver: 30, chemotherapyDamagedLiver: 40 } });
    expect(() => makeProtocol({ tlvFormula: 'x' as 'urata' })).toThrow(/unknown TLV formula "x"/);
    expect(() => makeProtocol({ verdictRatio: 'flr-to-body-weight' })).toThrow(/thresholdPct.normalLiver \(FLR\/body weight\) must be a positive number up to 5, got 30/);
    expect(() => makeProtocol({ thresholdPct: { normalLiver: -1 } })).toThrow(/thresholdPct.normalLiver/);
    expect(() => makeProtocol({ liverDensityGPerMl: 0 })).toThrow(/liverDensityGPerMl/);
    expect(protocolDifferences(DRAGON2_DEFAULT_PROTOCOL, makeProtocol({ name: 'site', bsaFormula: 'dubois' }))).toEqual(['name: DRAGON2-default vs site', 'bsaFormula: mosteller vs dubois']);
    expect(protocolDifferences(DRAGON2_DEFAULT_PROTOCOL, makeProtocol())).toEqual([]);
    expect(DRAGON2_DEFAULT_PROTOCOL.growthStlvBasis).toBe('baseline');
    expect(protocolDifferences(DRAGON2_DEFAULT_PROTOCOL, makeProtocol({ growthStlvBasis: 'per-timepoint' }))).toEqual(['growthStlvBasis: baseline vs per-timepoint']);
    expect(() => makeProtocol({ growthStlvBasis: 'mean' as 'baseline' })).toThrow(/growthStlvBasis must be one of baseline, per-timepoint/);
  });
});

describe('threshold-safe rounding', () => {
  it('rounds plainly unless that crosses the threshold, then toward the verdict side', () => {
    // The review's repro values: sFLR 29.996 % (insufficient at 30 %), KGR 1.9987 %/week (below the 2 %/week cut-off).
    expect(formatAgainstThreshold(29.996, 2, 30)).toBe('29.99');
    expect(formatAgainstThreshold(29.996, 1, 30)).toBe('29.9');
    expect(formatAgainstThreshold(29.95, 1, 30)).toBe('29.9');
    expect(formatAgainstThreshold(39.995, 2, 40)).toBe('39.99');
    expect(formatAgainstThreshold(1.9987, 2, 2)).toBe('1.99');
    // Plain rounding where it keeps the side.
    expect(formatAgainstThreshold(30, 2, 30)).toBe('30.00');
    expect(formatAgainstThreshold(30.004, 2, 30)).toBe('30.00');
    expect(formatAgainstThreshold(29.994, 2, 30)).toBe('29.99');
    expect(formatAgainstThreshold(32.25, 1, 30)).toBe('32.3');
    expect(formatAgainstThreshold(1.005, 2, 0.5)).toBe('1.01');
    // A threshold with more decimals than shown: the meeting side rounds up.
    expect(roundAgainstThreshold(2.6701, 2, 2.675)).toBe(2.67);
    expect(roundAgainstThreshold(2.6751, 2, 2.675)).toBe(2.68);
    // Strict criterion (mebrofenin "exceeds"): equality fails, just above meets.
    expect(formatAgainstThreshold(2.67, 2, 2.67, '>')).toBe('2.67');
    expect(formatAgainstThreshold(2.6700001, 2, 2.67, '>')).toBe('2.68');
    expect(formatAgainstThreshold(2.6699999, 2, 2.67, '>')).toBe('2.67'); // "2.67 does not exceed 2.67" holds as shown
    // Negative values (KGR can be negative) and no "-0".
    expect(formatAgainstThreshold(-0.001, 2, 2)).toBe('0.00');
    expect(formatAgainstThreshold(-1.996, 2, -2)).toBe('-2.00');
    expect(formatAgainstThreshold(-2.004, 2, -2)).toBe('-2.01');
  });

  it('never lets a re-derived verdict differ from the verdict of the unrounded value', () => {
    for (let n = 0; n < 2000; n++) {
      const threshold = [30, 40, 2, 2.67, 0.5][n % 5] as number;
      const value = threshold + (((n * 7919) % 2001) - 1000) / 100000;
      for (const d of [1, 2]) {
        for (const c of ['>=', '>'] as const) {
          const shown = roundAgainstThreshold(value, d, threshold, c);
          expect(c === '>' ? shown > threshold : shown >= threshold).toBe(c === '>' ? value > threshold : value >= threshold);
          expect(Math.abs(shown - value)).toBeLessThanOrEqual(10 ** -d + 1e-12);
        }
      }
    }
  });
});


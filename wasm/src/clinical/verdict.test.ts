import { describe, expect, it } from 'vitest';
import { DRAGON2_DEFAULT_PROTOCOL, makeProtocol, protocolDifferences } from './protocol.ts';
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
      'FLR/body weight 0.45% < 0.5% threshold (chemotherapy: no); mebrofenin FLR function 2.1 %/min/m² < 2.67 threshold (recorded; not part of the volumetric verdict)',
    );
    expect(v.mebrofenin).toEqual({ valuePctPerMinPerM2: 2.1, thresholdPctPerMinPerM2: 2.67, belowThreshold: true });
    const na = decideVerdict(ratios(null), DRAGON2_DEFAULT_PROTOCOL, { chemotherapy: false, notAssessableReason: 'no height/weight or BSA' });
    expect(na).toMatchObject({ status: 'not-assessable', valuePct: null, reason: 'sFLR cannot be computed: no height/weight or BSA' });
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
  });
});

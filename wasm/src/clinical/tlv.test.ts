import { describe, expect, it } from 'vitest';
import { bsaM2 } from './bsa.ts';
import { TLV_FORMULAS, standardisedTlvMl } from './tlv.ts';

describe('standardised TLV formulas', () => {
  it('gives the Vauthey sTLV 1590.5 mL for 170 cm / 75 kg with Mosteller BSA', () => {
    // -794.41 + 1267.28 * 1.88193 = 1590.5 mL
    expect(standardisedTlvMl('vauthey', bsaM2('mosteller', 170, 75))).toBeCloseTo(1590.5, 1);
  });

  it('evaluates the published regressions', () => {
    for (const bsa of [1.5, 1.8, 2.2]) {
      expect(standardisedTlvMl('vauthey', bsa)).toBeCloseTo(-794.41 + 1267.28 * bsa, 9);
      expect(standardisedTlvMl('urata', bsa)).toBeCloseTo(706.2 * bsa + 2.4, 9);
      expect(standardisedTlvMl('heinemann', bsa)).toBeCloseTo(1072.8 * bsa - 345.7, 9);
    }
    // Urata 1995: BSA 1.0 m^2 -> 708.6 mL
    expect(standardisedTlvMl('urata', 1)).toBeCloseTo(708.6, 9);
  });

  it('records constants and citations, and validates BSA and formula names', () => {
    expect(TLV_FORMULAS.vauthey.citation).toMatch(/Vauthey JN.*Liver Transpl\. 2002/);
    expect(TLV_FORMULAS.heinemann.constants).toEqual({ interceptMl: -345.7, slopeMlPerM2: 1072.8 });
    expect(() => standardisedTlvMl('vauthey', 0)).toThrow(/bsaM2 must be a positive number/);
    expect(() => standardisedTlvMl('vauthey', 18.8)).toThrow(/bsaM2 18.8 is implausible/);
    expect(() => standardisedTlvMl('nope' as 'urata', 1.8)).toThrow(/unknown TLV formula "nope"; known: vauthey, urata, heinemann/);
  });
});

import { describe, expect, it } from 'vitest';
import { BSA_FORMULAS, bsaM2, resolveBsa } from './bsa.ts';

describe('BSA formulas', () => {
  it('reproduces the literature values for 170 cm / 75 kg', () => {
    // Hand-checked: Mosteller sqrt(170*75/3600) = sqrt(3.5417) = 1.8819; DuBois 1.8636.
    expect(bsaM2('mosteller', 170, 75)).toBeCloseTo(1.8819, 4);
    expect(bsaM2('dubois', 170, 75)).toBeCloseTo(1.8636, 4);
    expect(bsaM2('haycock', 170, 75)).toBeCloseTo(1.8947, 4);
    expect(bsaM2('gehan-george', 170, 75)).toBeCloseTo(1.8975, 4);
    expect(bsaM2('boyd', 170, 75)).toBeCloseTo(1.9051, 4);
  });

  it('agrees with the log-linear form of each published formula across heights and weights', () => {
    // ln BSA = ln a + b ln W + c ln H (DuBois, Haycock, Gehan-George); Boyd with W in grams and exponent 0.7285 - 0.0188 log10 W.
    const published: Record<string, [number, number, number]> = {
      dubois: [0.007184, 0.425, 0.725],
      haycock: [0.024265, 0.5378, 0.3964],
      'gehan-george': [0.0235, 0.51456, 0.42246],
    };
    for (const [h, w] of [
      [150, 45],
      [165, 60],
      [182, 95],
      [200, 140],
      [120, 25],
    ] as const) {
      expect(bsaM2('mosteller', h, w)).toBeCloseTo(Math.exp(0.5 * (Math.log(h) + Math.log(w) - Math.log(3600))), 12);
      for (const [id, [a, b, c]] of Object.entries(published)) {
        expect(bsaM2(id as 'dubois', h, w)).toBeCloseTo(Math.exp(Math.log(a) + b * Math.log(w) + c * Math.log(h)), 12);
      }
      const g = w * 1000;
      expect(bsaM2('boyd', h, w)).toBeCloseTo(Math.exp(Math.log(0.0003207) + 0.3 * Math.log(h) + (0.7285 - 0.0188 * (Math.log(g) / Math.LN10)) * Math.log(g)), 12);
    }
  });

  it('carries name, version, constants and a citation for every formula', () => {
    for (const f of Object.values(BSA_FORMULAS)) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.version).toBe('1');
      expect(Object.keys(f.constants).length).toBeGreaterThan(0);
      expect(f.citation).toMatch(/\d{4}/);
    }
  });

  it('rejects non-positive or implausible inputs, naming the value', () => {
    expect(() => bsaM2('mosteller', 1.7, 75)).toThrow('heightCm 1.7 is implausible: expected 50..250 cm (metres given instead of centimetres?)');
    expect(() => bsaM2('mosteller', 0, 75)).toThrow(/heightCm must be a positive number of centimetres, got 0/);
    expect(() => bsaM2('mosteller', 170, 75000)).toThrow(/weightKg 75000 is implausible.*grams given/);
    expect(() => bsaM2('mosteller', 170, -3)).toThrow(/weightKg must be a positive number/);
    expect(() => bsaM2('mosteller', Number.NaN, 70)).toThrow(/heightCm/);
    expect(() => bsaM2('unknown' as 'boyd', 170, 70)).toThrow(/unknown BSA formula "unknown"; known: mosteller, dubois/);
  });
});

describe('resolveBsa', () => {
  it('uses the formula from height and weight, or an explicit BSA (keeping the formula value for comparison)', () => {
    const fromHW = resolveBsa({ heightCm: 170, weightKg: 75 }, 'dubois');
    expect(fromHW?.source).toBe('formula');
    expect(fromHW?.formula?.id).toBe('dubois');
    expect(fromHW?.valueM2).toBeCloseTo(1.8636, 4);
    const explicit = resolveBsa({ heightCm: 170, weightKg: 75, bsaM2: 1.9 });
    expect(explicit).toMatchObject({ valueM2: 1.9, source: 'explicit' });
    expect(explicit?.formulaValueM2).toBeCloseTo(1.8819, 4);
    expect(resolveBsa({ bsaM2: 2.1 })).toEqual({ valueM2: 2.1, source: 'explicit', formula: null });
    expect(resolveBsa({ heightCm: 170 })).toBeNull();
    expect(() => resolveBsa({ bsaM2: 4 })).toThrow('bsaM2 4 is implausible: expected 0.3..3.5 m²');
    expect(() => resolveBsa({ weightKg: 400 })).toThrow(/weightKg 400 is implausible/);
  });
});

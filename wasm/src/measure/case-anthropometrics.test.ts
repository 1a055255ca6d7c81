import { describe, expect, it } from 'vitest';
import { heightCmFromMetres, measurementAnthropometrics } from './case-anthropometrics.ts';

describe('case anthropometrics', () => {
  it('converts metres to centimetres without binary noise', () => {
    expect(1.13 * 100).not.toBe(113);
    expect(heightCmFromMetres(1.13)).toBe(113);
    expect(heightCmFromMetres(1.68)).toBe(168);
    expect(heightCmFromMetres(1.725)).toBe(172.5);
    expect(heightCmFromMetres(0.5)).toBe(50);
  });

  it('keeps missing values absent and an unrecorded chemotherapy status null (never "no")', () => {
    expect(measurementAnthropometrics({ heightM: 1.72, weightKg: 81, sex: 'M', chemotherapy: true })).toEqual({ heightCm: 172, weightKg: 81, sex: 'M', chemotherapy: true });
    expect(measurementAnthropometrics({ heightM: null, weightKg: null, sex: null, chemotherapy: null })).toEqual({ chemotherapy: null });
    expect(measurementAnthropometrics({ heightM: null, weightKg: null, sex: null, chemotherapy: false })).toEqual({ chemotherapy: false });
  });
});

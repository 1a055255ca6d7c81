/**
 * Case anthropometrics (workspace: height in metres, nullable fields) -> the measurement's Anthropometrics. One
 * function for the live volumetry panel and the signed report, so both compute BSA from the same numbers.
 */
import type { Anthropometrics } from './record.ts';

/** Height in cm from metres, rounded to 0.1 µm: 1.13 m -> 113 cm exactly (not 112.99999999999999). */
export function heightCmFromMetres(metres: number): number {
  return Math.round(metres * 1e6) / 1e4;
}

export interface CaseAnthropometricsValues {
  heightM: number | null;
  weightKg: number | null;
  sex?: 'F' | 'M' | 'O' | null;
  chemotherapy: boolean | null;
}

/** Missing values stay absent; chemotherapy not recorded counts as "no" (the normal-liver threshold), as in the panel. */
export function measurementAnthropometrics(a: CaseAnthropometricsValues): Anthropometrics {
  return {
    chemotherapy: a.chemotherapy ?? false,
    ...(a.heightM !== null && { heightCm: heightCmFromMetres(a.heightM) }),
    ...(a.weightKg !== null && { weightKg: a.weightKg }),
    ...(a.sex !== undefined && a.sex !== null && { sex: a.sex }),
  };
}

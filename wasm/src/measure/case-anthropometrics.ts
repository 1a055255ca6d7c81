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

/**
 * Missing values stay absent; a chemotherapy status that is not recorded stays null: the measurement's verdict is then
 * not assessable and the app refuses to sign (it never becomes "no").
 */
export function measurementAnthropometrics(a: CaseAnthropometricsValues): Anthropometrics {
  return {
    chemotherapy: a.chemotherapy ?? null,
    ...(a.heightM !== null && { heightCm: heightCmFromMetres(a.heightM) }),
    ...(a.weightKg !== null && { weightKg: a.weightKg }),
    ...(a.sex !== undefined && a.sex !== null && { sex: a.sex }),
  };
}

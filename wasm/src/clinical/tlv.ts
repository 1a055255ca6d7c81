import { checkBsaM2 } from './bsa.ts';

/**
 * Standardised total liver volume (sTLV, mL) from BSA (m²): sTLV = interceptMl + slopeMlPerM2 * BSA.
 * Each formula is a named, versioned, citable object carrying its constants. Default: Vauthey.
 */
export type TlvFormulaId = 'vauthey' | 'urata' | 'heinemann';

export interface TlvFormula {
  id: TlvFormulaId;
  name: string;
  version: string;
  expression: string;
  constants: { interceptMl: number; slopeMlPerM2: number };
  /** Population the regression was derived from. */
  population: string;
  citation: string;
}

export const TLV_FORMULAS: Readonly<Record<TlvFormulaId, TlvFormula>> = {
  vauthey: {
    id: 'vauthey',
    name: 'Vauthey',
    version: '1',
    expression: 'sTLV (mL) = -794.41 + 1267.28 * BSA (m²)',
    constants: { interceptMl: -794.41, slopeMlPerM2: 1267.28 },
    population: 'Western adults (meta-analysis)',
    citation: 'Vauthey JN, Abdalla EK, Doherty DA, et al. Body surface area and body weight predict total liver volume in Western adults. Liver Transpl. 2002;8(3):233-240.',
  },
  urata: {
    id: 'urata',
    name: 'Urata',
    version: '1',
    expression: 'sTLV (mL) = 706.2 * BSA (m²) + 2.4',
    constants: { interceptMl: 2.4, slopeMlPerM2: 706.2 },
    population: 'Japanese children and adults',
    citation: 'Urata K, Kawasaki S, Matsunami H, et al. Calculation of child and adult standard liver volume for liver transplantation. Hepatology. 1995;21(5):1317-1321.',
  },
  heinemann: {
    id: 'heinemann',
    name: 'Heinemann',
    version: '1',
    expression: 'sTLV (mL) = 1072.8 * BSA (m²) - 345.7',
    constants: { interceptMl: -345.7, slopeMlPerM2: 1072.8 },
    population: 'Caucasian adults (autopsy)',
    citation: 'Heinemann A, Wischhusen F, Püschel K, Rogiers X. Standard liver volume in the Caucasian population. Liver Transpl Surg. 1999;5(5):366-368.',
  },
};

export const DEFAULT_TLV_FORMULA: TlvFormulaId = 'vauthey';

export function tlvFormula(id: string): TlvFormula {
  const f = (TLV_FORMULAS as Record<string, TlvFormula | undefined>)[id];
  if (!f) throw new Error(`unknown TLV formula "${id}"; known: ${Object.keys(TLV_FORMULAS).join(', ')}`);
  return f;
}

/** sTLV in mL for a BSA in m² by the named formula. */
export function standardisedTlvMl(formulaId: TlvFormulaId, bsaM2: number): number {
  checkBsaM2(bsaM2);
  const { interceptMl, slopeMlPerM2 } = tlvFormula(formulaId).constants;
  return interceptMl + slopeMlPerM2 * bsaM2;
}

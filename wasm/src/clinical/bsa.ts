/**
 * Body surface area (m²) from height (cm) and weight (kg). Each formula is a named, versioned, citable object
 * carrying its constants; compute with bsaM2(). Default: Mosteller.
 */
export type BsaFormulaId = 'mosteller' | 'dubois' | 'haycock' | 'gehan-george' | 'boyd';

export interface BsaFormula {
  id: BsaFormulaId;
  name: string;
  /** Version of this implementation of the formula (bump if constants or form ever change). */
  version: string;
  /** The formula in words, with the units it expects. */
  expression: string;
  constants: Record<string, number>;
  citation: string;
}

export const BSA_FORMULAS: Readonly<Record<BsaFormulaId, BsaFormula>> = {
  mosteller: {
    id: 'mosteller',
    name: 'Mosteller',
    version: '1',
    expression: 'BSA = sqrt(heightCm * weightKg / divisor)',
    constants: { divisor: 3600 },
    citation: 'Mosteller RD. Simplified calculation of body-surface area. N Engl J Med. 1987;317(17):1098.',
  },
  dubois: {
    id: 'dubois',
    name: 'DuBois',
    version: '1',
    expression: 'BSA = a * weightKg^weightExponent * heightCm^heightExponent',
    constants: { a: 0.007184, weightExponent: 0.425, heightExponent: 0.725 },
    citation: 'Du Bois D, Du Bois EF. A formula to estimate the approximate surface area if height and weight be known. Arch Intern Med. 1916;17:863-871.',
  },
  haycock: {
    id: 'haycock',
    name: 'Haycock',
    version: '1',
    expression: 'BSA = a * weightKg^weightExponent * heightCm^heightExponent',
    constants: { a: 0.024265, weightExponent: 0.5378, heightExponent: 0.3964 },
    citation:
      'Haycock GB, Schwartz GJ, Wisotsky DH. Geometric method for measuring body surface area: a height-weight formula validated in infants, children, and adults. J Pediatr. 1978;93(1):62-66.',
  },
  'gehan-george': {
    id: 'gehan-george',
    name: 'Gehan-George',
    version: '1',
    expression: 'BSA = a * weightKg^weightExponent * heightCm^heightExponent',
    constants: { a: 0.0235, weightExponent: 0.51456, heightExponent: 0.42246 },
    citation: 'Gehan EA, George SL. Estimation of human body surface area from height and weight. Cancer Chemother Rep. 1970;54(4):225-235.',
  },
  boyd: {
    id: 'boyd',
    name: 'Boyd',
    version: '1',
    expression: 'BSA = a * heightCm^heightExponent * weightG^(weightExponentBase - weightExponentLogSlope * log10(weightG)), weightG = 1000 * weightKg',
    constants: { a: 0.0003207, heightExponent: 0.3, weightExponentBase: 0.7285, weightExponentLogSlope: 0.0188 },
    citation: 'Boyd E. The Growth of the Surface Area of the Human Body. Minneapolis: University of Minnesota Press; 1935.',
  },
};

export const DEFAULT_BSA_FORMULA: BsaFormulaId = 'mosteller';

/** Plausibility ranges (adults and older children); values outside are rejected as likely unit or typing errors. */
export const PLAUSIBLE_HEIGHT_CM = { min: 50, max: 250 } as const;
export const PLAUSIBLE_WEIGHT_KG = { min: 10, max: 350 } as const;
export const PLAUSIBLE_BSA_M2 = { min: 0.3, max: 3.5 } as const;

export function bsaFormula(id: string): BsaFormula {
  const f = (BSA_FORMULAS as Record<string, BsaFormula | undefined>)[id];
  if (!f) throw new Error(`unknown BSA formula "${id}"; known: ${Object.keys(BSA_FORMULAS).join(', ')}`);
  return f;
}

export function checkHeightCm(heightCm: number): void {
  if (typeof heightCm !== 'number' || !Number.isFinite(heightCm) || heightCm <= 0) throw new Error(`heightCm must be a positive number of centimetres, got ${String(heightCm)}`);
  if (heightCm < PLAUSIBLE_HEIGHT_CM.min || heightCm > PLAUSIBLE_HEIGHT_CM.max) {
    const hint = heightCm < 3 ? ' (metres given instead of centimetres?)' : '';
    throw new Error(`heightCm ${heightCm} is implausible: expected ${PLAUSIBLE_HEIGHT_CM.min}..${PLAUSIBLE_HEIGHT_CM.max} cm${hint}`);
  }
}

export function checkWeightKg(weightKg: number): void {
  if (typeof weightKg !== 'number' || !Number.isFinite(weightKg) || weightKg <= 0) throw new Error(`weightKg must be a positive number of kilograms, got ${String(weightKg)}`);
  if (weightKg < PLAUSIBLE_WEIGHT_KG.min || weightKg > PLAUSIBLE_WEIGHT_KG.max) {
    const hint = weightKg > 1000 ? ' (grams given instead of kilograms?)' : '';
    throw new Error(`weightKg ${weightKg} is implausible: expected ${PLAUSIBLE_WEIGHT_KG.min}..${PLAUSIBLE_WEIGHT_KG.max} kg${hint}`);
  }
}

export function checkBsaM2(bsaM2: number): void {
  if (typeof bsaM2 !== 'number' || !Number.isFinite(bsaM2) || bsaM2 <= 0) throw new Error(`bsaM2 must be a positive number of square metres, got ${String(bsaM2)}`);
  if (bsaM2 < PLAUSIBLE_BSA_M2.min || bsaM2 > PLAUSIBLE_BSA_M2.max) {
    throw new Error(`bsaM2 ${bsaM2} is implausible: expected ${PLAUSIBLE_BSA_M2.min}..${PLAUSIBLE_BSA_M2.max} m²`);
  }
}

/** BSA in m² by the named formula; height and weight are validated first. */
export function bsaM2(formulaId: BsaFormulaId, heightCm: number, weightKg: number): number {
  checkHeightCm(heightCm);
  checkWeightKg(weightKg);
  const f = bsaFormula(formulaId);
  const c = f.constants as Record<string, number>;
  switch (f.id) {
    case 'mosteller':
      return Math.sqrt((heightCm * weightKg) / (c.divisor as number));
    case 'dubois':
    case 'haycock':
    case 'gehan-george':
      return (c.a as number) * weightKg ** (c.weightExponent as number) * heightCm ** (c.heightExponent as number);
    case 'boyd': {
      const weightG = 1000 * weightKg;
      const exponent = (c.weightExponentBase as number) - (c.weightExponentLogSlope as number) * Math.log10(weightG);
      return (c.a as number) * heightCm ** (c.heightExponent as number) * weightG ** exponent;
    }
  }
}

export interface BsaResult {
  valueM2: number;
  /** 'formula': from height and weight; 'explicit': the caller's BSA was used. */
  source: 'formula' | 'explicit';
  /** The formula used ('formula'), or the protocol's formula evaluated for comparison ('explicit' with height/weight). */
  formula: BsaFormula | null;
  /** With an explicit BSA and height + weight also known: the formula's value, for comparison. */
  formulaValueM2?: number;
}

/**
 * The BSA for a measurement: an explicit bsaM2 when given (validated 0.3..3.5 m²), else the formula from height and
 * weight; null when neither is available.
 */
export function resolveBsa(input: { heightCm?: number; weightKg?: number; bsaM2?: number }, formulaId: BsaFormulaId = DEFAULT_BSA_FORMULA): BsaResult | null {
  const formula = bsaFormula(formulaId);
  const hasHW = input.heightCm !== undefined && input.weightKg !== undefined;
  if (input.bsaM2 !== undefined) {
    checkBsaM2(input.bsaM2);
    const result: BsaResult = { valueM2: input.bsaM2, source: 'explicit', formula: null };
    if (hasHW) {
      result.formula = formula;
      result.formulaValueM2 = bsaM2(formulaId, input.heightCm as number, input.weightKg as number);
    }
    return result;
  }
  if (input.heightCm !== undefined) checkHeightCm(input.heightCm);
  if (input.weightKg !== undefined) checkWeightKg(input.weightKg);
  if (!hasHW) return null;
  return { valueM2: bsaM2(formulaId, input.heightCm as number, input.weightKg as number), source: 'formula', formula };
}

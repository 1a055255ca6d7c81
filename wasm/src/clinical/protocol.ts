import { bsaFormula } from './bsa.ts';
import type { BsaFormulaId } from './bsa.ts';
import { tlvFormula } from './tlv.ts';
import type { TlvFormulaId } from './tlv.ts';

/** Which ratio the sufficiency verdict is based on. */
export type VerdictRatio = 'sflr' | 'flr-to-tlv-measured' | 'flr-to-body-weight';

export const VERDICT_RATIOS: readonly VerdictRatio[] = ['sflr', 'flr-to-tlv-measured', 'flr-to-body-weight'];

/**
 * Which sTLV the follow-up sFLR of DH/KGR uses: 'baseline' (the follow-up FLR over the baseline sTLV, so a weight
 * change between the scans does not show up as hypertrophy) or 'per-timepoint' (each sFLR over its own sTLV).
 */
export type GrowthStlvBasis = 'baseline' | 'per-timepoint';

export const GROWTH_STLV_BASES: readonly GrowthStlvBasis[] = ['baseline', 'per-timepoint'];

/** Human names of the ratios, as used in verdict reasons and text output. */
export const RATIO_LABELS: Readonly<Record<VerdictRatio, string>> = {
  sflr: 'sFLR',
  'flr-to-tlv-measured': 'FLR/TLV measured',
  'flr-to-body-weight': 'FLR/body weight',
};

/**
 * Protocol settings of a volumetry measurement; recorded in full in every MeasurementRecord.
 * Thresholds are in percent of the verdict ratio: e.g. sFLR 30 % (normal liver) / 40 % (chemotherapy-damaged liver).
 */
export interface VolumetryProtocol {
  name: string;
  version: string;
  bsaFormula: BsaFormulaId;
  tlvFormula: TlvFormulaId;
  verdictRatio: VerdictRatio;
  thresholdPct: {
    /** Minimum ratio (%) for a normal liver. */
    normalLiver: number;
    /** Minimum ratio (%) when the liver is flagged as chemotherapy-damaged. */
    chemotherapyDamagedLiver: number;
  };
  /**
   * Liver density (g/mL) converting FLR volume to mass for the FLR-to-body-weight ratio:
   * FLR/BW % = FLR mL * density / (weightKg * 1000 g) * 100. The literature ratio takes 1 mL ≈ 1 g.
   */
  liverDensityGPerMl: number;
  /** Kinetic growth rate cut-off (%/week); growth below it is flagged (about 2 %/week in the literature). */
  kgrCutoffPctPerWeek: number;
  /**
   * FLR function threshold for 99mTc-mebrofenin hepatobiliary scintigraphy (%/min/m²): the function criterion is met
   * when the value strictly exceeds it. Recorded beside the volumetric verdict.
   */
  mebrofeninThresholdPctPerMinPerM2: number;
  /** sTLV basis of DH and KGR (see GrowthStlvBasis); the growth record also reports the other basis. */
  growthStlvBasis: GrowthStlvBasis;
}

/**
 * DRAGON 2 default: Mosteller BSA, Vauthey sTLV, verdict on sFLR with 30 % (40 % if chemotherapy-damaged),
 * density 1 g/mL, KGR cut-off 2 %/week (Shindoh et al., J Am Coll Surg 2013), mebrofenin FLR function criterion
 * "exceeds 2.67 %/min/m²" as the DRAGON 2 protocol states it (de Graaf et al., J Gastrointest Surg 2010, reported
 * 2.69), DH/KGR on the baseline sTLV.
 * Version 2: strict mebrofenin criterion (> instead of >=) and the growthStlvBasis setting (version 1 computed DH on
 * each timepoint's own sTLV).
 */
export const DRAGON2_DEFAULT_PROTOCOL: Readonly<VolumetryProtocol> = Object.freeze({
  name: 'DRAGON2-default',
  version: '2',
  bsaFormula: 'mosteller',
  tlvFormula: 'vauthey',
  verdictRatio: 'sflr',
  thresholdPct: Object.freeze({ normalLiver: 30, chemotherapyDamagedLiver: 40 }),
  liverDensityGPerMl: 1,
  kgrCutoffPctPerWeek: 2,
  mebrofeninThresholdPctPerMinPerM2: 2.67,
  growthStlvBasis: 'baseline',
}) as Readonly<VolumetryProtocol>;

/** A protocol from the default with some settings replaced; validated. Give it a new name when you change settings. */
export function makeProtocol(overrides: Partial<Omit<VolumetryProtocol, 'thresholdPct'>> & { thresholdPct?: Partial<VolumetryProtocol['thresholdPct']> } = {}): VolumetryProtocol {
  const base = DRAGON2_DEFAULT_PROTOCOL;
  const protocol: VolumetryProtocol = {
    ...base,
    ...overrides,
    thresholdPct: { ...base.thresholdPct, ...overrides.thresholdPct },
  };
  validateProtocol(protocol);
  return protocol;
}

function positiveFinite(name: string, v: unknown, max = Infinity): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw new Error(`protocol ${name} must be a positive number${max < Infinity ? ` up to ${max}` : ''}, got ${String(v)}`);
  }
}

/** Throws a clear error naming the first invalid setting. */
export function validateProtocol(p: VolumetryProtocol): void {
  if (typeof p.name !== 'string' || p.name.trim() === '') throw new Error('protocol name must be a non-empty string');
  if (typeof p.version !== 'string' || p.version.trim() === '') throw new Error(`protocol "${p.name}": version must be a non-empty string`);
  bsaFormula(p.bsaFormula);
  tlvFormula(p.tlvFormula);
  if (!VERDICT_RATIOS.includes(p.verdictRatio)) throw new Error(`protocol verdictRatio must be one of ${VERDICT_RATIOS.join(', ')}, got "${String(p.verdictRatio)}"`);
  // FLR/body weight is around 0.5-1 %; the volume ratios are tens of percent.
  const maxThreshold = p.verdictRatio === 'flr-to-body-weight' ? 5 : 100;
  positiveFinite(`thresholdPct.normalLiver (${RATIO_LABELS[p.verdictRatio]})`, p.thresholdPct?.normalLiver, maxThreshold);
  positiveFinite(`thresholdPct.chemotherapyDamagedLiver (${RATIO_LABELS[p.verdictRatio]})`, p.thresholdPct?.chemotherapyDamagedLiver, maxThreshold);
  positiveFinite('liverDensityGPerMl', p.liverDensityGPerMl, 2);
  positiveFinite('kgrCutoffPctPerWeek', p.kgrCutoffPctPerWeek, 100);
  positiveFinite('mebrofeninThresholdPctPerMinPerM2', p.mebrofeninThresholdPctPerMinPerM2, 100);
  if (!GROWTH_STLV_BASES.includes(p.growthStlvBasis)) throw new Error(`protocol growthStlvBasis must be one of ${GROWTH_STLV_BASES.join(', ')}, got "${String(p.growthStlvBasis)}"`);
}

/** Settings that differ between two protocols, as "setting: a vs b" strings (empty when equivalent). */
export function protocolDifferences(a: VolumetryProtocol, b: VolumetryProtocol): string[] {
  const flat = (p: VolumetryProtocol): Record<string, unknown> => ({
    name: p.name,
    version: p.version,
    bsaFormula: p.bsaFormula,
    tlvFormula: p.tlvFormula,
    verdictRatio: p.verdictRatio,
    'thresholdPct.normalLiver': p.thresholdPct.normalLiver,
    'thresholdPct.chemotherapyDamagedLiver': p.thresholdPct.chemotherapyDamagedLiver,
    liverDensityGPerMl: p.liverDensityGPerMl,
    kgrCutoffPctPerWeek: p.kgrCutoffPctPerWeek,
    mebrofeninThresholdPctPerMinPerM2: p.mebrofeninThresholdPctPerMinPerM2,
    // Protocols recorded before the setting existed (version 1) computed DH on each timepoint's own sTLV.
    growthStlvBasis: p.growthStlvBasis ?? 'per-timepoint',
  });
  const fa = flat(a);
  const fb = flat(b);
  return Object.keys(fa)
    .filter((k) => fa[k] !== fb[k])
    .map((k) => `${k}: ${String(fa[k])} vs ${String(fb[k])}`);
}

import { RATIO_LABELS } from './protocol.ts';
import type { VerdictRatio, VolumetryProtocol } from './protocol.ts';
import { formatAgainstThreshold } from './threshold-rounding.ts';

/** FLR ratios in percent; null when an input is missing (no sTLV, no weight, empty TLV). */
export interface FlrRatios {
  /** FLR / sTLV x 100. */
  sflrPct: number | null;
  /** FLR / TLV measured x 100 (TLV measured = liver minus tumours). */
  flrToTlvMeasuredPct: number | null;
  /** FLR mass (FLR mL x liverDensityGPerMl) / body weight (g) x 100. */
  flrToBodyWeightPct: number | null;
}

export function computeFlrRatios(input: { flrMl: number; tlvMeasuredMl: number; stlvMl: number | null; weightKg: number | null; liverDensityGPerMl: number }): FlrRatios {
  const { flrMl, tlvMeasuredMl, stlvMl, weightKg, liverDensityGPerMl } = input;
  if (!Number.isFinite(flrMl) || flrMl < 0) throw new Error(`flrMl must be a non-negative number, got ${flrMl}`);
  if (!Number.isFinite(tlvMeasuredMl) || tlvMeasuredMl < 0) throw new Error(`tlvMeasuredMl must be a non-negative number, got ${tlvMeasuredMl}`);
  if (flrMl > tlvMeasuredMl * (1 + 1e-12)) throw new Error(`flrMl ${flrMl} exceeds tlvMeasuredMl ${tlvMeasuredMl}: the FLR is part of the tumour-free liver`);
  if (stlvMl !== null && (!Number.isFinite(stlvMl) || stlvMl <= 0)) throw new Error(`stlvMl must be a positive number, got ${stlvMl}`);
  if (weightKg !== null && (!Number.isFinite(weightKg) || weightKg <= 0)) throw new Error(`weightKg must be a positive number, got ${weightKg}`);
  if (!Number.isFinite(liverDensityGPerMl) || liverDensityGPerMl <= 0) throw new Error(`liverDensityGPerMl must be positive, got ${liverDensityGPerMl}`);
  return {
    sflrPct: stlvMl === null ? null : (flrMl / stlvMl) * 100,
    flrToTlvMeasuredPct: tlvMeasuredMl > 0 ? (flrMl / tlvMeasuredMl) * 100 : null,
    flrToBodyWeightPct: weightKg === null ? null : ((flrMl * liverDensityGPerMl) / (weightKg * 1000)) * 100,
  };
}

export function ratioValue(ratios: FlrRatios, ratio: VerdictRatio): number | null {
  switch (ratio) {
    case 'sflr':
      return ratios.sflrPct;
    case 'flr-to-tlv-measured':
      return ratios.flrToTlvMeasuredPct;
    case 'flr-to-body-weight':
      return ratios.flrToBodyWeightPct;
  }
}

export interface MebrofeninAssessment {
  valuePctPerMinPerM2: number;
  thresholdPctPerMinPerM2: number;
  /** The function criterion: value strictly greater than the threshold (the trial's "exceeds 2.67 %/min/m²"). */
  exceedsThreshold: boolean;
}

export interface Verdict {
  /** The volumetric verdict: the DRAGON 2 endpoint. */
  status: 'sufficient' | 'insufficient' | 'not-assessable';
  ratio: VerdictRatio;
  /** Value of the verdict ratio (%), unrounded; null when not assessable. */
  valuePct: number | null;
  /**
   * Applicable threshold (%): protocol normal-liver or chemotherapy-damaged-liver threshold; null when the chemotherapy
   * status is not recorded (the applicable threshold is then unknown and the verdict is not assessable).
   */
  thresholdPct: number | null;
  /** Chemotherapy-damaged liver; null when not recorded. */
  chemotherapy: boolean | null;
  /** Recorded mebrofenin FLR function, if given; recorded beside the volumetric verdict, it does not change its status. */
  mebrofenin: MebrofeninAssessment | null;
  reason: string;
}

/** Verdict reason when the chemotherapy status is missing (docs/measurement-json.md). */
export const CHEMOTHERAPY_NOT_RECORDED = 'chemotherapy status not recorded';

/**
 * Percent text with the fewest decimals (1..4) whose rounding does not contradict the comparison with the threshold,
 * so that a value just below 30 never reads "30.0% < 30%".
 */
export function formatPctAgainst(value: number, threshold: number): string {
  for (let d = 1; d <= 4; d++) {
    const shown = Number(value.toFixed(d));
    if (value < threshold ? shown < threshold : shown >= threshold) return value.toFixed(d);
  }
  return String(value);
}

function fmtNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/**
 * The mebrofenin FLR function against its threshold: meets the function criterion only when strictly greater (the
 * trial's "exceeds 2.67 %/min/m²"), shown with 2 threshold-safe decimals.
 */
export function assessMebrofenin(value: number, thresholdPctPerMinPerM2: number): { assessment: MebrofeninAssessment; text: string } {
  if (!Number.isFinite(value) || value < 0) throw new Error(`mebrofenin FLR function must be a non-negative number of %/min/m², got ${value}`);
  const t = thresholdPctPerMinPerM2;
  const exceeds = value > t;
  const text = `mebrofenin FLR function ${formatAgainstThreshold(value, 2, t, '>')} %/min/m² ${exceeds ? 'exceeds' : 'does not exceed'} the ${fmtNumber(t)} %/min/m² threshold`;
  return { assessment: { valuePctPerMinPerM2: value, thresholdPctPerMinPerM2: t, exceedsThreshold: exceeds }, text };
}

/**
 * The volumetric verdict (the DRAGON 2 endpoint). Sufficient when the protocol's verdict ratio >= the applicable
 * threshold (40 % style threshold when the liver is flagged chemotherapy-damaged, else the normal one).
 * Not assessable when the ratio cannot be computed, when the chemotherapy status is not recorded (null: the applicable
 * threshold is unknown), or when the caller gives a notAssessableReason (e.g. error-severity QC findings).
 * A mebrofenin result is recorded beside the verdict and never changes its status.
 */
export function decideVerdict(
  ratios: FlrRatios,
  protocol: VolumetryProtocol,
  clinical: { chemotherapy: boolean | null; mebrofeninPctPerMinPerM2?: number; notAssessableReason?: string },
): Verdict {
  if (typeof clinical.chemotherapy !== 'boolean' && clinical.chemotherapy !== null) throw new Error(`chemotherapy must be true, false or null (not recorded), got ${String(clinical.chemotherapy)}`);
  const ratio = protocol.verdictRatio;
  const label = RATIO_LABELS[ratio];
  const chemotherapy = clinical.chemotherapy;
  const thresholdPct = chemotherapy === null ? null : chemotherapy ? protocol.thresholdPct.chemotherapyDamagedLiver : protocol.thresholdPct.normalLiver;
  const chemoText = `chemotherapy: ${chemotherapy === null ? 'not recorded' : chemotherapy ? 'yes' : 'no'}`;
  let mebrofenin: MebrofeninAssessment | null = null;
  let mebrofeninText = '';
  if (clinical.mebrofeninPctPerMinPerM2 !== undefined) {
    const m = assessMebrofenin(clinical.mebrofeninPctPerMinPerM2, protocol.mebrofeninThresholdPctPerMinPerM2);
    mebrofenin = m.assessment;
    mebrofeninText = `; ${m.text} (recorded beside the volumetric verdict, which is the DRAGON 2 endpoint)`;
  }
  const valuePct = ratioValue(ratios, ratio);
  const notAssessable = (why: string): Verdict => ({ status: 'not-assessable', ratio, valuePct: null, thresholdPct, chemotherapy, mebrofenin, reason: `${why}${mebrofeninText}` });
  if (valuePct === null) return notAssessable(`${label} cannot be computed: ${clinical.notAssessableReason ?? 'an input of the ratio is missing'}`);
  if (clinical.notAssessableReason !== undefined) return notAssessable(`not assessable: ${clinical.notAssessableReason}`);
  if (thresholdPct === null) return notAssessable(`not assessable: ${CHEMOTHERAPY_NOT_RECORDED}`);
  const sufficient = valuePct >= thresholdPct;
  const reason = `${label} ${formatPctAgainst(valuePct, thresholdPct)}% ${sufficient ? '>=' : '<'} ${fmtNumber(thresholdPct)}% threshold (${chemoText})${mebrofeninText}`;
  return { status: sufficient ? 'sufficient' : 'insufficient', ratio, valuePct, thresholdPct, chemotherapy, mebrofenin, reason };
}

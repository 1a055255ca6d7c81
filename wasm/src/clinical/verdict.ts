import { RATIO_LABELS } from './protocol.ts';
import type { VerdictRatio, VolumetryProtocol } from './protocol.ts';

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
  belowThreshold: boolean;
}

export interface Verdict {
  status: 'sufficient' | 'insufficient' | 'not-assessable';
  ratio: VerdictRatio;
  /** Value of the verdict ratio (%), unrounded; null when not assessable. */
  valuePct: number | null;
  /** Applicable threshold (%): protocol normal-liver or chemotherapy-damaged-liver threshold. */
  thresholdPct: number;
  chemotherapy: boolean;
  /** Recorded mebrofenin FLR function, if given; informative, it does not change the volumetric status. */
  mebrofenin: MebrofeninAssessment | null;
  reason: string;
}

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
 * Sufficient when the protocol's verdict ratio >= the applicable threshold (40 % style threshold when the liver is
 * flagged chemotherapy-damaged, else the normal one). Not assessable when the ratio cannot be computed.
 */
export function decideVerdict(ratios: FlrRatios, protocol: VolumetryProtocol, clinical: { chemotherapy: boolean; mebrofeninPctPerMinPerM2?: number; notAssessableReason?: string }): Verdict {
  if (typeof clinical.chemotherapy !== 'boolean') throw new Error(`chemotherapy must be true or false, got ${String(clinical.chemotherapy)}`);
  const ratio = protocol.verdictRatio;
  const label = RATIO_LABELS[ratio];
  const thresholdPct = clinical.chemotherapy ? protocol.thresholdPct.chemotherapyDamagedLiver : protocol.thresholdPct.normalLiver;
  const chemoText = `chemotherapy: ${clinical.chemotherapy ? 'yes' : 'no'}`;
  let mebrofenin: MebrofeninAssessment | null = null;
  let mebrofeninText = '';
  if (clinical.mebrofeninPctPerMinPerM2 !== undefined) {
    const v = clinical.mebrofeninPctPerMinPerM2;
    if (!Number.isFinite(v) || v < 0) throw new Error(`mebrofenin FLR function must be a non-negative number of %/min/m², got ${v}`);
    const t = protocol.mebrofeninThresholdPctPerMinPerM2;
    mebrofenin = { valuePctPerMinPerM2: v, thresholdPctPerMinPerM2: t, belowThreshold: v < t };
    mebrofeninText = `; mebrofenin FLR function ${fmtNumber(v)} %/min/m² ${v < t ? '<' : '>='} ${fmtNumber(t)} threshold (recorded; not part of the volumetric verdict)`;
  }
  const valuePct = ratioValue(ratios, ratio);
  if (valuePct === null) {
    const why = clinical.notAssessableReason ?? 'an input of the ratio is missing';
    return { status: 'not-assessable', ratio, valuePct: null, thresholdPct, chemotherapy: clinical.chemotherapy, mebrofenin, reason: `${label} cannot be computed: ${why}${mebrofeninText}` };
  }
  const sufficient = valuePct >= thresholdPct;
  const reason = `${label} ${formatPctAgainst(valuePct, thresholdPct)}% ${sufficient ? '>=' : '<'} ${fmtNumber(thresholdPct)}% threshold (${chemoText})${mebrofeninText}`;
  return { status: sufficient ? 'sufficient' : 'insufficient', ratio, valuePct, thresholdPct, chemotherapy: clinical.chemotherapy, mebrofenin, reason };
}

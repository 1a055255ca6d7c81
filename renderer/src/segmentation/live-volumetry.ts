/**
 * The live volumetry panel, computed from the engine's incremental label statistics (session.panel(): exact counts
 * after every edit, O(voxels changed)) with THE core functions buildMeasurementRecord uses: computeRoleStats, resolveBsa,
 * standardisedTlvMl, computeFlrRatios, decideVerdict, under the same protocol. Numbers only (it lives in the store).
 */
import { BSA_FORMULAS, resolveBsa } from '../../../wasm/src/clinical/bsa.ts';
import { DRAGON2_DEFAULT_PROTOCOL, RATIO_LABELS } from '../../../wasm/src/clinical/protocol.ts';
import type { VolumetryProtocol } from '../../../wasm/src/clinical/protocol.ts';
import { TLV_FORMULAS, standardisedTlvMl } from '../../../wasm/src/clinical/tlv.ts';
import { computeFlrRatios, decideVerdict } from '../../../wasm/src/clinical/verdict.ts';
import type { Verdict } from '../../../wasm/src/clinical/verdict.ts';
import { heightCmFromMetres } from '../../../wasm/src/measure/case-anthropometrics.ts';
import { fixedAgainst } from '../../../wasm/src/measure/format.ts';
import type { LabelStats } from '../../../wasm/src/stats/label-stats.ts';
import { computeRoleStats } from '../../../wasm/src/stats/role-stats.ts';
import type { RegionStat } from '../../../wasm/src/stats/role-stats.ts';

export interface PanelAnthropometrics {
  heightM: number | null;
  weightKg: number | null;
  chemotherapy: boolean | null;
}

export interface PanelRow {
  /** Segment key ('liver', 'tumour:t', 'flr') or a derived quantity ('tlv-measured'). */
  key: string;
  voxelCount: number;
  volumeMl: number;
  touchesFovEdge: boolean;
  fovEdgeFaces: string[];
}

export interface LiveVolumetry {
  voxelVolumeMm3: number;
  /** Liver (whole: parenchyma + FLR + tumours), each tumour, FLR, TLV measured. */
  rows: PanelRow[];
  liverMl: number;
  tumoursMl: number;
  tlvMeasuredMl: number;
  flrMl: number;
  bsaM2: number | null;
  stlvMl: number | null;
  sflrPct: number | null;
  flrToTlvMeasuredPct: number | null;
  flrToBodyWeightPct: number | null;
  verdict: Pick<Verdict, 'status' | 'ratio' | 'valuePct' | 'thresholdPct' | 'reason'>;
  /** Ratio texts at the panel precision, threshold-safe for the verdict ratio (core fixedAgainst, as in the PDF). */
  text: { sflr: string; flrToTlvMeasured: string; flrToBodyWeight: string };
  thresholds: { normalLiverPct: number; chemotherapyDamagedLiverPct: number; verdictRatio: string };
  /** The formulas used, in words (BSA, sTLV, ratios). */
  formulas: string[];
  /** Warnings: a segment touching the edge of the field of view, missing anthropometrics. */
  flags: string[];
}

function row(key: string, r: RegionStat): PanelRow {
  return { key, voxelCount: r.voxelCount, volumeMl: r.volumeMl, touchesFovEdge: r.touchesFovEdge, fovEdgeFaces: [...r.fovEdgeFaces] };
}

export function liveVolumetry(stats: LabelStats, anthro: PanelAnthropometrics, protocol: VolumetryProtocol = DRAGON2_DEFAULT_PROTOCOL): LiveVolumetry {
  const tumourLabels = stats.labels.filter((l) => l.label >= 10).map((l) => l.label - 10);
  const tumourCount = tumourLabels.length === 0 ? 0 : Math.max(...tumourLabels) + 1;
  const roles = computeRoleStats(stats, tumourCount);
  const rows: PanelRow[] = [row('liver', roles.liver), ...roles.tumours.filter((t) => t.voxelCount > 0).map((t) => row(`tumour:${t.tumourIndex}`, t)), row('flr', roles.flr), row('tlv-measured', roles.tlvMeasured)];
  const heightCm = anthro.heightM === null ? undefined : heightCmFromMetres(anthro.heightM);
  const weightKg = anthro.weightKg ?? undefined;
  const bsa = resolveBsa({ ...(heightCm !== undefined && { heightCm }), ...(weightKg !== undefined && { weightKg }) }, protocol.bsaFormula);
  const tlvF = TLV_FORMULAS[protocol.tlvFormula];
  const stlvMl = bsa === null ? null : standardisedTlvMl(tlvF.id, bsa.valueM2);
  const ratios = computeFlrRatios({ flrMl: roles.flr.volumeMl, tlvMeasuredMl: roles.tlvMeasured.volumeMl, stlvMl, weightKg: weightKg ?? null, liverDensityGPerMl: protocol.liverDensityGPerMl });
  const flags: string[] = [];
  for (const r of rows) {
    if (r.touchesFovEdge && r.key !== 'tlv-measured') flags.push(`${r.key} touches the edge of the field of view (${r.fovEdgeFaces.join(', ')}): its volume may be underestimated`);
  }
  let notAssessableReason: string | undefined;
  if (roles.flr.voxelCount === 0) notAssessableReason = 'no FLR segmented yet';
  else if (protocol.verdictRatio === 'sflr' && stlvMl === null) notAssessableReason = 'no BSA (give height and weight)';
  else if (protocol.verdictRatio === 'flr-to-body-weight' && weightKg === undefined) notAssessableReason = 'no body weight';
  if (anthro.chemotherapy === null) flags.push('chemotherapy not recorded: the verdict is not assessable (and the report cannot be signed) until it is set');
  if (bsa === null) flags.push('no height/weight: sTLV and sFLR cannot be computed');
  const verdictRatios = roles.flr.voxelCount === 0 ? { sflrPct: null, flrToTlvMeasuredPct: null, flrToBodyWeightPct: null } : ratios;
  const verdict = decideVerdict(verdictRatios, protocol, { chemotherapy: anthro.chemotherapy, ...(notAssessableReason !== undefined && { notAssessableReason }) });
  const against = (r: VolumetryProtocol['verdictRatio']): number | null => (protocol.verdictRatio === r ? verdict.thresholdPct : null);
  const bsaF = BSA_FORMULAS[protocol.bsaFormula];
  return {
    voxelVolumeMm3: stats.voxelVolume.valueMm3,
    rows,
    liverMl: roles.liver.volumeMl,
    tumoursMl: roles.tumoursAll.volumeMl,
    tlvMeasuredMl: roles.tlvMeasured.volumeMl,
    flrMl: roles.flr.volumeMl,
    bsaM2: bsa?.valueM2 ?? null,
    stlvMl,
    ...ratios,
    verdict: { status: verdict.status, ratio: verdict.ratio, valuePct: verdict.valuePct, thresholdPct: verdict.thresholdPct, reason: verdict.reason },
    text: {
      sflr: fixedAgainst(ratios.sflrPct, 1, against('sflr'), '%'),
      flrToTlvMeasured: fixedAgainst(ratios.flrToTlvMeasuredPct, 1, against('flr-to-tlv-measured'), '%'),
      flrToBodyWeight: fixedAgainst(ratios.flrToBodyWeightPct, 2, against('flr-to-body-weight'), '%'),
    },
    thresholds: { normalLiverPct: protocol.thresholdPct.normalLiver, chemotherapyDamagedLiverPct: protocol.thresholdPct.chemotherapyDamagedLiver, verdictRatio: RATIO_LABELS[protocol.verdictRatio] },
    formulas: [
      'Volume (mL) = voxel count x voxel volume (mm³) / 1000; Liver = labels {1, 2, 10+}, TLV measured = Liver - tumours = {1, 2}, FLR = {2}',
      `BSA: ${bsaF.name} — ${bsaF.expression} (${Object.entries(bsaF.constants).map(([k, v]) => `${k} = ${v}`).join(', ')})`,
      `sTLV: ${tlvF.name} — ${tlvF.expression}`,
      'sFLR = FLR / sTLV x 100; FLR/TLV measured = FLR / TLV measured x 100',
      `FLR/body weight = FLR (mL) x ${protocol.liverDensityGPerMl} g/mL / (weight (kg) x 1000) x 100`,
    ],
    flags,
  };
}

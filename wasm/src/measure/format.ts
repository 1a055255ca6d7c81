import { RATIO_LABELS } from '../clinical/protocol.ts';
import type { VerdictRatio } from '../clinical/protocol.ts';
import { formatAgainstThreshold } from '../clinical/threshold-rounding.ts';
import { seriesIdentityText } from './growth-record.ts';
import type { GrowthRecord } from './growth-record.ts';
import type { MeasurementRecord } from './record.ts';

/** Human formatting only: the JSON keeps full precision. */
export function fixed(v: number | null | undefined, decimals: number, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return `${v.toFixed(decimals)}${unit}`;
}

/**
 * A percentage compared with a threshold, at `decimals` places, rounded so that the shown value never lands on or
 * across the threshold on the other side of the comparison (clinical/threshold-rounding.ts). Plain `fixed` when there
 * is no threshold.
 */
export function fixedAgainst(v: number | null | undefined, decimals: number, threshold: number | null | undefined, unit = '', criterion: '>=' | '>' = '>='): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (threshold === null || threshold === undefined) return fixed(v, decimals, unit);
  return `${formatAgainstThreshold(v, decimals, threshold, criterion)}${unit}`;
}

/** The record's ratio at `decimals` places, threshold-safe when it is the verdict ratio and a threshold applies. */
export function ratioText(r: MeasurementRecord, ratio: VerdictRatio, decimals: number, unit = ' %'): string {
  const v = ratio === 'sflr' ? r.ratios.sflrPct : ratio === 'flr-to-tlv-measured' ? r.ratios.flrToTlvMeasuredPct : r.ratios.flrToBodyWeightPct;
  return fixedAgainst(v, decimals, r.thresholds.verdictRatio === ratio ? r.thresholds.applicablePct : null, unit);
}

/** Chemotherapy status as printed: "yes: damaged liver, higher threshold", "no" or "NOT RECORDED". */
export function chemotherapyText(chemotherapy: boolean | null | undefined): string {
  return chemotherapy === true ? 'yes: damaged liver, higher threshold' : chemotherapy === false ? 'no' : 'NOT RECORDED (the applicable threshold is unknown: record whether the liver is chemotherapy-damaged)';
}

/** "30 % (normal liver)", "40 % (chemotherapy-damaged liver)" or "unknown (chemotherapy status not recorded)". */
export function applicableThresholdText(r: MeasurementRecord): string {
  const t = r.thresholds;
  return t.applicablePct === null ? 'unknown (chemotherapy status not recorded)' : `${t.applicablePct} % (${t.chemotherapy ? 'chemotherapy-damaged' : 'normal'} liver)`;
}

/** The volumetric verdict as a headline: "FLR VOLUME: INSUFFICIENT" (the DRAGON 2 endpoint). */
export function verdictHeadline(r: MeasurementRecord): string {
  return `FLR volume: ${r.verdict.status.replace('-', ' ')}`.toUpperCase();
}

/** "FLR VOLUME: INSUFFICIENT: <reason>", saying once that the volumetric verdict is the DRAGON 2 endpoint. */
export function verdictText(r: MeasurementRecord): string {
  const reason = r.verdict.reason;
  return `${verdictHeadline(r)}: ${reason}${reason.includes('DRAGON 2 endpoint') ? '' : '. The volumetric verdict is the DRAGON 2 endpoint.'}`;
}

/** Mebrofenin line: value (2 threshold-safe decimals, criterion "> threshold"), result, and its place beside the verdict. */
export function mebrofeninText(r: MeasurementRecord): string | null {
  const m = r.verdict.mebrofenin;
  if (!m) return null;
  const v = formatAgainstThreshold(m.valuePctPerMinPerM2, 2, m.thresholdPctPerMinPerM2, '>');
  return `${v} %/min/m² ${m.exceedsThreshold ? 'exceeds' : 'does not exceed'} the ${m.thresholdPctPerMinPerM2} %/min/m² threshold (function criterion: > ${m.thresholdPctPerMinPerM2}); recorded beside the volumetric verdict, which is the DRAGON 2 endpoint`;
}

function num(v: number): string {
  return String(v);
}

/**
 * Every formula with the patient's numbers filled in, e.g.
 *   "BSA (Mosteller) = sqrt(170 cm x 75 kg / 3600) = 1.8819 m²"
 *   "sTLV (Vauthey) = -794.41 + 1267.28 x 1.8819 m² = 1590.5 mL"
 *   "sFLR = FLR 512.3 mL / sTLV 1590.5 mL x 100 = 32.2 %"
 * (display rounding; the verdict ratio threshold-safe). One builder for the PDF, the CLI text and the app preview.
 */
export function substitutedFormulaLines(r: MeasurementRecord): string[] {
  const a = r.inputs.anthropometrics;
  const lines: string[] = [];
  const b = r.bsa;
  if (!b) lines.push('BSA: not available (no height/weight or BSA).');
  else if (b.source === 'explicit') {
    lines.push(`BSA = ${fixed(b.valueM2, 4)} m² (given explicitly${b.formulaValueM2 !== undefined ? `; ${b.formulaName ?? 'formula'} from height and weight would give ${fixed(b.formulaValueM2, 4)} m²` : ''})`);
  } else {
    const c = b.constants ?? {};
    const h = `${num(a.heightCm as number)} cm`;
    const w = `${num(a.weightKg as number)} kg`;
    let expr: string;
    switch (b.formula) {
      case 'mosteller':
        expr = `sqrt(${h} x ${w} / ${num(c.divisor as number)})`;
        break;
      case 'boyd': {
        const g = `${num(1000 * (a.weightKg as number))} g`;
        expr = `${num(c.a as number)} x ${h}^${num(c.heightExponent as number)} x ${g}^(${num(c.weightExponentBase as number)} - ${num(c.weightExponentLogSlope as number)} x log10(${g}))`;
        break;
      }
      default:
        expr = `${num(c.a as number)} x ${w}^${num(c.weightExponent as number)} x ${h}^${num(c.heightExponent as number)}`;
    }
    lines.push(`BSA (${b.formulaName ?? b.formula ?? ''}) = ${expr} = ${fixed(b.valueM2, 4)} m²`);
  }
  if (r.stlv && b) {
    const k = r.stlv.constants;
    lines.push(`sTLV (${r.stlv.formulaName}) = ${num(k.interceptMl)} + ${num(k.slopeMlPerM2)} x ${fixed(b.valueM2, 4)} m² = ${fixed(r.stlv.valueMl, 1)} mL`);
  } else lines.push('sTLV: not available (no BSA).');
  const flr = `FLR ${fixed(r.volumes.flrMl, 1)} mL`;
  lines.push(r.stlv ? `sFLR = ${flr} / sTLV ${fixed(r.stlv.valueMl, 1)} mL x 100 = ${ratioText(r, 'sflr', 1)}` : 'sFLR: not available (no sTLV).');
  lines.push(
    `FLR/TLV measured = ${flr} / TLV measured ${fixed(r.volumes.tlvMeasuredMl, 1)} mL (liver ${fixed(r.volumes.liverMl, 1)} - tumours ${fixed(r.volumes.tumoursMl, 1)} mL) x 100 = ${ratioText(r, 'flr-to-tlv-measured', 1)}`,
  );
  lines.push(
    a.weightKg !== undefined
      ? `FLR/body weight = ${flr} x ${num(r.ratios.liverDensityGPerMl)} g/mL / (${num(a.weightKg)} kg x 1000 g/kg) x 100 = ${ratioText(r, 'flr-to-body-weight', 2)}`
      : 'FLR/body weight: not available (no body weight).',
  );
  return lines;
}

/** KGR text against its cut-off (threshold-safe, 2 decimals): "1.99 %/week (below the 2 %/week cut-off)". */
export function kgrText(g: Pick<GrowthRecord, 'kineticGrowthRatePctPerWeek' | 'kgrCutoffPctPerWeek' | 'kgrBelowCutoff'>): string {
  const v = fixedAgainst(g.kineticGrowthRatePctPerWeek, 2, g.kgrCutoffPctPerWeek, ' %/week');
  if (g.kgrBelowCutoff === null) return v;
  return `${v} (${g.kgrBelowCutoff ? 'below' : 'at or above'} the ${g.kgrCutoffPctPerWeek} %/week cut-off)`;
}

/** "baseline sTLV for both sFLRs" / "each timepoint's own sTLV". */
export function stlvBasisText(basis: GrowthRecord['stlvBasis']): string {
  return basis === 'baseline' ? 'baseline sTLV for both sFLRs' : "each timepoint's own sTLV";
}

/** Growth lines shared by the CLI, the PDF and the preview (label, value). */
export function growthRows(g: GrowthRecord): Array<[string, string]> {
  const other = g.stlvBasis === 'baseline' ? g.byBasis['per-timepoint'] : g.byBasis.baseline;
  const chosen = g.byBasis[g.stlvBasis];
  const b = g.baseline;
  const f = g.followup;
  const change = (name: string, x: number | null, y: number | null, d: number, unit: string): string =>
    x === null && y === null ? `${name} n/a` : `${name} ${x === null ? 'n/a' : x.toFixed(d)} -> ${y === null ? 'n/a' : y.toFixed(d)} ${unit}`;
  return [
    ['Interval', `${fixed(g.interval.days, 0)} days = ${fixed(g.interval.weeks, 2)} weeks (${g.interval.source === 'explicit' ? 'explicit' : 'from series dates'})`],
    ['Body changes', `${change('weight', b.weightKg, f.weightKg, 1, 'kg')}; ${change('BSA', b.bsaM2, f.bsaM2, 4, 'm²')}; ${change('sTLV', b.stlvMl, f.stlvMl, 1, 'mL')}`],
    ['sTLV basis of DH/KGR', `${g.stlvBasis}: ${stlvBasisText(g.stlvBasis)} (follow-up sFLR on this basis ${fixedAgainst(chosen.followupSflrPct, 1, f.applicableThresholdPct, ' %')})`],
    ['Degree of hypertrophy (DH)', `${fixed(g.degreeOfHypertrophyPp, 2)} percentage points (follow-up sFLR - baseline sFLR)`],
    ['Kinetic growth rate (KGR)', `${kgrText(g)} = DH / weeks`],
    [
      `DH / KGR, ${other.stlvBasis} basis`,
      `${fixed(other.degreeOfHypertrophyPp, 2)} pp / ${kgrText({ kineticGrowthRatePctPerWeek: other.kineticGrowthRatePctPerWeek, kgrCutoffPctPerWeek: g.kgrCutoffPctPerWeek, kgrBelowCutoff: other.kgrBelowCutoff })} (${stlvBasisText(other.stlvBasis)}; for comparison)`,
    ],
    ['Relative FLR growth', `${fixed(g.relativeFlrGrowthPct, 1)} %`],
  ];
}

function dicomDate(d: string): string {
  return /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d;
}

function mappingText(m: MeasurementRecord['inputs']['labelInput']['roleMapping']): string {
  const tumours = m.tumours.map((t) => (Array.isArray(t) ? t.join('+') : String(t))).join(',');
  return `liver=${m.liver.join(',') || '-'} tumours=${tumours || '-'} flr=${m.flr.join(',') || '-'}`;
}

function row(name: string, value: string): string {
  return `  ${name.padEnd(30)}${value.padStart(12)}`;
}

/** Readable multi-line summary of a measurement for the CLI (rounded for display). */
export function formatMeasurementText(r: MeasurementRecord): string {
  const s = r.inputs.series;
  const li = r.inputs.labelInput;
  const a = r.inputs.anthropometrics;
  const g = r.geometry;
  const lines: string[] = [];
  lines.push(`Remnant measurement (core ${r.coreVersion}, schema ${r.schemaVersion}, ${r.createdAt})`);
  lines.push(
    `Series:   ${s.seriesInstanceUid ?? `(no SeriesInstanceUID; content SHA-256 ${s.sourceFileSha256 ?? 'n/a'})`} (${s.modality}, ${dicomDate(s.seriesDate)}${s.seriesDateSource ? ` from ${s.seriesDateSource}` : ''}); study ${s.studyInstanceUid ?? '(no StudyInstanceUID)'}`,
  );
  lines.push(`Labels:   ${li.fileName} (${li.format}, sha256 ${li.sha256.slice(0, 12)}…); ${mappingText(li.roleMapping)}`);
  const vv = g.voxelVolume;
  lines.push(
    `Grid:     ${g.sizeIJK.join(' x ')} voxels of ${g.spacingMm.map((x) => x.toFixed(3)).join(' x ')} mm; voxel ${vv.valueMm3.toFixed(4)} mm³ (${
      vv.method === 'explicit-override' ? `override: ${vv.overrideReason ?? 'no reason'}` : '|det D| x spacing'
    })`,
  );
  lines.push('Volumes:');
  lines.push(row('Liver (incl. tumours)', fixed(r.volumes.liverMl, 1, ' mL')));
  lines.push(row(`Tumours (${r.volumes.tumourMl.length})`, fixed(r.volumes.tumoursMl, 1, ' mL')));
  r.volumes.tumourMl.forEach((v, t) => lines.push(row(`  tumour ${t + 1}`, fixed(v, 1, ' mL'))));
  lines.push(row('TLV measured (liver - tumours)', fixed(r.volumes.tlvMeasuredMl, 1, ' mL')));
  lines.push(row('FLR', fixed(r.volumes.flrMl, 1, ' mL')));
  const hw = [a.heightCm !== undefined ? `height ${a.heightCm} cm` : null, a.weightKg !== undefined ? `weight ${a.weightKg} kg` : null].filter(Boolean).join(', ');
  if (r.bsa) {
    lines.push(`BSA:      ${fixed(r.bsa.valueM2, 3, ' m²')} (${r.bsa.source === 'explicit' ? 'explicit' : r.bsa.formulaName}${hw ? `; ${hw}` : ''})`);
  } else {
    lines.push(`BSA:      n/a (no height/weight or BSA${hw ? `; ${hw}` : ''})`);
  }
  lines.push(`sTLV:     ${r.stlv ? `${fixed(r.stlv.valueMl, 1, ' mL')} (${r.stlv.formulaName}: ${r.stlv.expression})` : 'n/a'}`);
  lines.push(`Chemo:    ${chemotherapyText(a.chemotherapy)}`);
  lines.push('Formulas:');
  for (const f of substitutedFormulaLines(r)) lines.push(`  ${f}`);
  lines.push(
    `Ratios:   sFLR ${ratioText(r, 'sflr', 1, '%')}, FLR/TLV measured ${ratioText(r, 'flr-to-tlv-measured', 1, '%')}, FLR/body weight ${ratioText(r, 'flr-to-body-weight', 2, '%')}; applicable threshold ${applicableThresholdText(r)}`,
  );
  lines.push(`Verdict:  ${verdictHeadline(r)}: ${r.verdict.reason}`);
  const meb = mebrofeninText(r);
  if (meb) lines.push(`Mebrofenin: ${meb}`);
  lines.push(
    `Protocol: ${r.provenance.protocol.name} v${r.provenance.protocol.version} (verdict on ${RATIO_LABELS[r.thresholds.verdictRatio]}; thresholds ${r.thresholds.normalLiverPct}% / ${r.thresholds.chemotherapyDamagedLiverPct}% chemotherapy)`,
  );
  const errors = r.qc.flags.filter((f) => f.severity === 'error').length;
  const warnings = r.qc.flags.filter((f) => f.severity === 'warning').length;
  lines.push(`QC:       ${errors} error(s), ${warnings} warning(s), ${r.qc.flags.length - errors - warnings} note(s)`);
  for (const f of r.qc.flags) lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

/** Readable summary of a growth record for the CLI. */
export function formatGrowthText(r: GrowthRecord): string {
  const lines: string[] = [];
  lines.push(`Remnant growth (core ${r.coreVersion}, schema ${r.schemaVersion}, ${r.createdAt})`);
  const endpoint = (e: GrowthRecord['baseline']): string =>
    `${dicomDate(e.seriesDate)} FLR ${fixed(e.flrMl, 1, ' mL')}, sTLV ${fixed(e.stlvMl, 1, ' mL')}, sFLR ${fixedAgainst(e.sflrPct, 1, e.applicableThresholdPct, '%')} (${seriesIdentityText(e)})`;
  lines.push(`Baseline:  ${endpoint(r.baseline)}`);
  lines.push(`Follow-up: ${endpoint(r.followup)}`);
  for (const [k, v] of growthRows(r)) lines.push(`  ${`${k}:`.padEnd(32)}${v}`);
  lines.push(`Protocol:  ${r.protocol.name} v${r.protocol.version}`);
  for (const f of r.flags) lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

import { RATIO_LABELS } from '../clinical/protocol.ts';
import type { GrowthRecord } from './growth-record.ts';
import type { MeasurementRecord } from './record.ts';

/** Human formatting only: the JSON keeps full precision. */
export function fixed(v: number | null | undefined, decimals: number, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return `${v.toFixed(decimals)}${unit}`;
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
  lines.push(`Series:   ${s.seriesInstanceUid} (${s.modality}, ${dicomDate(s.seriesDate)}); study ${s.studyInstanceUid}`);
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
  lines.push(
    `Ratios:   sFLR ${fixed(r.ratios.sflrPct, 1, '%')}, FLR/TLV measured ${fixed(r.ratios.flrToTlvMeasuredPct, 1, '%')}, FLR/body weight ${fixed(r.ratios.flrToBodyWeightPct, 2, '%')}`,
  );
  lines.push(`Verdict:  ${r.verdict.status.toUpperCase()}: ${r.verdict.reason}`);
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
  lines.push(`Baseline:  ${dicomDate(r.baseline.seriesDate)} FLR ${fixed(r.baseline.flrMl, 1, ' mL')}, sFLR ${fixed(r.baseline.sflrPct, 1, '%')} (${r.baseline.seriesInstanceUid})`);
  lines.push(`Follow-up: ${dicomDate(r.followup.seriesDate)} FLR ${fixed(r.followup.flrMl, 1, ' mL')}, sFLR ${fixed(r.followup.sflrPct, 1, '%')} (${r.followup.seriesInstanceUid})`);
  lines.push(`Interval:  ${fixed(r.interval.days, 0)} days = ${fixed(r.interval.weeks, 2)} weeks (${r.interval.source === 'explicit' ? 'explicit' : 'from series dates'})`);
  lines.push(`DH:        ${fixed(r.degreeOfHypertrophyPp, 1, ' percentage points')}`);
  lines.push(
    `KGR:       ${fixed(r.kineticGrowthRatePctPerWeek, 2, ' %/week')}${r.kgrBelowCutoff === null ? '' : r.kgrBelowCutoff ? ` (below the ${r.kgrCutoffPctPerWeek} %/week cut-off)` : ` (>= ${r.kgrCutoffPctPerWeek} %/week cut-off)`}`,
  );
  lines.push(`FLR growth: ${fixed(r.relativeFlrGrowthPct, 1, '%')} relative to baseline`);
  lines.push(`Protocol:  ${r.protocol.name} v${r.protocol.version}`);
  for (const f of r.flags) lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The "Sign & export" preview as rows: the same sections, labels and number formatting (core `fixed`) as the PDF
 * (electron/src/services/report/report-pdf.ts), from the same report data, so the reviewer reads the numbers that
 * will be signed. Pure functions (tested beside).
 */
import type { ReportPreview, ReviewerKeyInfo } from '../../../electron/src/ipc/contract.ts';
import { RATIO_LABELS } from '../../../wasm/src/clinical/protocol.ts';
import { applicableThresholdText, chemotherapyText, fixed, fixedAgainst, growthRows, mebrofeninText, ratioText, substitutedFormulaLines, verdictText } from '../../../wasm/src/measure/format.ts';

export type Row = [label: string, value: string];

export interface VolumeRow {
  key: string;
  label: string;
  voxels: number;
  ml: number;
  text: string;
}

export interface RatioRow {
  key: 'sflr' | 'flr-tlv' | 'flr-bw';
  label: string;
  pct: number | null;
  text: string;
  basis: boolean;
}

export interface PreviewModel {
  title: string;
  identification: Row[];
  anthropometrics: Row[];
  volumes: VolumeRow[];
  voxelNote: string;
  formulas: string[];
  ratios: RatioRow[];
  thresholds: Row[];
  verdict: { status: string; text: string };
  /**
   * Why this timepoint cannot be signed yet (e.g. the chemotherapy status is not recorded), or null. The main process
   * refuses to sign in the same case; the preview says so before the passphrase is asked.
   */
  signBlocker: string | null;
  growth: Row[] | null;
  growthNote: string | null;
  qc: Array<{ severity: string; code: string; message: string }>;
  provenance: Row[];
}

/** Meanings offered for a signature (the field stays editable). */
export const SIGNATURE_MEANINGS = [
  'Reviewer: volumetry performed and approved',
  'Reviewer: volumetry reviewed and approved',
  'Second reviewer: report reviewed and co-signed',
  'Adjudicator: volumetry adjudicated and approved',
] as const;

/** Shown instead of the sign step while the case's chemotherapy status is not recorded. */
export const CHEMOTHERAPY_SIGN_BLOCKER = 'Record whether the liver is chemotherapy-damaged (case anthropometrics: Chemotherapy yes/no) before signing: the applicable sFLR threshold (30 % or 40 %) depends on it.';

export function defaultMeaning(role: string): string {
  const r = role.trim();
  return r === '' || r === 'Reviewer' ? SIGNATURE_MEANINGS[0] : `${r}: volumetry performed and approved`;
}

function dicomDate(d: string): string {
  return /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d || 'n/a';
}

function mm(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? 'n/a' : `${v.toFixed(digits)} mm`;
}

export function previewModel(p: ReportPreview): PreviewModel {
  const r = p.measurement;
  const s = r.inputs.series;
  const id = p.identification;
  const a = r.inputs.anthropometrics;
  const m = r.inputs.labelInput.roleMapping;
  const tumours = m.tumours.map((t) => (Array.isArray(t) ? t.join('+') : String(t))).join(', ');
  // The same substituted formulas as the PDF and `remnant measure` (core substitutedFormulaLines).
  const formulas: string[] = [...substitutedFormulaLines(r)];
  if (r.bsa?.source === 'formula') formulas.push(`BSA (${r.bsa.formulaName}): ${Object.entries(r.bsa.constants ?? {}).map(([k, v]) => `${k} = ${v}`).join(', ')}. ${r.bsa.citation ?? ''}`);
  if (r.stlv) formulas.push(`sTLV (${r.stlv.formulaName}): ${r.stlv.expression}. ${r.stlv.citation}`);
  formulas.push(`Protocol ${r.provenance.protocol.name} v${r.provenance.protocol.version}; core ${r.coreVersion}, measurement schema ${r.schemaVersion}.`);
  const vol = (key: string, label: string, voxels: number, ml: number): VolumeRow => ({ key, label, voxels, ml, text: fixed(ml, 1) });
  const g = p.growth;
  return {
    title: `Subject ${p.subjectId}, timepoint ${p.timepoint}`,
    identification: [
      ['Study Instance UID', s.studyInstanceUid ?? '(none in the DICOM headers)'],
      ['Series Instance UID', s.seriesInstanceUid ?? `(none in the DICOM headers; identified by content SHA-256 ${r.provenance.sourceFileSha256 ?? 'n/a'})`],
      ['Frame of Reference UID', s.frameOfReferenceUid],
      ['Scan date', `${dicomDate(s.seriesDate)}${s.seriesDateSource ? ` (${s.seriesDateSource})` : ''}`],
      ['Modality', s.modality],
      ['Series description', id.seriesDescription ?? 'n/a'],
      ['Slice count', String(id.sliceCount)],
      ['Slice thickness', mm(id.sliceThicknessMm)],
      ['Pixel spacing (row x col)', `${mm(id.spacingMm.row, 3)} x ${mm(id.spacingMm.col, 3)}`],
      ['Slice spacing', mm(id.spacingMm.slice, 3)],
      ['Grid (i x j x k)', `${r.geometry.sizeIJK.join(' x ')} voxels`],
      ['Geometry warnings', id.geometryWarnings.length === 0 ? 'none' : id.geometryWarnings.join('; ')],
      ['Label file', `${r.inputs.labelInput.fileName} (${r.inputs.labelInput.format})`],
      ['Role mapping', `liver = segment ${m.liver.join(', ') || '-'}; tumours = ${tumours || '-'}; FLR = ${m.flr.join(', ') || '-'}`],
    ],
    anthropometrics: [
      ['Height', a.heightCm !== undefined ? `${a.heightCm} cm` : 'n/a'],
      ['Weight', a.weightKg !== undefined ? `${a.weightKg} kg` : 'n/a'],
      ['BSA', r.bsa ? `${fixed(r.bsa.valueM2, 3)} m² (${r.bsa.source === 'explicit' ? 'explicit' : (r.bsa.formulaName ?? '')})` : 'n/a'],
      ['Sex', a.sex ?? 'n/a'],
      ['Chemotherapy', chemotherapyText(a.chemotherapy)],
      ...(a.mebrofeninFlrFunctionPctPerMinPerM2 !== undefined ? [['Mebrofenin FLR function', `${a.mebrofeninFlrFunctionPctPerMinPerM2} %/min/m²`] as Row] : []),
    ],
    volumes: [
      vol('liver', 'Liver, total (tumours included)', r.roles.liver.voxelCount, r.volumes.liverMl),
      vol('tumours', `Tumours (${r.roles.tumours.length})`, r.roles.tumoursAll.voxelCount, r.volumes.tumoursMl),
      ...r.roles.tumours.map((t) => vol(`tumour:${t.tumourIndex}`, `  Tumour ${t.tumourIndex + 1}`, t.voxelCount, t.volumeMl)),
      vol('tlv-measured', 'TLV measured (liver minus tumours)', r.roles.tlvMeasured.voxelCount, r.volumes.tlvMeasuredMl),
      vol('flr', 'Future liver remnant (FLR)', r.roles.flr.voxelCount, r.volumes.flrMl),
    ],
    voxelNote: `Voxel volume ${fixed(r.geometry.voxelVolume.valueMm3, 4)} mm³ (${r.geometry.voxelVolume.method}); volumes are voxel counts x voxel volume, unrounded in the JSON record.`,
    formulas,
    ratios: [
      { key: 'sflr', label: 'sFLR (FLR / sTLV)', pct: r.ratios.sflrPct, text: ratioText(r, 'sflr', 1), basis: r.thresholds.verdictRatio === 'sflr' },
      { key: 'flr-tlv', label: 'FLR / TLV measured', pct: r.ratios.flrToTlvMeasuredPct, text: ratioText(r, 'flr-to-tlv-measured', 1), basis: r.thresholds.verdictRatio === 'flr-to-tlv-measured' },
      { key: 'flr-bw', label: 'FLR / body weight', pct: r.ratios.flrToBodyWeightPct, text: ratioText(r, 'flr-to-body-weight', 2), basis: r.thresholds.verdictRatio === 'flr-to-body-weight' },
    ],
    thresholds: [
      ['Thresholds', `${r.thresholds.normalLiverPct} % normal liver, ${r.thresholds.chemotherapyDamagedLiverPct} % chemotherapy-damaged liver (${RATIO_LABELS[r.thresholds.verdictRatio]})`],
      ['Applicable threshold', applicableThresholdText(r)],
      ...(mebrofeninText(r) !== null ? [['Mebrofenin (HBS)', mebrofeninText(r) as string] as Row] : []),
    ],
    verdict: { status: r.verdict.status, text: verdictText(r) },
    signBlocker: a.chemotherapy === null || a.chemotherapy === undefined ? CHEMOTHERAPY_SIGN_BLOCKER : null,
    growth: g
      ? [
          ['Baseline', `${dicomDate(g.baseline.seriesDate)}: FLR ${fixed(g.baseline.flrMl, 1)} mL, sTLV ${fixed(g.baseline.stlvMl, 1)} mL, sFLR ${fixedAgainst(g.baseline.sflrPct, 1, g.baseline.applicableThresholdPct, ' %')}`],
          ['This timepoint', `${dicomDate(g.followup.seriesDate)}: FLR ${fixed(g.followup.flrMl, 1)} mL, sTLV ${fixed(g.followup.stlvMl, 1)} mL, sFLR ${fixedAgainst(g.followup.sflrPct, 1, g.followup.applicableThresholdPct, ' %')}`],
          ...growthRows(g),
          ['Baseline report', p.baselineReport ?? 'n/a'],
        ]
      : null,
    growthNote: p.growthNote,
    qc: r.qc.flags.map((f) => ({ severity: f.severity, code: f.code, message: `${f.message}${f.voxelCount !== undefined ? ` (${f.voxelCount} voxels)` : ''}` })),
    provenance: [
      ['Label file SHA-256', p.inputs.labelFile.sha256],
      ['Role labelmap SHA-256', p.inputs.labelmapSha256],
      ['Series SHA-256', r.provenance.sourceFileSha256 ?? 'n/a'],
      ['Input instances', `${p.inputs.instanceCount} files (SHA-256 of each in the PDF appendix)`],
      ['Key images (PNG SHA-256)', p.keyImages.map((k) => `${k.plane} ${k.pngSha256.slice(0, 16)}...`).join('; ')],
    ],
  };
}

/** "valid until 2027-03-01", "EXPIRED on 2021-01-01", "not valid before ..." */
export function keyValidityText(k: Pick<ReviewerKeyInfo, 'status' | 'validFrom' | 'validTo'>): string {
  if (k.status === 'expired') return `EXPIRED on ${k.validTo.slice(0, 10)}`;
  if (k.status === 'not-yet-valid') return `not valid before ${k.validFrom.slice(0, 10)}`;
  return `valid ${k.validFrom.slice(0, 10)} to ${k.validTo.slice(0, 10)}`;
}

/** Fingerprint in colon-separated byte pairs, upper case (as certificate viewers print it). */
export function fingerprintText(sha256: string): string {
  return (sha256.toUpperCase().match(/.{2}/g) ?? []).join(':');
}

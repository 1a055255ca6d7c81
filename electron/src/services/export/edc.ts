/**
 * EDC export (Castor, REDCap): one row per subject, time point and reviewer, as CSV (RFC 4180) and JSON.
 * Columns, types, units and precision are in EDC_COLUMNS and docs/exports.md.
 *
 *  - Decimals: '.' separator, no thousands separator, fixed decimals per column (rounded half away from zero on the
 *    shortest decimal representation of the double); a missing value is the empty string (CSV) or null (JSON).
 *  - Threshold-safe: a value exported next to its threshold (the verdict ratio vs threshold_pct, KGR vs
 *    kgr_cutoff_pct_per_week, mebrofenin vs its threshold) is never rounded onto or across it: re-deriving the verdict
 *    from the exported numbers gives the exported verdict (clinical/threshold-rounding.ts).
 *  - CSV: UTF-8 without BOM, comma separated, CRLF line ends, a header row with the field names, fields quoted when
 *    they contain a comma, quote, CR or LF (quotes doubled).
 *  - Field names are REDCap-compatible: lower case letters, digits and underscores, start with a letter, <= 26 chars.
 */
import { createHash } from 'node:crypto';
import { roundAgainstThreshold, roundHalfAwayFromZero } from '../../../../wasm/src/clinical/threshold-rounding.ts';
import { seriesIdentityText } from '../../../../wasm/src/measure/growth-record.ts';
import type { GrowthRecord } from '../../../../wasm/src/measure/growth-record.ts';
import type { MeasurementRecord } from '../../../../wasm/src/measure/record.ts';

export type EdcColumnType = 'text' | 'date' | 'datetime' | 'integer' | 'decimal';

export interface EdcColumn {
  name: string;
  type: EdcColumnType;
  /** Decimal places for 'decimal' columns. */
  decimals?: number;
  unit?: string;
  description: string;
}

export const EDC_SCHEMA_VERSION = '2.1.0';
export const EDC_KIND = 'remnant.edc';

export const EDC_COLUMNS = [
  { name: 'subject_id', type: 'text', description: 'Trial subject identifier (the REDCap record ID / Castor participant ID)' },
  { name: 'timepoint', type: 'text', description: 'Time point label, e.g. baseline, week3' },
  { name: 'scan_date', type: 'date', description: 'Scan date of the measured series, YYYY-MM-DD (from scan_date_source)' },
  { name: 'scan_date_source', type: 'text', description: 'DICOM attribute the scan date came from: AcquisitionDate, SeriesDate or StudyDate' },
  { name: 'reviewer', type: 'text', description: 'Reviewer name' },
  { name: 'reviewer_role', type: 'text', description: 'Reviewer role, e.g. radiologist, surgeon' },
  { name: 'measured_at', type: 'datetime', description: 'Time the measurement record was built, ISO 8601 in UTC with explicit offset: YYYY-MM-DDTHH:MM:SS+00:00' },
  { name: 'liver_ml', type: 'decimal', decimals: 2, unit: 'mL', description: 'Whole liver volume, tumours included' },
  { name: 'tumours_ml', type: 'decimal', decimals: 2, unit: 'mL', description: 'All tumours' },
  { name: 'tlv_measured_ml', type: 'decimal', decimals: 2, unit: 'mL', description: 'Total liver volume measured = liver minus tumours' },
  { name: 'flr_ml', type: 'decimal', decimals: 2, unit: 'mL', description: 'Future liver remnant volume' },
  { name: 'bsa_m2', type: 'decimal', decimals: 4, unit: 'm2', description: 'Body surface area' },
  { name: 'bsa_formula', type: 'text', description: 'BSA formula id (mosteller, dubois, haycock, gehan-george, boyd) or explicit' },
  { name: 'stlv_ml', type: 'decimal', decimals: 2, unit: 'mL', description: 'Standardised total liver volume' },
  { name: 'tlv_formula', type: 'text', description: 'sTLV formula id (vauthey, urata, heinemann); empty without BSA' },
  { name: 'flr_tlv_measured_pct', type: 'decimal', decimals: 2, unit: '%', description: 'FLR / TLV measured x 100 (threshold-safe when it is the verdict ratio)' },
  { name: 'flr_bw_pct', type: 'decimal', decimals: 2, unit: '%', description: 'FLR (g, at the protocol liver density) / body weight (g) x 100 (threshold-safe when it is the verdict ratio)' },
  { name: 'sflr_pct', type: 'decimal', decimals: 2, unit: '%', description: 'FLR / sTLV x 100; threshold-safe: never rounded onto or across threshold_pct when sFLR is the verdict ratio' },
  { name: 'threshold_pct', type: 'decimal', decimals: 2, unit: '%', description: 'Applicable sufficiency threshold of the verdict ratio; empty when the chemotherapy status was not recorded' },
  { name: 'verdict', type: 'text', description: 'Volumetric verdict (the DRAGON 2 endpoint): sufficient, insufficient or not-assessable' },
  { name: 'verdict_ratio', type: 'text', description: 'Ratio the verdict compares with threshold_pct: sflr, flr-to-tlv-measured or flr-to-body-weight' },
  { name: 'chemotherapy', type: 'integer', description: 'Chemotherapy-damaged liver: 1 yes, 0 no, empty not recorded' },
  { name: 'qc_error_count', type: 'integer', description: 'Number of error-severity QC flags (any error makes the verdict not-assessable)' },
  { name: 'mebrofenin_pct_per_min_m2', type: 'decimal', decimals: 2, unit: '%/min/m2', description: 'FLR function on 99mTc-mebrofenin HBS; threshold-safe against its threshold; empty when not given' },
  { name: 'meb_threshold_pct_min_m2', type: 'decimal', decimals: 2, unit: '%/min/m2', description: 'Mebrofenin FLR function threshold of the protocol (2.67); empty when no mebrofenin value was given' },
  { name: 'mebrofenin_exceeds', type: 'integer', description: 'Mebrofenin FLR function exceeds (>) the protocol threshold (2.67): 1 yes, 0 no, empty when not given; recorded beside the volumetric verdict' },
  { name: 'interval_days', type: 'decimal', decimals: 1, unit: 'days', description: 'Days from the baseline scan to this scan (growth interval); empty without a baseline' },
  { name: 'growth_stlv_basis', type: 'text', description: 'sTLV basis of DH/KGR: baseline (both sFLRs over the baseline sTLV) or per-timepoint; empty without a baseline' },
  { name: 'dh_pp', type: 'decimal', decimals: 2, unit: 'percentage points', description: 'Degree of hypertrophy on growth_stlv_basis: sFLR(this) - sFLR(baseline); empty without a baseline' },
  { name: 'kgr_pct_per_week', type: 'decimal', decimals: 2, unit: '%/week', description: 'Kinetic growth rate on growth_stlv_basis: DH / weeks; threshold-safe against kgr_cutoff_pct_per_week; empty without a baseline' },
  { name: 'kgr_cutoff_pct_per_week', type: 'decimal', decimals: 2, unit: '%/week', description: 'KGR cut-off of the protocol; empty without a baseline' },
  { name: 'kgr_below_cutoff', type: 'integer', description: 'KGR below the cut-off (KGR < cut-off): 1 yes, 0 no, empty without a baseline or KGR' },
  { name: 'relative_flr_growth_pct', type: 'decimal', decimals: 2, unit: '%', description: 'Relative FLR growth since baseline: (FLR this - FLR baseline) / FLR baseline x 100; empty without a baseline' },
  { name: 'series_instance_uid', type: 'text', description: 'SeriesInstanceUID of the measured series; empty when the series has none (series_sha256 identifies it)' },
  { name: 'series_sha256', type: 'text', description: 'SHA-256 (hex) of the instance hashes of the measured series in slice order (its content identity)' },
  { name: 'label_sha256', type: 'text', description: 'SHA-256 (hex) of the label file measured' },
  { name: 'record_sha256', type: 'text', description: 'SHA-256 (hex) of the measurement record JSON (the bytes `remnant measure --out` writes)' },
  { name: 'core_version', type: 'text', description: 'Remnant core version' },
  { name: 'protocol', type: 'text', description: 'Volumetry protocol name' },
] as const satisfies readonly EdcColumn[];

export type EdcColumnName = (typeof EDC_COLUMNS)[number]['name'];
/** One EDC row: text columns as strings, numeric columns as numbers rounded to the column precision, missing = null. */
export type EdcRow = Record<EdcColumnName, string | number | null>;

export interface EdcEntry {
  record: MeasurementRecord;
  subjectId: string;
  timepoint: string;
  reviewer: { name: string; role: string };
  /** Growth from the baseline to this measurement (its follow-up must be this record); absent at baseline. */
  growth?: GrowthRecord | null;
  /** Default: SHA-256 of `JSON.stringify(record, null, 2) + "\n"`, the bytes `remnant measure --out` writes. */
  recordSha256?: string;
}

/** SHA-256 of the record file bytes as `remnant measure --out` writes them. */
export function measurementRecordSha256(record: MeasurementRecord): string {
  return createHash('sha256').update(`${JSON.stringify(record, null, 2)}\n`, 'utf8').digest('hex');
}

/** Rounds half away from zero at `decimals` places using the shortest decimal text of the double (so 1.005 -> 1.01). */
export function roundDecimal(value: number, decimals: number): number {
  return roundHalfAwayFromZero(value, decimals);
}

/** Fixed-decimal text of a value at the column precision ("-0.00" never appears). */
export function formatDecimal(value: number, decimals: number): string {
  const r = roundDecimal(value, decimals);
  return (r === 0 ? 0 : r).toFixed(decimals);
}

function isoDate(dicomDate: string): string {
  return /^\d{8}$/.test(dicomDate) ? `${dicomDate.slice(0, 4)}-${dicomDate.slice(4, 6)}-${dicomDate.slice(6, 8)}` : '';
}

/** ISO 8601 in UTC with an explicit offset and whole seconds: 2025-03-01T09:30:00+00:00. */
export function isoUtcWithOffset(timestamp: string): string {
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) throw new Error(`not an ISO 8601 timestamp: ${JSON.stringify(timestamp)}`);
  return `${new Date(t).toISOString().slice(0, 19)}+00:00`;
}

function requireText(what: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`EDC export: ${what} must be a non-empty text, got ${JSON.stringify(v)}`);
  return v.trim();
}

/** Builds the EDC rows (one per entry). Throws when a growth record does not belong to its entry's measurement. */
export function edcRows(entries: readonly EdcEntry[]): EdcRow[] {
  return entries.map((e, n) => {
    const r = e.record;
    const where = `entry ${n + 1} (subject ${String(e.subjectId)}, ${String(e.timepoint)})`;
    const own = { seriesInstanceUid: r.inputs.series.seriesInstanceUid, seriesSha256: r.provenance.sourceFileSha256 ?? null };
    const g = e.growth ?? null;
    if (g) {
      const f = g.followup;
      const same = f.seriesInstanceUid !== null && own.seriesInstanceUid !== null ? f.seriesInstanceUid === own.seriesInstanceUid : f.seriesSha256 !== null && f.seriesSha256 === own.seriesSha256;
      if (!same) throw new Error(`EDC export ${where}: the growth record's follow-up is series ${seriesIdentityText(f)}, not this measurement's ${seriesIdentityText(own)}`);
    }
    /** Column precision; threshold-safe when a threshold is given. */
    const dec = (name: EdcColumnName, v: number | null | undefined, threshold: number | null = null, criterion: '>=' | '>' = '>='): number | null => {
      if (v === null || v === undefined) return null;
      const col = EDC_COLUMNS.find((c) => c.name === name) as EdcColumn;
      return threshold === null ? roundDecimal(v, col.decimals as number) : roundAgainstThreshold(v, col.decimals as number, threshold, criterion);
    };
    const t = r.thresholds;
    const against = (ratio: MeasurementRecord['thresholds']['verdictRatio']): number | null => (t.verdictRatio === ratio ? t.applicablePct : null);
    const flag = (b: boolean | null | undefined): number | null => (b === null || b === undefined ? null : b ? 1 : 0);
    const meb = r.verdict.mebrofenin;
    const row: EdcRow = {
      subject_id: requireText(`${where}: subjectId`, e.subjectId),
      timepoint: requireText(`${where}: timepoint`, e.timepoint),
      scan_date: isoDate(r.inputs.series.seriesDate),
      scan_date_source: r.inputs.series.seriesDateSource ?? '',
      reviewer: requireText(`${where}: reviewer.name`, e.reviewer?.name),
      reviewer_role: requireText(`${where}: reviewer.role`, e.reviewer?.role),
      measured_at: isoUtcWithOffset(r.createdAt),
      liver_ml: dec('liver_ml', r.volumes.liverMl),
      tumours_ml: dec('tumours_ml', r.volumes.tumoursMl),
      tlv_measured_ml: dec('tlv_measured_ml', r.volumes.tlvMeasuredMl),
      flr_ml: dec('flr_ml', r.volumes.flrMl),
      bsa_m2: dec('bsa_m2', r.bsa?.valueM2),
      bsa_formula: r.bsa === null ? '' : r.bsa.source === 'explicit' ? 'explicit' : (r.bsa.formula ?? ''),
      stlv_ml: dec('stlv_ml', r.stlv?.valueMl),
      tlv_formula: r.stlv?.formula ?? '',
      flr_tlv_measured_pct: dec('flr_tlv_measured_pct', r.ratios.flrToTlvMeasuredPct, against('flr-to-tlv-measured')),
      flr_bw_pct: dec('flr_bw_pct', r.ratios.flrToBodyWeightPct, against('flr-to-body-weight')),
      sflr_pct: dec('sflr_pct', r.ratios.sflrPct, against('sflr')),
      threshold_pct: dec('threshold_pct', t.applicablePct),
      verdict: r.verdict.status,
      verdict_ratio: t.verdictRatio,
      chemotherapy: flag(r.inputs.anthropometrics.chemotherapy),
      qc_error_count: r.qc.flags.filter((f) => f.severity === 'error').length,
      mebrofenin_pct_per_min_m2: meb ? dec('mebrofenin_pct_per_min_m2', meb.valuePctPerMinPerM2, meb.thresholdPctPerMinPerM2, '>') : null,
      meb_threshold_pct_min_m2: meb ? dec('meb_threshold_pct_min_m2', meb.thresholdPctPerMinPerM2) : null,
      mebrofenin_exceeds: meb ? flag(meb.exceedsThreshold) : null,
      interval_days: dec('interval_days', g?.interval.days),
      growth_stlv_basis: g?.stlvBasis ?? '',
      dh_pp: dec('dh_pp', g?.degreeOfHypertrophyPp),
      kgr_pct_per_week: dec('kgr_pct_per_week', g?.kineticGrowthRatePctPerWeek, g ? g.kgrCutoffPctPerWeek : null),
      kgr_cutoff_pct_per_week: dec('kgr_cutoff_pct_per_week', g?.kgrCutoffPctPerWeek),
      kgr_below_cutoff: flag(g?.kgrBelowCutoff),
      relative_flr_growth_pct: dec('relative_flr_growth_pct', g?.relativeFlrGrowthPct),
      series_instance_uid: r.inputs.series.seriesInstanceUid ?? '',
      series_sha256: r.provenance.sourceFileSha256 ?? '',
      label_sha256: r.inputs.labelInput.sha256,
      record_sha256: e.recordSha256 ?? measurementRecordSha256(r),
      core_version: r.coreVersion,
      protocol: r.provenance.protocol.name,
    };
    return row;
  });
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function cellText(col: EdcColumn, v: string | number | null): string {
  if (v === null || v === '') return '';
  if (col.type === 'decimal') return formatDecimal(v as number, col.decimals as number);
  return String(v);
}

/** RFC 4180 CSV (CRLF, header row, quoting as needed), UTF-8 text without BOM. */
export function toCsv(rows: readonly EdcRow[]): string {
  const lines = [EDC_COLUMNS.map((c) => c.name).join(',')];
  for (const row of rows) lines.push(EDC_COLUMNS.map((c) => csvField(cellText(c, row[c.name]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON document: { kind, schemaVersion, columns, rows } with numbers rounded to the column precision, null when missing. */
export function toJson(rows: readonly EdcRow[]): string {
  const columns = EDC_COLUMNS.map((c) => ({ ...c }));
  return `${JSON.stringify({ kind: EDC_KIND, schemaVersion: EDC_SCHEMA_VERSION, columns, rows }, null, 2)}\n`;
}

/** Parses RFC 4180 CSV text into records of fields (quoted fields may hold commas, quotes and line breaks). */
export function parseCsvRecords(text: string, fileName = 'CSV'): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`${fileName}: a quote inside an unquoted field (record ${records.length + 1})`);
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      field = '';
      record = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error(`${fileName}: unterminated quoted field`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Parses an EDC CSV written by toCsv back into typed rows (numbers for numeric columns, null for empty cells). */
export function parseCsv(text: string, fileName = 'edc.csv'): EdcRow[] {
  const [header, ...data] = parseCsvRecords(text, fileName);
  if (!header) throw new Error(`${fileName}: empty CSV`);
  const expected = EDC_COLUMNS.map((c) => c.name);
  if (header.join(',') !== expected.join(',')) throw new Error(`${fileName}: header is not the Remnant EDC header (${expected.length} columns starting ${expected.slice(0, 3).join(',')})`);
  return data.map((fields, n) => {
    if (fields.length !== expected.length) throw new Error(`${fileName}: row ${n + 2} has ${fields.length} fields, expected ${expected.length}`);
    const row = {} as EdcRow;
    EDC_COLUMNS.forEach((c, i) => {
      const v = fields[i] as string;
      if (c.type === 'decimal' || c.type === 'integer') {
        if (v === '') row[c.name] = null;
        else {
          const pattern = c.type === 'integer' ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${(c as EdcColumn).decimals}}$`);
          if (!pattern.test(v)) throw new Error(`${fileName}: row ${n + 2} column ${c.name}: "${v}" is not a ${c.type === 'integer' ? 'integer' : `decimal with ${(c as EdcColumn).decimals} places`}`);
          row[c.name] = Number(v);
        }
      } else {
        row[c.name] = v;
      }
    });
    return row;
  });
}

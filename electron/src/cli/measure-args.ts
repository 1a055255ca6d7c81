/**
 * Argument parsing for `remnant measure`: pure functions, so that every usage error has a test and a clear message.
 */
import { parseArgs } from 'node:util';
import type { BsaFormulaId } from '../../../wasm/src/clinical/bsa.ts';
import type { TlvFormulaId } from '../../../wasm/src/clinical/tlv.ts';
import type { RoleMapping } from '../../../wasm/src/segments/compose.ts';

export class UsageError extends Error {}

export interface MeasureArgs {
  seriesDir: string;
  seriesUid?: string;
  labelsFile: string;
  mapping: RoleMapping;
  heightCm?: number;
  weightKg?: number;
  bsaM2?: number;
  bsaFormula?: BsaFormulaId;
  tlvFormula?: TlvFormulaId;
  /** --chemo true, --no-chemo false, neither: null (not recorded: the verdict is not assessable). */
  chemotherapy: boolean | null;
  sex?: 'F' | 'M' | 'O';
  mebrofenin?: number;
  thresholdNormalPct?: number;
  thresholdChemoPct?: number;
  fractionalThreshold?: number;
  json: boolean;
  out?: string;
}

/** "1,2,3" -> [1,2,3]. Each value must be a positive integer. */
export function parseSegmentList(flag: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`${flag} needs a comma-separated list of segment numbers, got '${text}'`);
  return parts.map((p) => parseSegmentNumber(flag, p));
}

function parseSegmentNumber(flag: string, p: string): number {
  if (!/^\d+$/.test(p) || Number(p) < 1) throw new UsageError(`${flag}: '${p}' is not a segment number (a positive integer)`);
  return Number(p);
}

/**
 * Tumours: "2,3" is two tumours (segment 2 and segment 3); "2+3,4" is two tumours, the first made of segments 2 and 3.
 * The flag may be repeated; tumours keep their order of appearance.
 */
export function parseTumourList(values: string[]): Array<number | number[]> {
  const tumours: Array<number | number[]> = [];
  for (const text of values) {
    const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (parts.length === 0) throw new UsageError(`--tumour needs segment numbers, got '${text}'`);
    for (const part of parts) {
      const group = part.split('+').map((s) => parseSegmentNumber('--tumour', s.trim()));
      tumours.push(group.length === 1 ? (group[0] as number) : group);
    }
  }
  return tumours;
}

function parseNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag}: '${text}' is not a number`);
  return value;
}

const BSA_IDS: readonly BsaFormulaId[] = ['mosteller', 'dubois', 'haycock', 'gehan-george', 'boyd'];
const TLV_IDS: readonly TlvFormulaId[] = ['vauthey', 'urata', 'heinemann'];

export const MEASURE_USAGE = `remnant measure --series <dir> --labels <file> --liver <n,...> [--tumour <n,...>] [--flr <n,...>]
                [--height-cm <cm> --weight-kg <kg> | --bsa <m2>] --chemo | --no-chemo [--json] [more options]

Measure liver, tumour and FLR volumes and the FLR ratios of one DICOM series and one label file.

Inputs
  --series <dir>          folder (or DICOMDIR) holding the image series
  --series-uid <uid>      which series, when the folder holds several image series
  --labels <file>         DICOM SEG, NIfTI (.nii, .nii.gz) or NRRD label file on that series' grid
Roles (segment numbers: SEG SegmentNumber, or the label value in NIfTI/NRRD)
  --liver <n,...>         segments whose union is the whole liver (tumours inside included)      [required]
  --tumour <n,...>        one tumour per number; join segments of one tumour with '+' (e.g. 2+3,4); repeatable
  --flr <n,...>           segments whose union is the future liver remnant (tumour-free, inside the liver)
Patient and protocol (DRAGON2-default unless changed)
  --height-cm <cm>        body height; with --weight-kg gives BSA by the BSA formula
  --weight-kg <kg>        body weight; also gives FLR / body weight
  --bsa <m2>              explicit BSA instead of height and weight
  --bsa-formula <id>      ${BSA_IDS.join(' | ')} (default mosteller)
  --tlv-formula <id>      ${TLV_IDS.join(' | ')} (default vauthey)
  --chemo                 chemotherapy-damaged liver: the higher threshold applies
  --no-chemo              not chemotherapy-damaged: the normal-liver threshold applies
                          (give one of the two; without either the verdict is not assessable:
                          "chemotherapy status not recorded")
  --sex <F|M|O>           recorded with the anthropometrics
  --mebrofenin <value>    FLR function on 99mTc-mebrofenin HBS (%/min/m2), recorded with the verdict
  --threshold <pct>       sufficiency threshold for a normal liver (default 30)
  --threshold-chemo <pct> sufficiency threshold for a chemotherapy-damaged liver (default 40)
  --fractional-threshold <0..1>  FRACTIONAL SEG threshold as a fraction of the maximum (default 0.5)
Output
  --json                  the measurement record as JSON (schema: docs/measurement-json.md)
  --out <file>            also write the JSON record to this file (for \`remnant growth\`)

Series with missing slices or non-uniform slice spacing are refused (volumes on them would be wrong).

Exit codes: 0 measured; 1 bad input data (the message names the file and the problem); 2 usage error.`;

export function parseMeasureArgs(argv: string[]): MeasureArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        series: { type: 'string' },
        'series-uid': { type: 'string' },
        labels: { type: 'string' },
        liver: { type: 'string' },
        tumour: { type: 'string', multiple: true },
        tumor: { type: 'string', multiple: true },
        flr: { type: 'string' },
        'height-cm': { type: 'string' },
        'weight-kg': { type: 'string' },
        bsa: { type: 'string' },
        'bsa-formula': { type: 'string' },
        'tlv-formula': { type: 'string' },
        chemo: { type: 'boolean' },
        'no-chemo': { type: 'boolean' },
        sex: { type: 'string' },
        mebrofenin: { type: 'string' },
        threshold: { type: 'string' },
        'threshold-chemo': { type: 'string' },
        'fractional-threshold': { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (!v.series) throw new UsageError('--series <dir> is required');
  if (!v.labels) throw new UsageError('--labels <file> is required');
  if (!v.liver) throw new UsageError('--liver <segment numbers> is required: the liver role must be mapped (see the segment list printed by a failed run or by the label file)');
  const bsaFormula = v['bsa-formula'];
  if (bsaFormula !== undefined && !BSA_IDS.includes(bsaFormula as BsaFormulaId)) throw new UsageError(`--bsa-formula: unknown formula '${bsaFormula}' (known: ${BSA_IDS.join(', ')})`);
  const tlvFormula = v['tlv-formula'];
  if (tlvFormula !== undefined && !TLV_IDS.includes(tlvFormula as TlvFormulaId)) throw new UsageError(`--tlv-formula: unknown formula '${tlvFormula}' (known: ${TLV_IDS.join(', ')})`);
  const sex = v.sex?.toUpperCase();
  if (sex !== undefined && sex !== 'F' && sex !== 'M' && sex !== 'O') throw new UsageError(`--sex: expected F, M or O, got '${v.sex}'`);
  const fractionalThreshold = parseNumber('--fractional-threshold', v['fractional-threshold']);
  if (fractionalThreshold !== undefined && !(fractionalThreshold > 0 && fractionalThreshold <= 1)) {
    throw new UsageError(`--fractional-threshold must be in (0, 1], got ${fractionalThreshold}`);
  }
  if (v.chemo && v['no-chemo']) throw new UsageError('--chemo and --no-chemo contradict each other: give one');
  const result: MeasureArgs = {
    seriesDir: v.series,
    labelsFile: v.labels,
    mapping: {
      liver: parseSegmentList('--liver', v.liver),
      tumours: parseTumourList([...(v.tumour ?? []), ...(v.tumor ?? [])]),
      flr: v.flr === undefined ? [] : parseSegmentList('--flr', v.flr),
    },
    chemotherapy: v.chemo ? true : v['no-chemo'] ? false : null,
    json: v.json ?? false,
  };
  const optional: Partial<MeasureArgs> = {
    seriesUid: v['series-uid'],
    heightCm: parseNumber('--height-cm', v['height-cm']),
    weightKg: parseNumber('--weight-kg', v['weight-kg']),
    bsaM2: parseNumber('--bsa', v.bsa),
    bsaFormula: bsaFormula as BsaFormulaId | undefined,
    tlvFormula: tlvFormula as TlvFormulaId | undefined,
    sex: sex as MeasureArgs['sex'],
    mebrofenin: parseNumber('--mebrofenin', v.mebrofenin),
    thresholdNormalPct: parseNumber('--threshold', v.threshold),
    thresholdChemoPct: parseNumber('--threshold-chemo', v['threshold-chemo']),
    fractionalThreshold,
    out: v.out,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (result as unknown as Record<string, unknown>)[key] = value;
  return result;
}

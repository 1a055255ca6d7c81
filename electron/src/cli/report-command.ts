import type { Anthropometrics } from '../../../wasm/src/measure/index.ts';
import { MeasureInputError } from '../services/measure/measure-series.ts';
import { prepareReport, signAndWriteReport } from '../services/report/report-service.ts';
import { openSigner } from '../services/report/signed-report.ts';
import { ReportOutputError } from '../services/report/write-files.ts';
import { KeystoreError, readPassphraseFile } from '../services/signing/keystore.ts';
import type { CliCommand, CliIo } from './main.ts';
import { MEASURE_USAGE, UsageError, parseMeasureArgs } from './measure-args.ts';
import type { MeasureArgs } from './measure-args.ts';

// ---- Arguments: the report's own flags are taken out first; the rest (series, labels, roles, anthropometrics) goes
// to parseMeasureArgs unchanged, so `report` and `measure` accept exactly the same measurement flags.

export interface ReportArgs {
  measure: MeasureArgs;
  p12File: string;
  passphraseFile: string;
  signerName: string;
  signerRole: string;
  meaning?: string;
  subjectId: string;
  timepoint: string;
  outDir: string;
  baselineFile?: string;
}

const REPORT_FLAGS = ['p12', 'passphrase-file', 'signer-name', 'signer-role', 'meaning', 'subject', 'timepoint', 'out', 'baseline'] as const;
type ReportFlag = (typeof REPORT_FLAGS)[number];

/** Separates `--flag value` / `--flag=value` of the given flags from the other arguments. */
export function extractFlags<F extends string>(argv: string[], flags: readonly F[]): { values: Partial<Record<F, string>>; rest: string[] } {
  const values: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (let n = 0; n < argv.length; n++) {
    const arg = argv[n] as string;
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1] as F | undefined;
    if (!match || flag === undefined || !flags.includes(flag)) {
      rest.push(arg);
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      value = argv[n + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${flag} needs a value`);
      n++;
    }
    if (values[flag] !== undefined) throw new UsageError(`--${flag} given twice`);
    values[flag] = value;
  }
  return { values, rest };
}

export const REPORT_USAGE = `remnant report --series <dir> --labels <file> --liver <n,...> [--tumour ...] [--flr ...] [measure options]
               --p12 <file> --passphrase-file <file> --signer-name <name> [--signer-role <role>] [--meaning <text>]
               --subject <id> --timepoint <label> --out <dir> [--baseline <record.json>]

Measure one series and write a signed volumetry report:
  <subject>_<timepoint>_volumetry.pdf       the report, signed (PAdES-style CMS, /SubFilter /ETSI.CAdES.detached)
  <subject>_<timepoint>_volumetry.json      the same numbers and hashes, machine-readable
  <subject>_<timepoint>_volumetry.json.p7s  detached CMS signature (DER) over the exact JSON bytes
and lists the files written with their SHA-256.

Signing
  --p12 <file>              the reviewer's PKCS#12 keystore (remnant keys create, or one from your CA)
  --passphrase-file <file>  file whose first line is the keystore passphrase (read for every signing)
  --signer-name <name>      printed name of the signer
  --signer-role <role>      role printed with the signature (default Reviewer)
  --meaning <text>          meaning of the signature (default "<role>: volumetry performed and approved")
Report
  --subject <id>            trial subject ID
  --timepoint <label>       timepoint label (e.g. baseline, week-3)
  --out <dir>               output folder (created if missing)
  --baseline <record.json>  baseline report or measurement record: adds growth (DH, KGR)

Measurement options (as for remnant measure):
${MEASURE_USAGE.split('\n').slice(4).join('\n')}`;

export function parseReportArgs(argv: string[]): ReportArgs {
  const { values, rest } = extractFlags<ReportFlag>(argv, REPORT_FLAGS);
  const measure = parseMeasureArgs(rest);
  const required: Array<[ReportFlag, string]> = [
    ['p12', '--p12 <file> is required: the signer keystore'],
    ['passphrase-file', '--passphrase-file <file> is required'],
    ['signer-name', '--signer-name <name> is required'],
    ['subject', '--subject <id> is required'],
    ['timepoint', '--timepoint <label> is required'],
    ['out', '--out <dir> is required'],
  ];
  for (const [flag, message] of required) if (values[flag] === undefined || (values[flag] as string).trim() === '') throw new UsageError(message);
  // A signed report never leaves the applicable threshold to a default.
  if (measure.chemotherapy === null) throw new UsageError('--chemo or --no-chemo is required for a signed report: record whether the liver is chemotherapy-damaged');
  const result: ReportArgs = {
    measure,
    p12File: values.p12 as string,
    passphraseFile: values['passphrase-file'] as string,
    signerName: values['signer-name'] as string,
    signerRole: values['signer-role'] ?? 'Reviewer',
    subjectId: values.subject as string,
    timepoint: values.timepoint as string,
    outDir: values.out as string,
  };
  if (values.meaning !== undefined) result.meaning = values.meaning;
  if (values.baseline !== undefined) result.baselineFile = values.baseline;
  return result;
}

function anthropometricsOf(args: ReportArgs['measure']): Anthropometrics {
  const a: Anthropometrics = { chemotherapy: args.chemotherapy };
  if (args.heightCm !== undefined) a.heightCm = args.heightCm;
  if (args.weightKg !== undefined) a.weightKg = args.weightKg;
  if (args.bsaM2 !== undefined) a.bsaM2 = args.bsaM2;
  if (args.sex !== undefined) a.sex = args.sex;
  if (args.mebrofenin !== undefined) a.mebrofeninFlrFunctionPctPerMinPerM2 = args.mebrofenin;
  return a;
}

async function run(args: ReportArgs, io: CliIo): Promise<number> {
  const m = args.measure;
  // Inputs that need no measurement are checked first, so a bad keystore fails fast.
  const signingTime = new Date();
  const signer = await openSigner(args.p12File, await readPassphraseFile(args.passphraseFile), signingTime);
  const prepared = await prepareReport({
    measure: {
      seriesDir: m.seriesDir,
      labelsFile: m.labelsFile,
      mapping: m.mapping,
      anthropometrics: anthropometricsOf(m),
      ...(m.seriesUid !== undefined ? { seriesUid: m.seriesUid } : {}),
      ...(m.bsaFormula !== undefined ? { bsaFormula: m.bsaFormula } : {}),
      ...(m.tlvFormula !== undefined ? { tlvFormula: m.tlvFormula } : {}),
      ...(m.thresholdNormalPct !== undefined ? { thresholdNormalPct: m.thresholdNormalPct } : {}),
      ...(m.thresholdChemoPct !== undefined ? { thresholdChemoPct: m.thresholdChemoPct } : {}),
      ...(m.fractionalThreshold !== undefined ? { fractionalThreshold: m.fractionalThreshold } : {}),
    },
    ...(args.baselineFile !== undefined ? { baselineFile: args.baselineFile } : {}),
  });
  const { report, files } = await signAndWriteReport({
    prepared,
    signer,
    signerName: args.signerName,
    signerRole: args.signerRole,
    subjectId: args.subjectId,
    timepoint: args.timepoint,
    outDir: args.outDir,
    signingTime,
    ...(args.meaning !== undefined ? { meaning: args.meaning } : {}),
  });
  const r = report.record.measurement;
  io.stdout.write(`Signed report for subject ${args.subjectId}, ${args.timepoint}: ${r.verdict.status.toUpperCase()} (${r.verdict.reason})\n`);
  io.stdout.write(`Signed by ${args.signerName} (${args.signerRole}) at ${report.record.signer.signedAt}; certificate ${signer.certificate.subject}\n`);
  io.stdout.write('Files written (SHA-256):\n');
  for (const f of files) io.stdout.write(`  ${f.sha256}  ${f.path}\n`);
  return 0;
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'measure and write the signed PDF report, JSON record (+ .p7s) and standard exports',
  usage: REPORT_USAGE,
  async run(argv, io) {
    let args: ReportArgs;
    try {
      args = parseReportArgs(argv);
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr.write(`remnant report: ${error.message}\n\nRun \`remnant report --help\` for the options.\n`);
        return 2;
      }
      throw error;
    }
    try {
      return await run(args, io);
    } catch (error) {
      if (error instanceof KeystoreError || error instanceof MeasureInputError || error instanceof ReportOutputError) {
        io.stderr.write(`remnant report: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

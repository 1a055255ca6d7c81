import { readFile } from 'node:fs/promises';
import { assertMeasurementRecord, formatGrowthText, growthRecord } from '../../../wasm/src/measure/index.ts';
import type { GrowthOptions, MeasurementRecord } from '../../../wasm/src/measure/index.ts';
import { errorMessage, parseCommandArgs, USAGE_ERROR } from './cli-args.ts';
import type { CliCommand, CliIo } from './main.ts';

const USAGE = `remnant growth <baseline.json> <followup.json> [--interval-days <days>] [--allow-protocol-mismatch] [--allow-subject-mismatch] [--json]

Growth of the FLR between two measurement records written by \`remnant measure --json\` (or --out):
  DH  = sFLR(follow-up) - sFLR(baseline), in percentage points
  KGR = DH / weeks elapsed, in %/week (weeks from the series dates, or from --interval-days)
  relative FLR growth = (FLR follow-up - FLR baseline) / FLR baseline, in %

  --interval-days <days>        explicit interval between the scans (overrides the series dates)
  --allow-protocol-mismatch     accept records measured under different protocols (flagged as an error in the output)
  --allow-subject-mismatch      accept records of different subjects (different PatientID SHA-256, e.g. a re-issued
                                PatientID; flagged as an error in the output)
  --json                        the growth record as JSON (schema: docs/measurement-json.md)

Exit codes: 0 computed; 1 bad input (unreadable or invalid record, follow-up not after baseline, protocol or subject
mismatch); 2 usage error.`;

async function loadRecord(file: string, io: CliIo): Promise<MeasurementRecord | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.stderr.write(`remnant growth: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return null;
  }
  try {
    return assertMeasurementRecord(JSON.parse(text), file);
  } catch (error) {
    io.stderr.write(`remnant growth: ${file} is not a measurement record: ${errorMessage(error)}\n`);
    return null;
  }
}

export const growthCommand: CliCommand = {
  name: 'growth',
  summary: 'degree of hypertrophy (DH) and kinetic growth rate (KGR) between two measurements',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandArgs(
      io,
      'growth',
      USAGE,
      argv,
      {
        'interval-days': { type: 'string' },
        'allow-protocol-mismatch': { type: 'boolean', default: false },
        'allow-subject-mismatch': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      } as const,
      (p) => {
        if (p.positionals.length !== 2) throw new Error(`expected <baseline.json> <followup.json>, got ${p.positionals.length} file(s)`);
      },
    );
    if (!parsed) return USAGE_ERROR;
    const options: GrowthOptions = {
      allowProtocolMismatch: parsed.values['allow-protocol-mismatch'] ?? false,
      allowSubjectMismatch: parsed.values['allow-subject-mismatch'] ?? false,
    };
    const intervalText = parsed.values['interval-days'];
    if (intervalText !== undefined) {
      const days = Number(intervalText);
      if (intervalText.trim() === '' || !Number.isFinite(days)) {
        io.stderr.write(`remnant growth: --interval-days: '${intervalText}' is not a number\n`);
        return USAGE_ERROR;
      }
      options.intervalDays = days;
    }
    const [baselineFile, followupFile] = parsed.positionals as [string, string];
    const baseline = await loadRecord(baselineFile, io);
    const followup = await loadRecord(followupFile, io);
    if (!baseline || !followup) return 1;
    try {
      const record = growthRecord(baseline, followup, options);
      io.stdout.write(parsed.values.json ? `${JSON.stringify(record, null, 2)}\n` : `${formatGrowthText(record)}\n`);
      return 0;
    } catch (error) {
      io.stderr.write(`remnant growth: ${baselineFile} -> ${followupFile}: ${errorMessage(error)}\n`);
      return 1;
    }
  },
};

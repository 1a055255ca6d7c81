import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { assertMeasurementRecord, formatGrowthText, growthRecord } from '../../../wasm/src/measure/index.ts';
import type { GrowthOptions, MeasurementRecord } from '../../../wasm/src/measure/index.ts';
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
    io.stderr.write(`remnant growth: ${file} is not a measurement record: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  }
}

export const growthCommand: CliCommand = {
  name: 'growth',
  summary: 'degree of hypertrophy (DH) and kinetic growth rate (KGR) between two measurements',
  usage: USAGE,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          'interval-days': { type: 'string' },
          'allow-protocol-mismatch': { type: 'boolean', default: false },
          'allow-subject-mismatch': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      });
    } catch (error) {
      io.stderr.write(`remnant growth: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
      return 2;
    }
    if (parsed.positionals.length !== 2) {
      io.stderr.write(`remnant growth: expected <baseline.json> <followup.json>, got ${parsed.positionals.length} file(s)\n\n${USAGE}\n`);
      return 2;
    }
    const options: GrowthOptions = {
      allowProtocolMismatch: parsed.values['allow-protocol-mismatch'] ?? false,
      allowSubjectMismatch: parsed.values['allow-subject-mismatch'] ?? false,
    };
    const intervalText = parsed.values['interval-days'];
    if (intervalText !== undefined) {
      const days = Number(intervalText);
      if (intervalText.trim() === '' || !Number.isFinite(days)) {
        io.stderr.write(`remnant growth: --interval-days: '${intervalText}' is not a number\n`);
        return 2;
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
      io.stderr.write(`remnant growth: ${baselineFile} -> ${followupFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  },
};

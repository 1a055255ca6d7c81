import { writeFile } from 'node:fs/promises';
import { formatMeasurementText } from '../../../wasm/src/measure/index.ts';
import type { Anthropometrics } from '../../../wasm/src/measure/index.ts';
import { MeasureInputError, measureSeries } from '../services/measure/measure-series.ts';
import type { CliCommand } from './main.ts';
import { MEASURE_USAGE, UsageError, parseMeasureArgs } from './measure-args.ts';

export const measureCommand: CliCommand = {
  name: 'measure',
  summary: 'volumes, sTLV, sFLR and the verdict for one series and one label file',
  usage: MEASURE_USAGE,
  async run(argv, io) {
    let args;
    try {
      args = parseMeasureArgs(argv);
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr.write(`remnant measure: ${error.message}\n\n${MEASURE_USAGE}\n`);
        return 2;
      }
      throw error;
    }
    const anthropometrics: Anthropometrics = { chemotherapy: args.chemotherapy };
    if (args.heightCm !== undefined) anthropometrics.heightCm = args.heightCm;
    if (args.weightKg !== undefined) anthropometrics.weightKg = args.weightKg;
    if (args.bsaM2 !== undefined) anthropometrics.bsaM2 = args.bsaM2;
    if (args.sex !== undefined) anthropometrics.sex = args.sex;
    if (args.mebrofenin !== undefined) anthropometrics.mebrofeninFlrFunctionPctPerMinPerM2 = args.mebrofenin;
    try {
      const { record } = await measureSeries({
        seriesDir: args.seriesDir,
        labelsFile: args.labelsFile,
        mapping: args.mapping,
        anthropometrics,
        ...(args.seriesUid !== undefined ? { seriesUid: args.seriesUid } : {}),
        ...(args.bsaFormula !== undefined ? { bsaFormula: args.bsaFormula } : {}),
        ...(args.tlvFormula !== undefined ? { tlvFormula: args.tlvFormula } : {}),
        ...(args.thresholdNormalPct !== undefined ? { thresholdNormalPct: args.thresholdNormalPct } : {}),
        ...(args.thresholdChemoPct !== undefined ? { thresholdChemoPct: args.thresholdChemoPct } : {}),
        ...(args.fractionalThreshold !== undefined ? { fractionalThreshold: args.fractionalThreshold } : {}),
      });
      const json = `${JSON.stringify(record, null, 2)}\n`;
      if (args.out !== undefined) {
        try {
          await writeFile(args.out, json, { flag: 'w' });
        } catch (error) {
          io.stderr.write(`remnant measure: cannot write ${args.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
          return 1;
        }
      }
      io.stdout.write(args.json ? json : `${formatMeasurementText(record)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof MeasureInputError) {
        io.stderr.write(`remnant measure: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

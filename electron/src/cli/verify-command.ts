import { verifyReportFile } from '../services/report/verify-report.ts';
import type { VerifyOptions } from '../services/report/verify-report.ts';
import { parseCommandArgs, USAGE_ERROR } from './cli-args.ts';
import type { CliCommand } from './main.ts';

const USAGE = `remnant verify <report.pdf | record.json> [--series <dir>] [--labels <file>]

Verify a signed report:
  PDF   every signature (CMS SHA-256 digest over its ByteRange, messageDigest, signer certificate hash, RSA/ECDSA
        signature), whole-document coverage (each signature covers revision N of M; the last one reaches EOF), /Contents
        canonical (one DER object, zero padding), signer certificate (subject, issuer, serial, validity at signing time).
  JSON  the detached CMS signature <record.json>.p7s over the exact JSON bytes; the PDF beside it (revision 1 SHA-256).
  --series <dir>   also check every input instance against its signed SHA-256
  --labels <file>  also check the label file against its signed SHA-256

Exit codes: 0 verified; 1 any failure (each reason printed); 2 usage error.`;

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify the signatures of a report PDF or JSON record, and the inputs against their hashes',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandArgs(io, 'verify', USAGE, argv, { series: { type: 'string' }, labels: { type: 'string' } } as const, (p) => {
      if (p.positionals.length !== 1) throw new Error(`expected one report file, got ${p.positionals.length}`);
    });
    if (!parsed) return USAGE_ERROR;
    const options: VerifyOptions = {};
    if (parsed.values.series !== undefined) options.seriesDir = parsed.values.series;
    if (parsed.values.labels !== undefined) options.labelsFile = parsed.values.labels;
    const result = await verifyReportFile(parsed.positionals[0] as string, options);
    for (const line of result.lines) io.stdout.write(`${line}\n`);
    if (result.ok) {
      io.stdout.write('VERIFIED\n');
      return 0;
    }
    for (const f of result.failures) io.stderr.write(`remnant verify: FAILED: ${f}\n`);
    return 1;
  },
};

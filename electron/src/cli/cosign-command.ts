import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../services/report/report-data.ts';
import { cosignReport, openSigner } from '../services/report/signed-report.ts';
import { ReportOutputError, writeFilesAtomic } from '../services/report/write-files.ts';
import { KeystoreError, readPassphraseFile } from '../services/signing/keystore.ts';
import { errorMessage, parseCommandArgs, readErrorReason, requireFlags, USAGE_ERROR } from './cli-args.ts';
import type { CliCommand } from './main.ts';

const USAGE = `remnant cosign <report.pdf> --p12 <file> --passphrase-file <file> --signer-name <name> --signer-role <role>
               [--meaning <text>] [--out <file>]

Co-sign a signed report (second reviewer, adjudicator): appends a new signed revision (incremental update) with its
own signature field; earlier signatures stay valid. The co-signature is shown in the next free co-signature box of the
signature page. The existing signatures must verify first.

  --p12 <file>              the co-signer's PKCS#12 keystore
  --passphrase-file <file>  file whose first line is the keystore passphrase (read for every signing)
  --signer-name <name>      printed name of the co-signer
  --signer-role <role>      e.g. "Second reviewer", "Adjudicator"
  --meaning <text>          meaning of the signature (default "<role>: report reviewed and co-signed")
  --out <file>              write the co-signed PDF here (default: replace <report.pdf> atomically)

Exit codes: 0 co-signed; 1 bad input (keystore, passphrase, certificate, report, output); 2 usage error.`;

export const cosignCommand: CliCommand = {
  name: 'cosign',
  summary: 'add a co-signature (second reviewer, adjudicator) to a signed report',
  usage: USAGE,
  async run(argv, io) {
    const options = {
      p12: { type: 'string' },
      'passphrase-file': { type: 'string' },
      'signer-name': { type: 'string' },
      'signer-role': { type: 'string' },
      meaning: { type: 'string' },
      out: { type: 'string' },
    } as const;
    const parsed = parseCommandArgs(io, 'cosign', USAGE, argv, options, (p) => {
      if (p.positionals.length !== 1) throw new Error(`expected one <report.pdf>, got ${p.positionals.length}`);
      requireFlags(p.values, ['p12', 'passphrase-file', 'signer-name', 'signer-role']);
    });
    if (!parsed) return USAGE_ERROR;
    const v = parsed.values;
    const input = parsed.positionals[0] as string;
    const out = v.out ?? input;
    try {
      const signingTime = new Date();
      const signer = await openSigner(v.p12 as string, await readPassphraseFile(v['passphrase-file'] as string), signingTime);
      let pdf: Uint8Array;
      try {
        pdf = new Uint8Array(await readFile(input));
      } catch (error) {
        throw new ReportOutputError(`${input}: cannot read the report (${readErrorReason(error)})`);
      }
      let cosigned: Uint8Array;
      try {
        cosigned = await cosignReport(pdf, input, {
          signer,
          signerName: v['signer-name'] as string,
          signerRole: v['signer-role'] as string,
          signingTime,
          ...(v.meaning !== undefined ? { meaning: v.meaning } : {}),
        });
      } catch (error) {
        const message = errorMessage(error);
        throw new ReportOutputError(message.startsWith(input) ? message : `${input}: ${message}`);
      }
      await writeFilesAtomic(path.dirname(out), [{ name: path.basename(out), bytes: cosigned }]);
      io.stdout.write(`Co-signed by ${v['signer-name'] as string} (${v['signer-role'] as string}); certificate ${signer.certificate.subject}\n  ${sha256Hex(cosigned)}  ${out}\n`);
      return 0;
    } catch (error) {
      if (error instanceof KeystoreError || error instanceof ReportOutputError) {
        io.stderr.write(`remnant cosign: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../services/report/report-data.ts';
import { ReportOutputError, writeFilesAtomic } from '../services/report/write-files.ts';
import { KeystoreError, createSelfSignedP12, loadP12, readPassphraseFile } from '../services/signing/keystore.ts';
import { errorMessage, readErrorReason, requireFlags, usageError } from './cli-args.ts';
import type { CliCommand, CliIo } from './main.ts';

const USAGE = `remnant keys create --name <reviewer name> --org <trial site> --out <reviewer.p12> --passphrase-file <file>
                    [--valid-days <days> | --not-before <ISO date> --not-after <ISO date>] [--country <CC>] [--email <addr>]
remnant keys show <file.p12> --passphrase-file <file>

create  a reviewer signing identity: RSA-3072 key and a self-signed X.509 certificate (CN = name, O = trial site,
        digitalSignature + nonRepudiation), in a PKCS#12 file: key encrypted with AES-256-CBC (PBES2, PBKDF2-HMAC-SHA-256,
        20000 iterations), file integrity HMAC-SHA-1. Default validity: from now for 730 days. Refuses to overwrite.
show    opens a .p12 (created here or issued by a CA: RSA keys) and prints the certificate: checks an import.

Exit codes: 0 done; 1 bad input (passphrase, file, certificate); 2 usage error.`;

function parseDate(flag: string, text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag}: '${text}' is not an ISO date`);
  return d;
}

async function create(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      name: { type: 'string' },
      org: { type: 'string' },
      out: { type: 'string' },
      'passphrase-file': { type: 'string' },
      'valid-days': { type: 'string' },
      'not-before': { type: 'string' },
      'not-after': { type: 'string' },
      country: { type: 'string' },
      email: { type: 'string' },
    },
  });
  requireFlags(values, ['name', 'org', 'out', 'passphrase-file']);
  const notBefore = values['not-before'] ? parseDate('--not-before', values['not-before']) : new Date();
  let notAfter: Date;
  if (values['not-after']) notAfter = parseDate('--not-after', values['not-after']);
  else {
    const days = Number(values['valid-days'] ?? '730');
    if (!(Number.isFinite(days) && days > 0)) throw new Error(`--valid-days: '${values['valid-days']}' is not a positive number`);
    notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  }
  const out = values.out as string;
  try {
    const passphrase = await readPassphraseFile(values['passphrase-file'] as string);
    const exists = await readFile(out).then(() => true, () => false);
    if (exists) throw new ReportOutputError(`${out}: already exists; not overwriting a keystore`);
    const created = createSelfSignedP12({
      commonName: values.name as string,
      organization: values.org as string,
      notBefore,
      notAfter,
      passphrase,
      ...(values.country ? { country: values.country } : {}),
      ...(values.email ? { email: values.email } : {}),
    });
    const [written] = await writeFilesAtomic(path.dirname(out), [{ name: path.basename(out), bytes: created.p12Der }]);
    const c = created.certificate;
    io.stdout.write(`Created ${out} (SHA-256 ${written?.sha256 ?? sha256Hex(created.p12Der)})\n  subject ${c.subject} (self-signed)\n  serial ${c.serialNumberHex}; ${c.publicKey}\n  valid ${c.validFrom} .. ${c.validTo}\n  certificate SHA-256 ${c.sha256}\n`);
    return 0;
  } catch (error) {
    if (error instanceof KeystoreError || error instanceof ReportOutputError) {
      io.stderr.write(`remnant keys create: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { 'passphrase-file': { type: 'string' } } });
  if (positionals.length !== 1 || !values['passphrase-file']) throw new Error('expected <file.p12> --passphrase-file <file>');
  const file = positionals[0] as string;
  try {
    const passphrase = await readPassphraseFile(values['passphrase-file']);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new KeystoreError(`${file}: cannot read the certificate file (${readErrorReason(error)})`);
    }
    const signer = loadP12(bytes, passphrase, file);
    const c = signer.certificate;
    const now = Date.now();
    const state = now > Date.parse(c.validTo) ? 'EXPIRED' : now < Date.parse(c.validFrom) ? 'NOT YET VALID' : 'valid now';
    io.stdout.write(`${file}\n  subject ${c.subject}\n  issuer  ${c.issuer}${c.selfSigned ? ' (self-signed)' : ''}\n  serial ${c.serialNumberHex}; ${c.publicKey}\n  valid ${c.validFrom} .. ${c.validTo} (${state})\n  certificate SHA-256 ${c.sha256}\n  chain: ${signer.chainDer.length} further certificate(s)\n`);
    return 0;
  } catch (error) {
    if (error instanceof KeystoreError) {
      io.stderr.write(`remnant keys show: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'create a self-signed reviewer certificate (.p12) or inspect one',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'create') return await create(rest, io);
      if (sub === 'show') return await show(rest, io);
      throw new Error(sub === undefined ? 'expected a sub-command: create or show' : `unknown sub-command '${sub}'`);
    } catch (error) {
      return usageError(io, 'keys', errorMessage(error), USAGE);
    }
  },
};

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATIENT, generatePhantom, writePhantomLabelsNifti, writePhantomSeries } from '../../../fixtures/src/phantom/index.ts';
import { parseDicomHeader } from '../../../wasm/src/dicom/header.ts';
import { main } from './main.ts';
import type { MeasurementRecord } from '../../../wasm/src/measure/record.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function remnant(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-report-'));
const seriesDir = path.join(tmp, 'series');
const labelsFile = path.join(tmp, 'labels.nii.gz');
const pass = path.join(tmp, 'pass.txt');
const wrongPass = path.join(tmp, 'wrong.txt');
const p12 = path.join(tmp, 'reviewer.p12');
const adjudicatorP12 = path.join(tmp, 'adjudicator.p12');
const expiredP12 = path.join(tmp, 'expired.p12');
const measureFlags = ['--series', seriesDir, '--labels', labelsFile, '--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2', '--height-cm', '172', '--weight-kg', '78', '--no-chemo'];
const signFlags = (key: string, passFile: string, out: string): string[] => [
  '--p12', key, '--passphrase-file', passFile, '--signer-name', 'Lovelace^Ada', '--signer-role', 'Reviewer', '--subject', 'DR2-007', '--timepoint', 'week-3', '--out', out,
];

function pdfsig(file: string): string {
  const run = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`;
}

let outDir = '';
let pdfFile = '';
let jsonFile = '';

beforeAll(async () => {
  const phantom = generatePhantom({ rows: 48, columns: 48, sliceCount: 24, pixelSpacingMm: [6, 6], sliceSpacingMm: 8, seed: 'report-cli' });
  await writePhantomSeries(phantom, seriesDir);
  await writePhantomLabelsNifti(phantom, labelsFile);
  writeFileSync(pass, 'correct horse battery\n');
  writeFileSync(wrongPass, 'not the passphrase\n');
  for (const [file, name, extra] of [
    [p12, 'Ada Lovelace', []],
    [adjudicatorP12, 'Grace Hopper', []],
    [expiredP12, 'Old Key', ['--not-before', '2020-01-01T00:00:00Z', '--not-after', '2021-01-01T00:00:00Z']],
  ] as Array<[string, string, string[]]>) {
    const run = await remnant('keys', 'create', '--name', name, '--org', 'Site 12 Maastricht', '--out', file, '--passphrase-file', pass, ...extra);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
  outDir = path.join(tmp, 'out');
  const run = await remnant('report', ...measureFlags, ...signFlags(p12, pass, outDir));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  pdfFile = path.join(outDir, 'DR2-007_week-3_volumetry.pdf');
  jsonFile = path.join(outDir, 'DR2-007_week-3_volumetry.json');
});

describe('remnant keys', () => {
  it('creates an AES-256 PKCS#12 that openssl reads, and shows it only with the right passphrase', async () => {
    const info = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-in', p12, '-passin', 'pass:correct horse battery'], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stderr).toContain('AES-256-CBC');
    const shown = await remnant('keys', 'show', p12, '--passphrase-file', pass);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('CN=Ada Lovelace, O=Site 12 Maastricht');
    expect(shown.stdout).toContain('RSA 3072 bit');
    const wrong = await remnant('keys', 'show', p12, '--passphrase-file', wrongPass);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`${p12}: wrong passphrase`);
    const again = await remnant('keys', 'create', '--name', 'X', '--org', 'Y', '--out', p12, '--passphrase-file', pass);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });
});

describe('remnant keys with a non-ASCII name', () => {
  it('writes the subject as UTF8String, so openssl and pdfsig show "Müller^Jo" (not Latin-1 bytes in a PrintableString)', async () => {
    const file = path.join(tmp, 'mueller.p12');
    const created = await remnant('keys', 'create', '--name', 'Müller^Jo', '--org', 'Sité 12', '--out', file, '--passphrase-file', pass);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('CN=Müller^Jo, O=Sité 12');
    const pem = spawnSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:correct horse battery', '-nokeys'], { encoding: 'utf8' }).stdout;
    const certPem = spawnSync('openssl', ['x509'], { input: pem, encoding: 'utf8' }).stdout;
    const parsed = spawnSync('openssl', ['asn1parse'], { input: certPem, encoding: 'utf8' }).stdout;
    expect(parsed).toMatch(/commonName\s*\n.*UTF8STRING/);
    expect(parsed).not.toContain('PRINTABLESTRING');
    const out = path.join(tmp, 'out-mueller-key');
    const run = await remnant('report', ...measureFlags, ...signFlags(file, pass, out));
    expect(run.code).toBe(0);
    expect(pdfsig(path.join(out, 'DR2-007_week-3_volumetry.pdf'))).toContain('Signer Certificate Common Name: Müller^Jo');
  });
});

describe('remnant report', () => {
  it('writes a signed PDF that pdfsig, qpdf and remnant verify accept, with the JSON record, .p7s and exports', async () => {
    const names = readdirSync(outDir);
    expect(names).toEqual(expect.arrayContaining(['DR2-007_week-3_volumetry.pdf', 'DR2-007_week-3_volumetry.json', 'DR2-007_week-3_volumetry.json.p7s']));
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const sig = pdfsig(pdfFile);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Total document signed');
    expect(sig).toContain('ETSI.CAdES.detached');
    expect(spawnSync('qpdf', ['--check', pdfFile]).status).toBe(0);
    const verified = await remnant('verify', pdfFile, '--series', seriesDir, '--labels', labelsFile);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('covers revision 2 of 2 (whole document)');
    expect(verified.stdout).toContain('24 of 24 instance(s)');
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { measurement: { volumes: { flrMl: number } }; inputs: { instances: unknown[] }; signer: { signedAt: string } };
    expect(json.inputs.instances).toHaveLength(24);
    expect(json.signer.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const jsonVerified = await remnant('verify', jsonFile, '--series', seriesDir);
    expect(jsonVerified.code).toBe(0);
    expect(jsonVerified.stdout).toContain('revision 1 matches');
    // The detached signature is standard CMS: openssl verifies it over the JSON bytes.
    const ossl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${jsonFile}.p7s`, '-content', jsonFile, '-noverify', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(ossl.stderr).toContain('Verification successful');
  });

  it('prints the sTLV in mL and every formula with the patient\'s numbers filled in', () => {
    const record = (JSON.parse(readFileSync(jsonFile, 'utf8')) as { measurement: MeasurementRecord }).measurement;
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    const bsa = (record.bsa?.valueM2 as number).toFixed(4);
    const stlv = (record.stlv?.valueMl as number).toFixed(1);
    expect(text).toContain(`BSA (Mosteller) = sqrt(172 cm x 78 kg / 3600) = ${bsa} m²`);
    expect(text).toContain(`sTLV (Vauthey) = -794.41 + 1267.28 x ${bsa} m² = ${stlv} mL`);
    expect(text).toContain(`sFLR = FLR ${record.volumes.flrMl.toFixed(1)} mL / sTLV ${stlv} mL x 100 =`);
    expect(text).toContain(`FLR VOLUME: ${record.verdict.status.toUpperCase().replace('-', ' ')}`);
    expect(text).toContain('The volumetric verdict is the DRAGON 2 endpoint');
    expect(text).toMatch(/Chemotherapy\s+no/);
  });

  it('refuses to sign without --chemo or --no-chemo (usage error, nothing written)', async () => {
    const out = path.join(tmp, 'out-no-chemo');
    const run = await remnant('report', ...measureFlags.filter((f) => f !== '--no-chemo'), ...signFlags(p12, pass, out));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--chemo or --no-chemo is required for a signed report');
    expect(existsSync(out)).toBe(false);
  });

  it('verify fails on a changed input file and on a changed JSON byte', async () => {
    const otherLabels = path.join(tmp, 'other-labels.nii.gz');
    writeFileSync(otherLabels, Buffer.concat([readFileSync(labelsFile), Buffer.from([0])]));
    const run = await remnant('verify', pdfFile, '--labels', otherLabels);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${otherLabels}: SHA-256`);
    const tampered = path.join(outDir, 'tampered.json');
    const bytes = readFileSync(jsonFile);
    const at = bytes.indexOf('"flrMl"') + 10;
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
    writeFileSync(tampered, bytes);
    writeFileSync(`${tampered}.p7s`, readFileSync(`${jsonFile}.p7s`));
    const jsonRun = await remnant('verify', tampered);
    expect(jsonRun.code).toBe(1);
    expect(jsonRun.stderr).toContain('messageDigest does not match');
  });

  it('any single flipped byte of the signed PDF makes verify fail (200 spread offsets + the signature dictionary and /Contents)', async () => {
    const original = readFileSync(pdfFile);
    const text = original.toString('latin1');
    const br = /\/ByteRange \[0 (\d+) (\d+) (\d+)/.exec(text);
    expect(br).not.toBeNull();
    const gapStart = Number(br?.[1]);
    const gapEnd = Number(br?.[2]);
    const offsets = new Set<number>();
    for (let n = 0; n < 200; n++) offsets.add(Math.floor((n * (original.length - 1)) / 199));
    const sigDict = text.lastIndexOf('/Type /Sig');
    for (let d = 0; d < 120; d += 7) offsets.add(sigDict + d); // /Filter, /SubFilter, /ByteRange digits
    for (const o of [gapStart, gapStart + 1, gapStart + 2, gapStart + 50, gapStart + 3000, gapStart + 4000, gapEnd - 2, gapEnd - 1, gapEnd]) offsets.add(o);
    const cmsHexEnd = text.slice(gapStart + 1, gapEnd - 1).search(/0+$/) + gapStart + 1;
    for (const o of [cmsHexEnd - 1, cmsHexEnd, cmsHexEnd + 1, cmsHexEnd + 500]) offsets.add(o); // last DER digit and the zero padding
    const flipped = path.join(outDir, 'flipped.pdf');
    const survivors: number[] = [];
    for (const offset of offsets) {
      const copy = Buffer.from(original);
      copy[offset] = (copy[offset] as number) ^ 0xff;
      writeFileSync(flipped, copy);
      const run = await remnant('verify', flipped);
      if (run.code === 0) survivors.push(offset);
      else expect(run.stderr).toContain('FAILED');
    }
    expect(survivors).toEqual([]);
    // A case change of a hex letter leaves the same DER: rejected as non-canonical.
    const hex = text.slice(gapStart + 1, cmsHexEnd);
    const letter = gapStart + 1 + hex.search(/[a-f]/);
    const copy = Buffer.from(original);
    copy[letter] = (copy[letter] as number) - 0x20;
    writeFileSync(flipped, copy);
    const caseRun = await remnant('verify', flipped);
    expect(caseRun.code).toBe(1);
    expect(caseRun.stderr).toContain('single letter case');
  });

  it('co-signing appends a revision: pdfsig shows two valid signatures and verify reports both', async () => {
    const cosigned = path.join(outDir, 'cosigned.pdf');
    const run = await remnant('cosign', pdfFile, '--p12', adjudicatorP12, '--passphrase-file', pass, '--signer-name', 'Grace Hopper', '--signer-role', 'Adjudicator', '--out', cosigned);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(cosigned).subarray(0, readFileSync(pdfFile).length).equals(readFileSync(pdfFile))).toBe(true);
    const sig = pdfsig(cosigned);
    expect(sig).toContain('Signature #2');
    expect(sig.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(sig).toContain('Total document signed');
    expect(spawnSync('qpdf', ['--check', cosigned]).status).toBe(0);
    const verified = await remnant('verify', cosigned);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('Signature 1: VALID; ETSI.CAdES.detached; covers revision 2 of 3');
    expect(verified.stdout).toContain('Signature 2: VALID; ETSI.CAdES.detached; covers revision 3 of 3 (whole document)');
    expect(verified.stdout).toContain('CN=Grace Hopper');
  });
});

describe('remnant report with non-ASCII names (DRAGON 2: Müller, Ødegård, Łukasiewicz)', () => {
  it('signs as "Müller^Jo" on a UTF-8 patient: the PDF prints the name, SEG/SR carry it as UTF-8, a co-signer\'s exact name survives', async () => {
    const patientName = 'Ødegård^Åse';
    const phantom = generatePhantom({ rows: 48, columns: 48, sliceCount: 24, pixelSpacingMm: [6, 6], sliceSpacingMm: 8, seed: 'report-cli', patient: { ...DEFAULT_PATIENT, name: patientName } });
    const series = path.join(tmp, 'series-utf8');
    await writePhantomSeries(phantom, series);
    const out = path.join(tmp, 'out-utf8');
    const flags = ['--series', series, ...measureFlags.slice(2)];
    const run = await remnant('report', ...flags, '--p12', p12, '--passphrase-file', pass, '--signer-name', 'Müller^Jo', '--signer-role', 'Reviewer', '--subject', 'DR2-008', '--timepoint', 'baseline', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Signed by Müller^Jo (Reviewer)');
    const pdf = path.join(out, 'DR2-008_baseline_volumetry.pdf');
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/Signed by\s+Müller\^Jo\n/);
    expect(spawnSync('pdfinfo', ['-enc', 'UTF-8', pdf], { encoding: 'utf8' }).stdout).toMatch(/Author:\s+Müller\^Jo/);
    expect(pdfsig(pdf)).toContain('Signature is Valid.');
    const record = JSON.parse(readFileSync(path.join(out, 'DR2-008_baseline_volumetry.json'), 'utf8')) as { signer: { name: string } };
    expect(record.signer.name).toBe('Müller^Jo');
    // SEG ContentCreatorName and the patient's name re-import through our header parser; the SR observer through dsrdump.
    const seg = parseDicomHeader(new Uint8Array(readFileSync(path.join(out, 'seg.dcm'))));
    if (!seg.ok) throw new Error(seg.message);
    expect(seg.header.specificCharacterSet).toEqual(['ISO_IR 192']);
    expect(seg.header.contentCreatorName).toBe('Müller^Jo');
    expect(seg.header.patientName).toBe(patientName);
    const sr = spawnSync('dsrdump', ['+U8', '+Pc', path.join(out, 'sr.dcm')], { encoding: 'utf8' }).stdout;
    expect(sr).toContain('PNAME:(121008,DCM,"Person Observer Name")="Müller^Jo"');
    expect(sr).toContain(`Patient             : ${patientName}`);
    // A name Helvetica cannot print: the co-signature keeps it exactly in /Name; the report page prints it transliterated.
    const cosigned = path.join(out, 'cosigned.pdf');
    const co = await remnant('cosign', pdf, '--p12', adjudicatorP12, '--passphrase-file', pass, '--signer-name', 'Łukasiewicz^Michał', '--signer-role', 'Adjudicator', '--out', cosigned);
    expect(co.stderr).toBe('');
    expect(co.code).toBe(0);
    expect(pdfsig(cosigned).match(/Signature is Valid\./g)).toHaveLength(2);
    const verified = await remnant('verify', cosigned);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('Łukasiewicz^Michał');
  });
});

describe('remnant report and cosign refuse bad input and leave nothing behind', () => {
  const cases: Array<[string, () => string[], string]> = [
    ['wrong passphrase', () => signFlags(p12, wrongPass, path.join(tmp, 'o1')), `${p12}: wrong passphrase`],
    ['expired certificate', () => signFlags(expiredP12, pass, path.join(tmp, 'o2')), `${expiredP12}: the certificate "CN=Old Key, O=Site 12 Maastricht" expired on 2021-01-01`],
    ['missing certificate file', () => signFlags(path.join(tmp, 'nope.p12'), pass, path.join(tmp, 'o3')), `${path.join(tmp, 'nope.p12')}: cannot read the certificate file (no such file)`],
    ['output folder that cannot be created (under a regular file)', () => signFlags(p12, pass, path.join(pass, 'sub')), `${path.join(pass, 'sub')}: cannot create the output folder`],
  ];
  for (const [name, flags, message] of cases) {
    it(name, async () => {
      const before = readdirSync(tmp).sort();
      const run = await remnant('report', ...measureFlags, ...flags());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(readdirSync(tmp).sort()).toEqual(before);
    });
  }

  it('cosign with a wrong passphrase or onto an unwritable path leaves the report untouched', async () => {
    const original = readFileSync(pdfFile);
    const wrong = await remnant('cosign', pdfFile, '--p12', adjudicatorP12, '--passphrase-file', wrongPass, '--signer-name', 'G', '--signer-role', 'Adjudicator');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong passphrase');
    const blocked = await remnant('cosign', pdfFile, '--p12', adjudicatorP12, '--passphrase-file', pass, '--signer-name', 'G', '--signer-role', 'Adjudicator', '--out', path.join(pass, 'x.pdf'));
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('cannot create the output folder');
    expect(readFileSync(pdfFile).equals(original)).toBe(true);
  });
});

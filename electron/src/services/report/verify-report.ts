/**
 * `remnant verify`: a signed report PDF or a JSON record (+ its .p7s), optionally against the input files.
 * Returns human-readable lines and the list of failures (empty = verified).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CmsError, verifyDetachedCms } from '../signing/cms.ts';
import type { CertificateInfo } from '../signing/cms.ts';
import { verifyPdf } from '../signing/pdf-verify.ts';
import { REPORT_KIND, sha256Hex } from './report-data.ts';
import type { ReportData, ReportRecord } from './report-data.ts';
import { readEmbeddedReport } from './signed-report.ts';

export interface VerifyOptions {
  seriesDir?: string;
  labelsFile?: string;
}

export interface VerifyResult {
  ok: boolean;
  lines: string[];
  failures: string[];
}

function certificateLines(c: CertificateInfo, signingTime: string | null): string[] {
  const at = signingTime ? Date.parse(signingTime) : NaN;
  const valid = Number.isFinite(at) ? (at >= Date.parse(c.validFrom) && at <= Date.parse(c.validTo) ? 'valid at signing time' : 'NOT valid at signing time') : 'no signing time';
  return [
    `    subject: ${c.subject}`,
    `    issuer:  ${c.issuer}${c.selfSigned ? ' (self-signed: identity not vouched for by a CA)' : ''}`,
    `    serial:  ${c.serialNumberHex}; ${c.publicKey}; SHA-256 ${c.sha256}`,
    `    validity ${c.validFrom} .. ${c.validTo} (${valid})`,
  ];
}

async function readBytes(file: string, what: string, failures: string[]): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    failures.push(`${file}: cannot read the ${what} (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
    return null;
  }
}

/** Compares the embedded instance and label hashes with the files on disk. */
async function checkInputs(data: ReportData, options: VerifyOptions, lines: string[], failures: string[]): Promise<void> {
  if (options.seriesDir !== undefined) {
    let matched = 0;
    for (const inst of data.inputs.instances) {
      const file = path.join(options.seriesDir, ...inst.file.split('/'));
      const bytes = await readBytes(file, 'series instance', failures);
      if (!bytes) continue;
      if (sha256Hex(bytes) !== inst.sha256) failures.push(`${file}: SHA-256 ${sha256Hex(bytes)} differs from the signed ${inst.sha256}`);
      else matched++;
    }
    lines.push(`Series: ${matched} of ${data.inputs.instances.length} instance(s) in ${options.seriesDir} match the signed SHA-256`);
  }
  if (options.labelsFile !== undefined) {
    const bytes = await readBytes(options.labelsFile, 'label file', failures);
    if (bytes) {
      const actual = sha256Hex(bytes);
      if (actual !== data.inputs.labelFile.sha256) failures.push(`${options.labelsFile}: SHA-256 ${actual} differs from the signed label file hash ${data.inputs.labelFile.sha256}`);
      else lines.push(`Labels: ${options.labelsFile} matches the signed SHA-256 ${actual}`);
    }
  }
}

export async function verifyReportPdf(file: string, bytes: Uint8Array, options: VerifyOptions): Promise<VerifyResult> {
  const lines: string[] = [];
  const failures: string[] = [];
  const result = await verifyPdf(bytes);
  lines.push(`${file}: ${result.signatures.length} signature(s), ${result.revisions} revision(s)`);
  for (const s of result.signatures) {
    const coverage = s.coversRevision === null ? 'covers no complete revision' : `covers revision ${s.coversRevision} of ${result.revisions}${s.wholeDocument ? ' (whole document)' : ''}`;
    lines.push(`  Signature ${s.index}: ${s.errors.length === 0 ? 'VALID' : 'INVALID'}; ${s.subFilter ?? '?'}; ${coverage}; ByteRange [${s.byteRange.join(' ')}]`);
    if (s.name || s.reason) lines.push(`    ${s.name ?? ''}${s.reason ? `: ${s.reason}` : ''}`);
    if (s.signingTime) lines.push(`    signing time ${s.signingTime}`);
    if (s.certificate) lines.push(...certificateLines(s.certificate, s.signingTime));
    for (const e of s.errors) failures.push(`${file}: signature ${s.index}: ${e}`);
  }
  for (const e of result.errors) failures.push(`${file}: ${e}`);
  if (failures.length === 0) {
    let data: ReportData | null = null;
    try {
      data = await readEmbeddedReport(bytes);
    } catch (error) {
      failures.push(`${file}: the embedded report data cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
    if (data === null) {
      if (options.seriesDir !== undefined || options.labelsFile !== undefined) failures.push(`${file}: carries no embedded report data to check the inputs against`);
    } else {
      lines.push(`Report: subject ${data.subjectId}, ${data.timepoint}; verdict ${data.measurement.verdict.status}; FLR ${data.measurement.volumes.flrMl.toFixed(1)} mL`);
      const first = result.signatures[0];
      if (first?.certificate && first.certificate.sha256 !== data.signer.certificate.sha256) {
        failures.push(`${file}: the first signature's certificate (${first.certificate.sha256}) is not the one printed in the report (${data.signer.certificate.sha256})`);
      }
      await checkInputs(data, options, lines, failures);
    }
  }
  return { ok: failures.length === 0, lines, failures };
}

export async function verifyReportJson(file: string, bytes: Uint8Array, options: VerifyOptions): Promise<VerifyResult> {
  const lines: string[] = [];
  const failures: string[] = [];
  const p7sFile = `${file}.p7s`;
  const p7s = await readBytes(p7sFile, 'detached signature', failures);
  if (p7s) {
    try {
      const v = verifyDetachedCms(p7s, createHash('sha256').update(bytes).digest());
      const signingTime = v.signingTime?.toISOString() ?? null;
      lines.push(`${file}: detached CMS signature ${p7sFile}: ${v.errors.length === 0 ? 'VALID' : 'INVALID'} over all ${bytes.length} bytes`);
      if (signingTime) lines.push(`    signing time ${signingTime}`);
      lines.push(...certificateLines(v.certificate, signingTime));
      for (const e of v.errors) failures.push(`${p7sFile}: ${e}`);
    } catch (error) {
      failures.push(`${p7sFile}: ${error instanceof CmsError ? error.message : String(error)}`);
    }
  }
  let record: ReportRecord | null = null;
  try {
    const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as ReportRecord;
    if (parsed.kind !== REPORT_KIND) failures.push(`${file}: kind is ${JSON.stringify(parsed.kind)}, expected "${REPORT_KIND}"`);
    else record = parsed;
  } catch (error) {
    failures.push(`${file}: not a JSON report record (${error instanceof Error ? error.message : String(error)})`);
  }
  if (record && failures.length === 0) {
    lines.push(`Report: subject ${record.subjectId}, ${record.timepoint}; verdict ${record.measurement.verdict.status}; FLR ${record.measurement.volumes.flrMl.toFixed(1)} mL`);
    const pdfFile = path.join(path.dirname(file), record.pdf.fileName);
    try {
      const pdf = new Uint8Array(await readFile(pdfFile));
      const prefix = pdf.subarray(0, record.pdf.unsignedBytes);
      if (pdf.length >= record.pdf.unsignedBytes && sha256Hex(prefix) === record.pdf.unsignedSha256) lines.push(`PDF: ${pdfFile} revision 1 matches the recorded SHA-256 ${record.pdf.unsignedSha256}`);
      else failures.push(`${pdfFile}: its first revision does not match the SHA-256 recorded in ${file}`);
    } catch {
      lines.push(`PDF: ${pdfFile} not present; unsigned PDF SHA-256 ${record.pdf.unsignedSha256} not checked`);
    }
    await checkInputs(record, options, lines, failures);
  }
  return { ok: failures.length === 0, lines, failures };
}

export async function verifyReportFile(file: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const failures: string[] = [];
  const bytes = await readBytes(file, 'report', failures);
  if (!bytes) return { ok: false, lines: [], failures };
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') return verifyReportPdf(file, bytes, options);
  return verifyReportJson(file, bytes, options);
}

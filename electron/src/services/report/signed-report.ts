/**
 * Signed report, end to end: report data -> unsigned PDF (revision 1) -> PAdES-style signature (revision 2) ->
 * JSON record (+ SHA-256 of the unsigned PDF) with a detached CMS .p7s -> all files written atomically.
 * Co-signing appends one more signed revision (visible in the next free co-signature slot when there is one).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, PDFHexString } from 'pdf-lib';
import type { GrowthRecord } from '../../../../wasm/src/measure/index.ts';
import type { MeasureOutcome } from '../measure/measure-series.ts';
import { buildDetachedCms } from '../signing/cms.ts';
import { KeystoreError, loadP12 } from '../signing/keystore.ts';
import type { LoadedSigner } from '../signing/keystore.ts';
import { appendPdfSignature } from '../signing/pdf-sign.ts';
import { verifyPdf } from '../signing/pdf-verify.ts';
import { EMBEDDED_REPORT_NAME, buildReportData, isoWithOffset, sha256Hex } from './report-data.ts';
import type { ReportData, ReportRecord, ReportSigner } from './report-data.ts';
import { buildReportPdf } from './report-pdf.ts';
import { writeFilesAtomic } from './write-files.ts';
import type { OutputFile, WrittenFile } from './write-files.ts';

export const DEFAULT_MEANING = 'Reviewer: volumetry performed and approved';

/** Opens the signer's keystore from disk: missing file, wrong passphrase and certificates invalid `at` are KeystoreErrors. */
export async function openSigner(p12File: string, passphrase: string, at: Date): Promise<LoadedSigner> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(p12File));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeystoreError(`${p12File}: cannot read the certificate file (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
  }
  return loadP12(bytes, passphrase, p12File, at);
}

export function safeFileStem(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'report';
}

/** File name stem of a report: <subject>_<timepoint>_volumetry. */
export function reportFileStem(subjectId: string, timepoint: string): string {
  return `${safeFileStem(subjectId)}_${safeFileStem(timepoint)}_volumetry`;
}

export interface SignedReportRequest {
  outcome: Pick<MeasureOutcome, 'record' | 'instanceSha256' | 'roleLabelmap' | 'stack' | 'firstHeader' | 'volume'>;
  seriesDir: string;
  subjectId: string;
  timepoint: string;
  signerName: string;
  signerRole: string;
  meaning?: string;
  signer: LoadedSigner;
  growth?: GrowthRecord | null;
  baselineRecordSha256?: string | null;
  signingTime?: Date;
}

export interface SignedReport {
  pdfName: string;
  signedPdf: Uint8Array;
  unsignedPdf: Uint8Array;
  record: ReportRecord;
  jsonName: string;
  json: Uint8Array;
  p7sName: string;
  p7s: Uint8Array;
}

/** Builds and signs the report in memory (nothing is written). */
export async function buildSignedReport(request: SignedReportRequest): Promise<SignedReport> {
  const signingTime = request.signingTime ?? new Date();
  if (request.signerName.trim() === '') throw new Error('the signer name is empty');
  const meaning = request.meaning ?? (request.signerRole.trim() === '' ? DEFAULT_MEANING : `${request.signerRole}: volumetry performed and approved`);
  const c = request.signer.certificate;
  const signer: ReportSigner = {
    name: request.signerName,
    role: request.signerRole,
    meaning,
    signedAt: isoWithOffset(signingTime),
    certificate: { subject: c.subject, issuer: c.issuer, serialNumberHex: c.serialNumberHex, sha256: c.sha256, validFrom: c.validFrom, validTo: c.validTo, selfSigned: c.selfSigned },
  };
  const data = buildReportData({
    outcome: request.outcome,
    seriesDir: request.seriesDir,
    subjectId: request.subjectId,
    timepoint: request.timepoint,
    signer,
    growth: request.growth ?? null,
    baselineRecordSha256: request.baselineRecordSha256 ?? null,
  });
  const { pdf: unsignedPdf, data: full } = await buildReportPdf({ data, volume: request.outcome.volume, roleLabelmap: request.outcome.roleLabelmap });
  const signedPdf = await appendPdfSignature(unsignedPdf, { signer: request.signer, signingTime, name: request.signerName, reason: meaning, fieldName: 'Reviewer' });
  const stem = reportFileStem(request.subjectId, request.timepoint);
  const pdfName = `${stem}.pdf`;
  const record: ReportRecord = { ...full, pdf: { fileName: pdfName, unsignedSha256: sha256Hex(unsignedPdf), unsignedBytes: unsignedPdf.length } };
  const json = new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`);
  const p7s = buildDetachedCms({
    contentSha256: createHash('sha256').update(json).digest(),
    signingTime,
    certificateDer: request.signer.certificateDer,
    chainDer: request.signer.chainDer,
    privateKey: request.signer.privateKey,
  });
  return { pdfName, signedPdf, unsignedPdf, record, jsonName: `${stem}.json`, json, p7sName: `${stem}.json.p7s`, p7s };
}

/** Writes the signed PDF, the JSON record and its .p7s (all or nothing). */
export async function writeSignedReport(report: SignedReport, outDir: string): Promise<WrittenFile[]> {
  const files: OutputFile[] = [
    { name: report.pdfName, bytes: report.signedPdf },
    { name: report.jsonName, bytes: report.json },
    { name: report.p7sName, bytes: report.p7s },
  ];
  return writeFilesAtomic(outDir, files);
}

/** The report data embedded in a report PDF (the remnant-report.json attachment), or null when absent. */
export async function readEmbeddedReport(pdf: Uint8Array): Promise<ReportData | null> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!names) return null;
  for (let n = 0; n + 1 < names.size(); n += 2) {
    const key = names.lookup(n);
    const name = key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : '';
    if (name !== EMBEDDED_REPORT_NAME) continue;
    const spec = names.lookup(n + 1, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    if (!(stream instanceof PDFRawStream)) return null;
    const filter = stream.dict.get(PDFName.of('Filter'));
    const bytes = filter === PDFName.of('FlateDecode') ? inflateSync(stream.contents) : stream.contents;
    return JSON.parse(new TextDecoder().decode(bytes)) as ReportData;
  }
  return null;
}

export interface CosignRequest {
  signer: LoadedSigner;
  signerName: string;
  signerRole: string;
  meaning?: string;
  signingTime?: Date;
}

/** Appends a co-signature revision to a signed report; the existing signatures must verify first. */
export async function cosignReport(pdf: Uint8Array, fileName: string, request: CosignRequest): Promise<Uint8Array> {
  const before = await verifyPdf(pdf);
  if (!before.ok) {
    const reasons = [...before.errors, ...before.signatures.flatMap((s) => s.errors.map((e) => `signature ${s.index}: ${e}`))];
    throw new Error(`${fileName}: refusing to co-sign a report whose signatures do not verify: ${reasons.join('; ')}`);
  }
  const signingTime = request.signingTime ?? new Date();
  const meaning = request.meaning ?? `${request.signerRole}: report reviewed and co-signed`;
  const data = await readEmbeddedReport(pdf);
  const slot = data?.cosignSlots[before.signatures.length - 1];
  const c = request.signer.certificate;
  return appendPdfSignature(pdf, {
    signer: request.signer,
    signingTime,
    name: request.signerName,
    reason: meaning,
    fieldName: `CoSignature${before.signatures.length}`,
    ...(slot
      ? {
          appearance: {
            pageIndex: slot.pageIndex,
            rectPt: slot.rectPt,
            lines: [
              `Co-signed by ${request.signerName}, ${request.signerRole}`,
              `Date and time: ${isoWithOffset(signingTime)}`,
              `Meaning: ${meaning}`,
              `Certificate: ${c.subject}${c.selfSigned ? ' (self-signed)' : ''}; serial ${c.serialNumberHex}`,
              `Certificate SHA-256: ${c.sha256}`,
            ],
          },
        }
      : {}),
  });
}

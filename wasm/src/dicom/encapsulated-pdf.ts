/**
 * Encapsulated PDF DICOM (SOP Class 1.2.840.10008.5.1.4.1.1.104.1) of the signed report. Runtime-neutral.
 *
 * DICOM values have even length: an odd-length PDF gets one trailing 0x00 pad byte in EncapsulatedDocument.
 * EncapsulatedDocumentLength (0042,0015) records the exact PDF length, so a reader recovers the signed bytes exactly
 * by taking the first EncapsulatedDocumentLength bytes ({@link extractEncapsulatedDocument}); a reader that ignores
 * it keeps the pad, which PDF readers ignore after "%%EOF" (but a byte-exact signature check must strip it).
 */
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { CORE_VERSION } from '../version.ts';
import { charsetOf, decodeText } from './charset.ts';
import { codeSequence, derivedInstanceElements, patientStudyElements } from './seg-export.ts';
import type { CodedConcept, DerivedInstanceInfo, SourceContext } from './seg-export.ts';
import { el, writeDicomPart10 } from './writer.ts';
import type { DicomElement } from './writer.ts';

export const ENCAPSULATED_PDF_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';
export const DIAGNOSTIC_IMAGING_REPORT: CodedConcept = { value: '18748-4', scheme: 'LN', meaning: 'Diagnostic imaging report' };

export interface EncapsulatedPdfInput {
  pdf: Uint8Array;
  source: SourceContext;
  instance: DerivedInstanceInfo;
  /** DocumentTitle; default "Liver volumetry report". */
  documentTitle?: string;
  /** DICOM instances the report was derived from (SEG, SR): written as SourceInstanceSequence. */
  sourceInstances?: ReadonlyArray<{ sopClassUid: string; sopInstanceUid: string }>;
}

export interface EncapsulatedPdfResult {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** Bytes of the PDF (EncapsulatedDocumentLength) and the pad bytes added (0 or 1). */
  documentLength: number;
  padBytes: number;
}

function isPdf(pdf: Uint8Array): boolean {
  return pdf.length >= 5 && String.fromCharCode(...pdf.subarray(0, 5)) === '%PDF-';
}

export function buildEncapsulatedPdf(input: EncapsulatedPdfInput): EncapsulatedPdfResult {
  const { pdf, source, instance } = input;
  if (!isPdf(pdf)) throw new Error('the report to encapsulate is not a PDF (it does not start with "%PDF-")');
  if (pdf.length > 0xfffffffe - 1) throw new Error(`the PDF (${pdf.length} bytes) is too large for EncapsulatedDocument`);
  const padBytes = pdf.length % 2;
  const dataset: DicomElement[] = [
    ...patientStudyElements(source),
    ...derivedInstanceElements({ ...instance, softwareVersion: instance.softwareVersion ?? CORE_VERSION }, 'DOC', ENCAPSULATED_PDF_SOP_CLASS, false),
    el(0x00080064, 'CS', 'WSD'),
    el(0x00080023, 'DA', instance.contentDate),
    el(0x00080033, 'TM', instance.contentTime),
    el(0x0008002a, 'DT', `${instance.contentDate}${instance.contentTime}`),
    el(0x00280301, 'CS', 'YES'),
    el(0x00420010, 'ST', input.documentTitle ?? 'Liver volumetry report'),
    codeSequence(0x0040a043, DIAGNOSTIC_IMAGING_REPORT),
    el(0x00420012, 'LO', 'application/pdf'),
    el(0x00420011, 'OB', pdf),
    el(0x00420015, 'UL', pdf.length),
  ];
  if (input.sourceInstances && input.sourceInstances.length > 0) {
    dataset.push(el(0x00420013, 'SQ', input.sourceInstances.map((s) => [el(0x00081150, 'UI', s.sopClassUid), el(0x00081155, 'UI', s.sopInstanceUid)])));
  }
  return { bytes: writeDicomPart10(dataset), sopInstanceUid: instance.sopInstanceUid, seriesInstanceUid: instance.seriesInstanceUid, documentLength: pdf.length, padBytes };
}

/**
 * The exact encapsulated document of an Encapsulated PDF (or other encapsulated document) DICOM file: the first
 * EncapsulatedDocumentLength bytes of EncapsulatedDocument; without that attribute, the value with one trailing 0x00
 * pad byte removed when the value ends in "%%EOF" + pad (PDF convention). Throws naming the file on bad input.
 */
export function extractEncapsulatedDocument(bytes: Uint8Array, fileName: string): { document: Uint8Array; mimeType: string; title: string } {
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (e) {
    const inner = (e as { exception?: unknown }).exception ?? e;
    throw new Error(`${fileName}: not a readable DICOM file (${inner instanceof Error ? inner.message : String(inner)})`);
  }
  const element = ds.elements.x00420011;
  if (!element) throw new Error(`${fileName}: no EncapsulatedDocument (0042,0011)`);
  const value = bytes.subarray(element.dataOffset, element.dataOffset + element.length);
  const declared = ds.elements.x00420015 ? ds.uint32('x00420015') : undefined;
  let length = value.length;
  if (declared !== undefined) {
    if (declared > value.length || value.length - declared > 1) {
      throw new Error(`${fileName}: EncapsulatedDocumentLength ${declared} does not fit the ${value.length}-byte EncapsulatedDocument (at most one pad byte)`);
    }
    length = declared;
  } else if (value.length >= 7 && value[value.length - 1] === 0 && String.fromCharCode(...value.subarray(value.length - 6, value.length - 1)) === '%%EOF') {
    length = value.length - 1;
  }
  // DocumentTitle (ST) is in the dataset's character set (UTF-8 when the writer added ISO_IR 192).
  const charset = charsetOf((ds.string('x00080005') ?? '').split('\\')).charset;
  const titleElement = ds.elements.x00420010;
  const title = titleElement ? decodeText(bytes, titleElement.dataOffset, titleElement.dataOffset + titleElement.length, charset).trim() : '';
  return { document: value.slice(0, length), mimeType: (ds.string('x00420012') ?? '').trim(), title };
}

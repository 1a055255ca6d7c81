/**
 * PDF signing by incremental update (ISO 32000-1 7.5.6, 12.8): the document bytes are kept as they are and a new
 * revision is appended holding a signature dictionary (/Type /Sig, /Filter /Adobe.PPKLite,
 * /SubFilter /ETSI.CAdES.detached), a signature field + widget annotation (invisible, or visible with an appearance
 * stream), the updated page (/Annots) and catalog (/AcroForm /SigFlags 3), a classic xref section and a trailer with
 * /Prev. The ByteRange covers the whole file except the /Contents hex string; /Contents holds the detached CMS in
 * lower-case hex followed by '0' padding (the verifier rejects any other padding).
 *
 * The first reviewer's signature and every co-signature use the same path, so the first signature covers revision 2
 * (the unsigned report is revision 1) and each co-signature appends one more revision.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { pdfTextString, winAnsiLiteral } from '../report/pdf-text.ts';
import { buildDetachedCms } from './cms.ts';
import type { LoadedSigner } from './keystore.ts';

export class PdfSignError extends Error {}

/** Room reserved for the DER CMS (bytes); the hex string is twice as long. */
export const SIGNATURE_CONTENTS_BYTES = 12288;
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';

export interface VisibleAppearance {
  pageIndex: number;
  /** Rectangle in PDF points: [x, y, width, height] from the page's lower-left corner. */
  rectPt: [number, number, number, number];
  /** Text lines drawn in Helvetica inside the rectangle. */
  lines: string[];
}

export interface PdfSignRequest {
  signer: LoadedSigner;
  signingTime: Date;
  /** Signer's printed name (/Name). */
  name: string;
  /** Meaning of the signature (/Reason), e.g. "Reviewer: volumetry performed and approved". */
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Field name; default "Signature<n>". */
  fieldName?: string;
  /** Visible widget; default an invisible widget on the last page. */
  appearance?: VisibleAppearance;
}

/** PDF literal string of printable Latin-1 text (other characters become '?'). */
export function pdfLiteral(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code >= 0xa0 && code <= 0xff) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return `${out})`;
}

/** PDF date string D:YYYYMMDDHHmmSS+HH'mm' in the given offset (minutes east of UTC). */
export function pdfDate(date: Date, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `D:${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}${sign}${p(Math.floor(abs / 60))}'${p(abs % 60)}'`;
}

function lastStartXref(bytes: Uint8Array): number {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw new PdfSignError('the file does not end with startxref/%%EOF: not a complete PDF');
  return Number(match[1]);
}

function refText(ref: PDFRef): string {
  return `${ref.objectNumber} ${ref.generationNumber} R`;
}

/** Appends a signed revision to `pdf`; returns the new file bytes. */
export async function appendPdfSignature(pdf: Uint8Array, request: PdfSignRequest): Promise<Uint8Array> {
  const prevXref = lastStartXref(pdf);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw new PdfSignError(`not a readable PDF (${error instanceof Error ? error.message : String(error)})`);
  }
  if (doc.isEncrypted) throw new PdfSignError('encrypted PDFs cannot be signed');
  const context = doc.context;
  const rootRef = context.trailerInfo.Root as PDFRef | undefined;
  if (!(rootRef instanceof PDFRef)) throw new PdfSignError('the trailer has no indirect /Root');
  const pages = doc.getPages();
  if (pages.length === 0) throw new PdfSignError('the PDF has no pages');
  const pageIndex = request.appearance?.pageIndex ?? pages.length - 1;
  const page = pages[pageIndex];
  if (!page) throw new PdfSignError(`page ${pageIndex + 1} does not exist`);

  const catalog = context.lookup(rootRef, PDFDict).clone(context);
  const oldForm = catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const oldFields = oldForm?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const existingSignatures = (oldFields?.asArray() ?? []).filter((f) => {
    const dict = context.lookupMaybe(f, PDFDict);
    return dict?.get(PDFName.of('FT')) === PDFName.of('Sig');
  }).length;

  let next = context.largestObjectNumber + 1;
  const sigNum = next++;
  const fieldNum = next++;
  const fontNum = request.appearance ? next++ : 0;
  const apNum = request.appearance ? next++ : 0;
  const fieldName = request.fieldName ?? `Signature${existingSignatures + 1}`;

  // Updated AcroForm (inline in the new catalog) and page.
  const form = oldForm ? oldForm.clone(context) : context.obj({});
  const fields = PDFArray.withContext(context);
  for (const f of oldFields?.asArray() ?? []) fields.push(f);
  fields.push(PDFRef.of(fieldNum));
  form.set(PDFName.of('Fields'), fields);
  form.set(PDFName.of('SigFlags'), context.obj(3));
  catalog.set(PDFName.of('AcroForm'), form);
  const pageDict = page.node.clone(context);
  const annots = PDFArray.withContext(context);
  for (const a of page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []) annots.push(a);
  annots.push(PDFRef.of(fieldNum));
  pageDict.set(PDFName.of('Annots'), annots);

  const offsetMinutes = -request.signingTime.getTimezoneOffset();
  const contentsPlaceholder = `<${'0'.repeat(SIGNATURE_CONTENTS_BYTES * 2)}>`;
  const sigDict =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER}\n/Contents ${contentsPlaceholder}\n` +
    `/M ${pdfLiteral(pdfDate(request.signingTime, offsetMinutes))} /Name ${pdfTextString(request.name)} /Reason ${pdfTextString(request.reason)}` +
    `${request.location ? ` /Location ${pdfTextString(request.location)}` : ''}${request.contactInfo ? ` /ContactInfo ${pdfTextString(request.contactInfo)}` : ''}` +
    ` /Prop_Build << /App << /Name /Remnant >> >> >>`;
  const a = request.appearance;
  const rect = a ? `[${a.rectPt[0]} ${a.rectPt[1]} ${a.rectPt[0] + a.rectPt[2]} ${a.rectPt[1] + a.rectPt[3]}]` : '[0 0 0 0]';
  const widget =
    `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${pdfTextString(fieldName)} /V ${sigNum} 0 R /P ${refText(page.ref)} /Rect ${rect} /F ${a ? 4 : 132}` +
    `${a ? ` /AP << /N ${apNum} 0 R >>` : ''} >>`;

  const objects: Array<{ num: number; gen: number; body: string | Uint8Array }> = [];
  objects.push({ num: rootRef.objectNumber, gen: rootRef.generationNumber, body: catalog.toString() });
  objects.push({ num: page.ref.objectNumber, gen: page.ref.generationNumber, body: pageDict.toString() });
  objects.push({ num: sigNum, gen: 0, body: sigDict });
  objects.push({ num: fieldNum, gen: 0, body: widget });
  if (a) {
    objects.push({ num: fontNum, gen: 0, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' });
    const [, , w, h] = a.rectPt;
    const size = 8;
    let content = `q 0.96 0.97 1 rg 0 0 ${w} ${h} re f 0.2 0.3 0.6 RG 0.8 w 0.4 0.4 ${w - 0.8} ${h - 0.8} re S Q\nBT /Helv ${size} Tf 0 0 0 rg\n`;
    a.lines.forEach((line, n) => {
      content += `1 0 0 1 6 ${(h - 12 - n * (size + 3)).toFixed(1)} Tm ${winAnsiLiteral(line)} Tj\n`;
    });
    content += 'ET\n';
    const stream = Buffer.from(content, 'latin1');
    const head = `<< /Type /XObject /Subtype /Form /BBox [0 0 ${w} ${h}] /Resources << /Font << /Helv ${fontNum} 0 R >> >> /Length ${stream.length} >>\nstream\n`;
    objects.push({ num: apNum, gen: 0, body: Buffer.concat([Buffer.from(head, 'latin1'), stream, Buffer.from('\nendstream', 'latin1')]) });
  }

  // Serialise the update.
  const chunks: Buffer[] = [Buffer.from(pdf)];
  let offset = pdf.length;
  if (pdf[pdf.length - 1] !== 0x0a) {
    chunks.push(Buffer.from('\n'));
    offset += 1;
  }
  const xrefEntries: Array<{ num: number; gen: number; offset: number }> = [];
  let sigObjectOffset = -1;
  for (const o of objects) {
    const head = Buffer.from(`${o.num} ${o.gen} obj\n`, 'latin1');
    const body = typeof o.body === 'string' ? Buffer.from(o.body, 'latin1') : Buffer.from(o.body);
    const tail = Buffer.from('\nendobj\n', 'latin1');
    xrefEntries.push({ num: o.num, gen: o.gen, offset });
    if (o.num === sigNum) sigObjectOffset = offset + head.length;
    chunks.push(head, body, tail);
    offset += head.length + body.length + tail.length;
  }
  xrefEntries.sort((x, y) => x.num - y.num);
  const xrefOffset = offset;
  let xref = 'xref\n';
  for (let i = 0; i < xrefEntries.length; ) {
    let j = i;
    while (j + 1 < xrefEntries.length && (xrefEntries[j + 1] as { num: number }).num === (xrefEntries[j] as { num: number }).num + 1) j++;
    xref += `${(xrefEntries[i] as { num: number }).num} ${j - i + 1}\n`;
    for (let n = i; n <= j; n++) {
      const e = xrefEntries[n] as { gen: number; offset: number };
      xref += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n \n`;
    }
    i = j + 1;
  }
  const trailer = context.obj({});
  trailer.set(PDFName.of('Size'), context.obj(next));
  trailer.set(PDFName.of('Root'), rootRef);
  if (context.trailerInfo.Info) trailer.set(PDFName.of('Info'), context.trailerInfo.Info as PDFRef);
  if (context.trailerInfo.ID) trailer.set(PDFName.of('ID'), context.trailerInfo.ID);
  trailer.set(PDFName.of('Prev'), context.obj(prevXref));
  xref += `trailer\n${trailer.toString()}\nstartxref\n${xrefOffset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  const out = Buffer.concat(chunks);

  // Fill in the ByteRange, then the CMS over it.
  const sigText = out.subarray(sigObjectOffset, sigObjectOffset + sigDict.length).toString('latin1');
  const brAt = sigObjectOffset + sigText.indexOf(BYTE_RANGE_PLACEHOLDER);
  const contentsAt = sigObjectOffset + sigText.indexOf(contentsPlaceholder);
  const contentsEnd = contentsAt + contentsPlaceholder.length;
  const byteRange = [0, contentsAt, contentsEnd, out.length - contentsEnd];
  const brText = `/ByteRange [${byteRange.join(' ')}]`;
  if (brText.length > BYTE_RANGE_PLACEHOLDER.length) throw new PdfSignError('the PDF is too large for the ByteRange placeholder');
  out.write(brText.slice(0, -1).padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']', brAt, 'latin1');
  const digest = createHash('sha256').update(out.subarray(0, contentsAt)).update(out.subarray(contentsEnd)).digest();
  const cms = buildDetachedCms({
    contentSha256: digest,
    signingTime: request.signingTime,
    certificateDer: request.signer.certificateDer,
    chainDer: request.signer.chainDer,
    privateKey: request.signer.privateKey,
  });
  if (cms.length > SIGNATURE_CONTENTS_BYTES) throw new PdfSignError(`the CMS signature (${cms.length} bytes) does not fit the reserved ${SIGNATURE_CONTENTS_BYTES} bytes`);
  out.write(Buffer.from(cms).toString('hex'), contentsAt + 1, 'latin1');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Verification of PDF signatures without trusting any PDF parser for the cryptography:
 *  1. every /ByteRange [a b c d] in the file is a signature; a must be 0, the gap [b, c) must be exactly one
 *     '<hex>' string, c + d must end a revision (%%EOF), the last signature must end at EOF;
 *  2. /Contents must be the lower- (or upper-) case hex of one canonical DER CMS followed only by '0' padding;
 *  3. the CMS is checked against the SHA-256 of the two ranges (cms.ts: messageDigest, ESS certificate hash and the
 *     signature over the signed attributes with node:crypto);
 *  4. the number of signatures found this way must equal the signature fields pdf-lib sees (no hidden or lost field).
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { decodePdfHexString } from '../report/pdf-text.ts';
import { CmsError, verifyDetachedCms } from './cms.ts';
import type { CertificateInfo } from './cms.ts';

export interface PdfSignatureCheck {
  /** 1-based, in file order. */
  index: number;
  subFilter: string | null;
  name: string | null;
  reason: string | null;
  byteRange: [number, number, number, number];
  /** 1-based revision whose end the ByteRange reaches, or null when it ends elsewhere. */
  coversRevision: number | null;
  wholeDocument: boolean;
  signingTime: string | null;
  certificate: CertificateInfo | null;
  errors: string[];
}

export interface PdfVerification {
  ok: boolean;
  revisions: number;
  /** Byte offset just after each revision's %%EOF line. */
  revisionEnds: number[];
  signatures: PdfSignatureCheck[];
  /** Document-level problems (no signature, unsigned trailing revision, field mismatch). */
  errors: string[];
}

/** End offsets (after the EOL) of every %%EOF marker. */
export function revisionEnds(bytes: Uint8Array): number[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const ends: number[] = [];
  let at = text.indexOf('%%EOF');
  while (at >= 0) {
    let end = at + 5;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    ends.push(end);
    at = text.indexOf('%%EOF', at + 5);
  }
  return ends;
}

/** Decodes the /Contents hex: one DER object then only '0' padding, one letter case. Throws CmsError otherwise. */
export function decodeContentsHex(hex: string): Uint8Array {
  if (!/^[0-9a-f]*$/.test(hex) && !/^[0-9A-F]*$/.test(hex)) throw new CmsError('/Contents is not hex digits of a single letter case');
  if (hex.length % 2 !== 0 || hex.length < 4) throw new CmsError('/Contents has an odd or too short number of hex digits');
  const bytes = Buffer.from(hex, 'hex');
  if (bytes[0] !== 0x30) throw new CmsError('/Contents does not start with a DER SEQUENCE');
  const first = bytes[1] as number;
  let length: number;
  let header: number;
  if (first < 0x80) {
    length = first;
    header = 2;
  } else {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new CmsError('/Contents DER length is malformed');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[2 + i] as number);
    header = 2 + n;
  }
  const total = header + length;
  if (total > bytes.length) throw new CmsError('/Contents DER is longer than the reserved space');
  if (!/^0*$/.test(hex.slice(total * 2))) throw new CmsError('/Contents padding after the CMS is not all zeros');
  return new Uint8Array(bytes.subarray(0, total));
}

/** The signature dictionary around a /ByteRange: from the preceding '<<' to 'endobj' (the hex string is skipped). */
function dictText(text: string, at: number): string {
  const start = text.lastIndexOf('<<', at);
  const stop = text.indexOf('endobj', at);
  const body = text.slice(Math.max(0, start), stop < 0 ? at : stop);
  // Drop the long /Contents hex (the CMS); short hex strings are text values (UTF-16BE /Name, /Reason).
  return body.replace(/<[0-9a-fA-F\s]{1024,}>/g, '<>');
}

/** A text string value of the signature dictionary: literal "(...)" or hex "<FEFF...>" (UTF-16BE, as pdf-sign writes non-ASCII text). */
function literal(dict: string, key: string): string | null {
  const hex = new RegExp(`/${key}\\s*<([0-9A-Fa-f\\s]*)>`).exec(dict);
  if (hex) return decodePdfHexString(hex[1] as string);
  const m = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)])*)\\)`).exec(dict);
  if (!m) return null;
  return (m[1] as string).replace(/\\([0-7]{3}|.)/g, (_s, e: string) => (e.length === 3 ? String.fromCharCode(parseInt(e, 8)) : e));
}

async function signatureFieldCount(bytes: Uint8Array): Promise<number> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = form?.lookupMaybe(PDFName.of('Fields'), PDFArray)?.asArray() ?? [];
  return fields.filter((f) => {
    const d = doc.context.lookupMaybe(f, PDFDict);
    return d?.get(PDFName.of('FT')) === PDFName.of('Sig') && d.get(PDFName.of('V')) !== undefined;
  }).length;
}

export async function verifyPdf(bytes: Uint8Array): Promise<PdfVerification> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const ends = revisionEnds(bytes);
  const errors: string[] = [];
  const signatures: PdfSignatureCheck[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const dict = dictText(text, m.index);
    const check: PdfSignatureCheck = {
      index: signatures.length + 1,
      subFilter: /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(dict)?.[1] ?? null,
      name: literal(dict, 'Name'),
      reason: literal(dict, 'Reason'),
      byteRange: br,
      coversRevision: null,
      wholeDocument: false,
      signingTime: null,
      certificate: null,
      errors: [],
    };
    signatures.push(check);
    const [a, b, c, d] = br;
    const end = c + d;
    if (a !== 0) check.errors.push(`ByteRange starts at ${a}, not at the start of the file`);
    if (!(b < c && c <= end && end <= bytes.length)) {
      check.errors.push(`ByteRange [${br.join(' ')}] is inconsistent with the file length ${bytes.length}`);
      continue;
    }
    if (!(m.index < b || (m.index >= c && m.index < end))) check.errors.push('the ByteRange entry lies outside the signed bytes');
    if (text[b] !== '<' || text[c - 1] !== '>') {
      check.errors.push('the ByteRange gap is not exactly the /Contents hex string');
      continue;
    }
    const revision = ends.indexOf(end);
    check.coversRevision = revision >= 0 ? revision + 1 : null;
    check.wholeDocument = end === bytes.length;
    if (revision < 0) check.errors.push(`ByteRange ends at byte ${end}, which is not the end of a revision`);
    if (check.subFilter !== 'ETSI.CAdES.detached' && check.subFilter !== 'adbe.pkcs7.detached') check.errors.push(`unsupported /SubFilter ${String(check.subFilter)}`);
    let cms: Uint8Array;
    try {
      cms = decodeContentsHex(text.slice(b + 1, c - 1));
    } catch (error) {
      check.errors.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    const digest = createHash('sha256').update(bytes.subarray(0, b)).update(bytes.subarray(c, end)).digest();
    try {
      const v = verifyDetachedCms(cms, digest);
      check.signingTime = v.signingTime?.toISOString() ?? null;
      check.certificate = v.certificate;
      check.errors.push(...v.errors);
    } catch (error) {
      check.errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (signatures.length === 0) errors.push('the PDF carries no signature (/ByteRange not found)');
  const last = signatures[signatures.length - 1];
  if (last && !last.wholeDocument) errors.push(`the last signature does not cover the whole file: bytes after ${last.byteRange[2] + last.byteRange[3]} (of ${bytes.length}) are unsigned`);
  for (let i = 1; i < signatures.length; i++) {
    const prev = signatures[i - 1] as PdfSignatureCheck;
    const cur = signatures[i] as PdfSignatureCheck;
    if (cur.byteRange[2] + cur.byteRange[3] <= prev.byteRange[2] + prev.byteRange[3]) errors.push(`signature ${cur.index} does not extend the revision signed by signature ${prev.index}`);
  }
  // The structural cross-check runs only on cryptographically valid files (a damaged file is already rejected).
  if (signatures.length > 0 && signatures.every((s) => s.errors.length === 0)) {
    try {
      const fields = await signatureFieldCount(bytes);
      if (fields !== signatures.length) errors.push(`the document form lists ${fields} signed signature field(s) but ${signatures.length} signature dictionaries were found`);
    } catch (error) {
      errors.push(`the PDF structure cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const ok = errors.length === 0 && signatures.every((s) => s.errors.length === 0);
  return { ok, revisions: ends.length, revisionEnds: ends, signatures, errors };
}

/**
 * Detached CMS SignedData (RFC 5652) with SHA-256, built and checked with forge.asn1 (structure) and node:crypto
 * (signature). One signer; signed attributes contentType (id-data), messageDigest, signingTime and ESS
 * signing-certificate-v2 (RFC 5035, certHash = SHA-256 of the signer's certificate DER, with issuerSerial).
 *
 * Used for PDF signatures (/SubFilter /ETSI.CAdES.detached: content = the ByteRange bytes) and for the .p7s beside the
 * JSON record (content = the exact JSON bytes).
 */
import { X509Certificate, createHash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export class CmsError extends Error {}

/** Byte conversions between Uint8Array and forge's binary strings. */
export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
export function fromBinary(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}
export function derOf(node: Asn1): Uint8Array {
  return fromBinary(asn1.toDer(node).getBytes());
}

const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
const set = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
const oid = (id: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(id).getBytes());
const nul = (): Asn1 => asn1.create(U, T.NULL, false, '');
const octets = (bytes: Uint8Array): Asn1 => asn1.create(U, T.OCTETSTRING, false, toBinary(bytes));
const int = (n: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const explicit = (tag: number, inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [inner]);

function fromDerStrict(bytes: Uint8Array, what: string): Asn1 {
  try {
    // node-forge 1.x takes an options object (its type declarations still say boolean).
    const fromDer = asn1.fromDer as unknown as (der: string, options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => Asn1;
    return fromDer(toBinary(bytes), { strict: true, parseAllBytes: true, decodeBitStrings: false });
  } catch (error) {
    throw new CmsError(`${what} is not valid DER (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** DER SET OF: members sorted by their encodings (X.690 11.6). */
function derSetOf(members: Asn1[]): Asn1 {
  const encoded = members.map((m) => ({ m, der: Buffer.from(derOf(m)) }));
  encoded.sort((a, b) => Buffer.compare(a.der, b.der));
  return set(encoded.map((e) => e.m));
}

function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), set([value])]);
}

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5652 11.3). */
function timeNode(date: Date): Asn1 {
  if (date.getUTCFullYear() < 2050 && date.getUTCFullYear() >= 1950) return asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(date));
  return asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

interface TbsParts {
  issuer: Asn1;
  serial: Asn1;
}

function certificateParts(certDer: Uint8Array): TbsParts {
  const cert = fromDerStrict(certDer, 'the signer certificate');
  const tbs = (cert.value as Asn1[])[0] as Asn1;
  const fields = tbs.value as Asn1[];
  const offset = (fields[0] as Asn1).tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: fields[offset] as Asn1, issuer: fields[offset + 2] as Asn1 };
}

export interface CmsSignRequest {
  /** SHA-256 of the signed content (the PDF ByteRange bytes or the JSON file bytes). */
  contentSha256: Uint8Array;
  signingTime: Date;
  certificateDer: Uint8Array;
  /** Further certificates to carry (e.g. a CA chain from an imported .p12). */
  chainDer?: Uint8Array[];
  privateKey: KeyObject;
}

/** Builds the DER ContentInfo(SignedData), detached (no eContent). */
export function buildDetachedCms(request: CmsSignRequest): Uint8Array {
  if (request.contentSha256.length !== 32) throw new CmsError('content digest must be 32 bytes of SHA-256');
  const { issuer, serial } = certificateParts(request.certificateDer);
  const keyType = request.privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new CmsError(`unsupported signing key type ${String(keyType)} (RSA or ECDSA P-256)`);
  const certHash = createHash('sha256').update(request.certificateDer).digest();
  const essCertIdV2 = seq([
    // hashAlgorithm omitted: DEFAULT sha256 (RFC 5035)
    octets(certHash),
    seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer])]), serial]),
  ]);
  const attrs = derSetOf([
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, timeNode(request.signingTime)),
    attribute(OID.messageDigest, octets(request.contentSha256)),
    attribute(OID.signingCertificateV2, seq([seq([essCertIdV2])])),
  ]);
  const signedAttrsDer = derOf(attrs); // tag 0x31: what is signed
  const signature = sign('sha256', signedAttrsDer, keyType === 'ec' ? { key: request.privateKey, dsaEncoding: 'der' } : request.privateKey);
  const signedAttrsImplicit = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs.value as Asn1[]);
  const signatureAlgorithm = keyType === 'ec' ? seq([oid(OID.ecdsaWithSha256)]) : seq([oid(OID.rsaEncryption), nul()]);
  const signerInfo = seq([int(1), seq([issuer, serial]), seq([oid(OID.sha256)]), signedAttrsImplicit, signatureAlgorithm, octets(signature)]);
  const certs = [request.certificateDer, ...(request.chainDer ?? [])].map((der) => fromDerStrict(der, 'a certificate'));
  const signedData = seq([
    int(1),
    set([seq([oid(OID.sha256)])]),
    seq([oid(OID.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certs),
    set([signerInfo]),
  ]);
  return derOf(seq([oid(OID.signedData), explicit(0, signedData)]));
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumberHex: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  sha256: string;
  publicKey: string;
}

export function describeCertificate(der: Uint8Array): CertificateInfo {
  const cert = new X509Certificate(der);
  const selfSigned = cert.subject === cert.issuer && cert.verify(cert.publicKey);
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails;
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumberHex: cert.serialNumber.toLowerCase(),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    selfSigned,
    sha256: createHash('sha256').update(der).digest('hex'),
    publicKey: key.asymmetricKeyType === 'rsa' ? `RSA ${details?.modulusLength ?? '?'} bit` : `${key.asymmetricKeyType ?? '?'} ${details?.namedCurve ?? ''}`.trim(),
  };
}

export interface CmsVerification {
  signingTime: Date | null;
  certificate: CertificateInfo;
  certificateDer: Uint8Array;
  /** Problems found; empty when the signature is valid over the given digest. */
  errors: string[];
}

function oidOf(node: Asn1 | undefined): string | null {
  if (!node || node.tagClass !== U || node.type !== T.OID) return null;
  return asn1.derToOid(node.value as string);
}

function isSha256AlgorithmId(node: Asn1 | undefined): boolean {
  if (!node || node.type !== T.SEQUENCE) return false;
  const v = node.value as Asn1[];
  if (oidOf(v[0]) !== OID.sha256) return false;
  return v.length === 1 || (v.length === 2 && (v[1] as Asn1).type === T.NULL && (v[1] as Asn1).value === '');
}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CmsError(message);
}

/**
 * Parses a detached CMS SignedData and checks it against the SHA-256 of the content: canonical DER, structure,
 * messageDigest, the ESS signing-certificate-v2 hash, and the RSA/ECDSA signature over the DER SET of signed
 * attributes. Structural problems throw CmsError; verification outcomes are listed in `errors`.
 */
export function verifyDetachedCms(cmsDer: Uint8Array, contentSha256: Uint8Array): CmsVerification {
  const root = fromDerStrict(cmsDer, 'the CMS signature');
  expect(Buffer.from(derOf(root)).equals(Buffer.from(cmsDer)), 'the CMS signature is not in canonical DER');
  const top = root.value as Asn1[];
  expect(root.type === T.SEQUENCE && top.length === 2 && oidOf(top[0]) === OID.signedData, 'not a CMS SignedData ContentInfo');
  const wrapper = top[1] as Asn1;
  expect(wrapper.tagClass === asn1.Class.CONTEXT_SPECIFIC && wrapper.type === 0, 'SignedData content is not [0] EXPLICIT');
  const sd = (wrapper.value as Asn1[])[0] as Asn1;
  const parts = sd.value as Asn1[];
  expect(sd.type === T.SEQUENCE && parts.length >= 4, 'SignedData is malformed');
  expect(asn1.derToInteger((parts[0] as Asn1).value as string) === 1, 'SignedData version is not 1');
  const digestAlgs = (parts[1] as Asn1).value as Asn1[];
  expect((parts[1] as Asn1).type === T.SET && digestAlgs.length === 1 && isSha256AlgorithmId(digestAlgs[0]), 'SignedData digestAlgorithms is not {sha256}');
  const encap = (parts[2] as Asn1).value as Asn1[];
  expect(encap.length === 1 && oidOf(encap[0]) === OID.data, 'encapsulated content is not detached id-data');
  let index = 3;
  const certDers: Uint8Array[] = [];
  const maybeCerts = parts[index] as Asn1;
  if (maybeCerts.tagClass === asn1.Class.CONTEXT_SPECIFIC && maybeCerts.type === 0) {
    for (const c of maybeCerts.value as Asn1[]) certDers.push(derOf(c));
    index++;
  }
  if ((parts[index] as Asn1 | undefined)?.tagClass === asn1.Class.CONTEXT_SPECIFIC) index++; // crls: ignored
  const signerInfos = parts[index] as Asn1 | undefined;
  expect(signerInfos !== undefined && signerInfos.type === T.SET && index === parts.length - 1, 'SignedData signerInfos missing or followed by extra fields');
  const infos = signerInfos.value as Asn1[];
  expect(infos.length === 1, `expected exactly one SignerInfo, found ${infos.length}`);
  const si = (infos[0] as Asn1).value as Asn1[];
  expect(si.length === 6 || si.length === 7, 'SignerInfo is malformed (signed attributes required)');
  expect(asn1.derToInteger((si[0] as Asn1).value as string) === 1, 'SignerInfo version is not 1 (issuerAndSerialNumber)');
  const sid = (si[1] as Asn1).value as Asn1[];
  expect(isSha256AlgorithmId(si[2]), 'SignerInfo digestAlgorithm is not sha256');
  const signedAttrs = si[3] as Asn1;
  expect(signedAttrs.tagClass === asn1.Class.CONTEXT_SPECIFIC && signedAttrs.type === 0, 'SignerInfo has no signed attributes');
  const sigAlg = oidOf(((si[4] as Asn1).value as Asn1[])[0]);
  const signatureNode = si[5] as Asn1;
  expect(signatureNode.type === T.OCTETSTRING, 'SignerInfo signature is not an OCTET STRING');

  // The signer's certificate: matched by issuer and serial number.
  const sidIssuer = Buffer.from(derOf(sid[0] as Asn1));
  const sidSerial = Buffer.from(derOf(sid[1] as Asn1));
  const signerDer = certDers.find((der) => {
    const p = certificateParts(der);
    return Buffer.from(derOf(p.issuer)).equals(sidIssuer) && Buffer.from(derOf(p.serial)).equals(sidSerial);
  });
  expect(signerDer !== undefined, 'the signer certificate (issuer and serial of the SignerInfo) is not in the CMS');
  let certificate: CertificateInfo;
  try {
    certificate = describeCertificate(signerDer);
  } catch (error) {
    throw new CmsError(`the signer certificate cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }

  const errors: string[] = [];
  let signingTime: Date | null = null;
  let digestSeen = false;
  let certHashSeen = false;
  let contentTypeSeen = false;
  const seenTypes = new Set<string>();
  for (const attr of signedAttrs.value as Asn1[]) {
    const [typeNode, valuesNode] = attr.value as Asn1[];
    const type = oidOf(typeNode);
    expect(type !== null && valuesNode?.type === T.SET && (valuesNode.value as Asn1[]).length === 1, 'a signed attribute is malformed');
    expect(!seenTypes.has(type), `signed attribute ${type} occurs twice`);
    seenTypes.add(type);
    const value = (valuesNode.value as Asn1[])[0] as Asn1;
    if (type === OID.contentType) {
      contentTypeSeen = oidOf(value) === OID.data;
    } else if (type === OID.messageDigest) {
      digestSeen = true;
      if (!Buffer.from(fromBinary(value.value as string)).equals(Buffer.from(contentSha256))) errors.push('messageDigest does not match the SHA-256 of the signed content: the content was changed');
    } else if (type === OID.signingTime) {
      signingTime = value.type === T.UTCTIME ? asn1.utcTimeToDate(value.value as string) : asn1.generalizedTimeToDate(value.value as string);
    } else if (type === OID.signingCertificateV2) {
      certHashSeen = true;
      const first = (((value.value as Asn1[])[0] as Asn1).value as Asn1[])[0] as Asn1;
      const idFields = first.value as Asn1[];
      const hashNode = (idFields[0] as Asn1).type === T.OCTETSTRING ? idFields[0] : idFields[1];
      const algOk = (idFields[0] as Asn1).type === T.OCTETSTRING || isSha256AlgorithmId(idFields[0]);
      const expected = createHash('sha256').update(signerDer).digest();
      if (!algOk || !hashNode || !Buffer.from(fromBinary(hashNode.value as string)).equals(expected)) errors.push('ESS signing-certificate-v2 does not match the signer certificate');
    }
  }
  if (!contentTypeSeen) errors.push('signed attribute contentType is missing or not id-data');
  if (!digestSeen) errors.push('signed attribute messageDigest is missing');
  // Signature over the DER SET OF the signed attributes (the [0] IMPLICIT tag replaced by SET).
  const attrsDer = derOf(signedAttrs);
  attrsDer[0] = 0x31;
  const cert = new X509Certificate(signerDer);
  const keyType = cert.publicKey.asymmetricKeyType;
  const algOk = keyType === 'rsa' ? sigAlg === OID.rsaEncryption || sigAlg === OID.sha256WithRsa : keyType === 'ec' ? sigAlg === OID.ecdsaWithSha256 : false;
  if (!algOk) errors.push(`signature algorithm ${String(sigAlg)} does not fit the ${String(keyType)} key of the certificate`);
  const signature = fromBinary(signatureNode.value as string);
  const ok = keyType === 'ec' ? verify('sha256', attrsDer, { key: cert.publicKey, dsaEncoding: 'der' }, signature) : verify('sha256', attrsDer, cert.publicKey, signature);
  if (!ok) errors.push('the signature value does not verify with the signer certificate public key');
  if (certificate.subject === certificate.issuer && !certificate.selfSigned) errors.push('the self-issued signer certificate does not verify with its own key (certificate altered)');
  if (!certHashSeen) errors.push('signed attribute signing-certificate-v2 is missing: the signer certificate is not bound to the signature');
  if (signingTime !== null) {
    const t = (signingTime as Date).getTime();
    if (t < Date.parse(certificate.validFrom) || t > Date.parse(certificate.validTo)) {
      errors.push(`signing time ${(signingTime as Date).toISOString()} is outside the certificate validity ${certificate.validFrom} .. ${certificate.validTo}`);
    }
  }
  return { signingTime, certificate, certificateDer: signerDer, errors };
}

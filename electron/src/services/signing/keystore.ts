/**
 * Reviewer keystore: PKCS#12 files holding one signing key and its certificate (chain).
 *
 * - createSelfSignedP12: RSA-3072 key (node:crypto), self-signed X.509 v3 certificate (CN = reviewer name, O = trial
 *   site; digitalSignature + nonRepudiation), SHA-256 signature; PKCS#12 with the key shrouded by PBES2 (PBKDF2 with
 *   HMAC-SHA-256, AES-256-CBC) and the whole file MACed with HMAC-SHA-1 (PKCS#12 KDF: the only MAC node-forge writes).
 *   ECDSA P-256 is not offered: node-forge can neither sign certificates with nor store EC keys in PKCS#12.
 * - loadP12: decrypts a .p12 (ours or one from a CA, RSA keys) with the passphrase, every time (no caching), and checks
 *   the certificate is valid at the signing time.
 * Every error is a KeystoreError naming the file and the problem.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { describeCertificate, fromBinary, toBinary } from './cms.ts';
import type { CertificateInfo } from './cms.ts';

export class KeystoreError extends Error {}

export interface SelfSignedRequest {
  /** Reviewer's name: the certificate subject CN. */
  commonName: string;
  /** Trial site: the certificate subject O. */
  organization: string;
  /** ISO 3166 country code (optional subject C). */
  country?: string;
  email?: string;
  notBefore: Date;
  notAfter: Date;
  passphrase: string;
  /** PBKDF2 / MAC iteration count (node-forge writes at most 65535). Default 20000. */
  iterations?: number;
}

export interface CreatedKeystore {
  p12Der: Uint8Array;
  certificateDer: Uint8Array;
  certificate: CertificateInfo;
}

/** Creates an RSA-3072 key and a self-signed reviewer certificate, returned as an encrypted PKCS#12 (DER). */
export function createSelfSignedP12(request: SelfSignedRequest): CreatedKeystore {
  if (request.commonName.trim() === '') throw new KeystoreError('the certificate needs a reviewer name (CN)');
  if (request.organization.trim() === '') throw new KeystoreError('the certificate needs a trial site (O)');
  if (!(request.notAfter.getTime() > request.notBefore.getTime())) throw new KeystoreError(`validity end ${request.notAfter.toISOString()} is not after its start ${request.notBefore.toISOString()}`);
  if (request.passphrase.length < 8) throw new KeystoreError('the passphrase must have at least 8 characters');
  const iterations = request.iterations ?? 20000;
  if (!(iterations >= 1000 && iterations <= 65535)) throw new KeystoreError('iterations must be in 1000..65535');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 0x10001 });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(forgeKey.n, forgeKey.e);
  // Positive 16-byte random serial (top bit cleared).
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  // Names are UTF8String (RFC 5280 4.1.2.6): forge would otherwise write PrintableString with Latin-1 bytes, which is
  // invalid for names such as "Müller" and shows as mojibake in pdfsig and other verifiers.
  // (@types/node-forge types valueTagClass as an ASN.1 class; forge uses it as the value's universal type tag and
  // UTF-8-encodes the JS string itself for UTF8String.)
  const utf8String = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const attrs: forge.pki.CertificateField[] = [
    { name: 'commonName', value: request.commonName, valueTagClass: utf8String },
    { name: 'organizationName', value: request.organization, valueTagClass: utf8String },
  ];
  if (request.country) attrs.push({ name: 'countryName', value: request.country });
  if (request.email) attrs.push({ name: 'emailAddress', value: request.email });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], request.passphrase, {
    algorithm: 'aes256',
    count: iterations,
    saltSize: 16,
    friendlyName: request.commonName,
    // passed through to the PBES2 key encryption
    prfAlgorithm: 'sha256',
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  const certificateDer = fromBinary(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
  return { p12Der: fromBinary(forge.asn1.toDer(p12Asn1).getBytes()), certificateDer, certificate: describeCertificate(certificateDer) };
}

export interface LoadedSigner {
  privateKey: KeyObject;
  certificateDer: Uint8Array;
  chainDer: Uint8Array[];
  certificate: CertificateInfo;
}

/**
 * Opens a PKCS#12 with its passphrase. `fileName` is used in messages. When `at` is given, refuses a certificate that
 * is expired or not yet valid at that time.
 */
export function loadP12(p12Der: Uint8Array, passphrase: string, fileName: string, at?: Date): LoadedSigner {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn = forge.asn1.fromDer(toBinary(p12Der), false);
    p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, passphrase);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) throw new KeystoreError(`${fileName}: wrong passphrase (the PKCS#12 integrity check failed)`);
    throw new KeystoreError(`${fileName}: not a readable PKCS#12 keystore (${message})`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag as string })[forge.pki.oids.pkcs8ShroudedKeyBag as string] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag as string })[forge.pki.oids.keyBag as string] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag as string })[forge.pki.oids.certBag as string] ?? [];
  const keyBag = keyBags.find((b) => b.key);
  if (!keyBag?.key) {
    const unreadable = keyBags.length > 0 ? ' (only RSA keys are supported)' : '';
    throw new KeystoreError(`${fileName}: holds no usable private key${unreadable}`);
  }
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = certBags.filter((b) => b.cert).map((b) => b.cert as forge.pki.Certificate);
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n !== undefined && pub.n.equals(key.n);
  });
  if (!own) throw new KeystoreError(`${fileName}: holds no certificate for its private key (missing certificate)`);
  const certificateDer = fromBinary(forge.asn1.toDer(forge.pki.certificateToAsn1(own)).getBytes());
  const chainDer = certs.filter((c) => c !== own).map((c) => fromBinary(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes()));
  const certificate = describeCertificate(certificateDer);
  if (at !== undefined) assertValidAt(certificate, at, fileName);
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(key));
  return { privateKey, certificateDer, chainDer, certificate };
}

/** Refuses to sign with a certificate outside its validity period. */
export function assertValidAt(certificate: CertificateInfo, at: Date, fileName: string): void {
  if (at.getTime() > Date.parse(certificate.validTo)) {
    throw new KeystoreError(`${fileName}: the certificate "${certificate.subject}" expired on ${certificate.validTo}; it cannot sign at ${at.toISOString()}`);
  }
  if (at.getTime() < Date.parse(certificate.validFrom)) {
    throw new KeystoreError(`${fileName}: the certificate "${certificate.subject}" is not valid before ${certificate.validFrom}; it cannot sign at ${at.toISOString()}`);
  }
}

/** Reads a passphrase file: the first line, without its line ending. */
export function passphraseFromFileText(text: string, fileName: string): string {
  const first = text.split(/\r?\n/)[0] ?? '';
  if (first === '') throw new KeystoreError(`${fileName}: the passphrase file is empty`);
  return first;
}

/** Reads the passphrase from its file, every time it is needed (never cached). */
export async function readPassphraseFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeystoreError(`${file}: cannot read the passphrase file (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
  }
  return passphraseFromFileText(text, file);
}

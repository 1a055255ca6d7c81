/**
 * The reviewer keys of a workspace (`<workspace>/keystore/`): each key is `<id>.p12` — the PKCS#12 exactly as
 * created or imported, still encrypted under its own passphrase — and `<id>.json` with the public certificate (DER,
 * base64) and what the app knows about it (source, file name, role). Passphrases are never stored: importing and
 * creating need one (to check the keystore opens, to encrypt the new key), every signing asks again (loadP12).
 * `id` = the first 16 hex digits of the certificate SHA-256.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describeCertificate } from './cms.ts';
import type { CertificateInfo } from './cms.ts';
import { KeystoreError, createSelfSignedP12, loadP12 } from './keystore.ts';
import type { LoadedSigner } from './keystore.ts';
import { ReportOutputError, writeFilesAtomic } from '../report/write-files.ts';
import type { KeyStatus, ReviewerKeyInfo, ReviewerKeyList } from '../report/app-types.ts';

const KEY_ID_RE = /^[0-9a-f]{16}$/;
const META_KIND = 'remnant-reviewer-key';

interface KeyMeta {
  schemaVersion: 1;
  kind: typeof META_KIND;
  id: string;
  source: 'created' | 'imported';
  fileName: string;
  addedAt: string;
  role: string | null;
  certificateDerBase64: string;
}

export function keyStatusAt(certificate: Pick<CertificateInfo, 'validFrom' | 'validTo'>, at: Date): KeyStatus {
  if (at.getTime() > Date.parse(certificate.validTo)) return 'expired';
  if (at.getTime() < Date.parse(certificate.validFrom)) return 'not-yet-valid';
  return 'valid';
}

/** The CN of a subject such as "CN=Ada Lovelace, O=Site 12" (the whole subject when there is none). */
export function commonNameOf(subject: string): string {
  const match = /(?:^|[,/\n]\s*)CN=([^,/\n]+)/.exec(subject);
  return match?.[1]?.trim() ?? subject;
}

function infoOf(meta: KeyMeta, at: Date): ReviewerKeyInfo {
  const c = describeCertificate(new Uint8Array(Buffer.from(meta.certificateDerBase64, 'base64')));
  return {
    id: meta.id,
    source: meta.source,
    fileName: meta.fileName,
    addedAt: meta.addedAt,
    role: meta.role,
    commonName: commonNameOf(c.subject),
    subject: c.subject,
    issuer: c.issuer,
    serialNumberHex: c.serialNumberHex,
    validFrom: c.validFrom,
    validTo: c.validTo,
    selfSigned: c.selfSigned,
    sha256: c.sha256,
    status: keyStatusAt(c, at),
  };
}

function parseMeta(text: string, file: string): KeyMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const m = value as Partial<KeyMeta> | null;
  if (!m || m.kind !== META_KIND || m.schemaVersion !== 1 || typeof m.id !== 'string' || !KEY_ID_RE.test(m.id) || typeof m.certificateDerBase64 !== 'string') {
    throw new Error(`${file}: not a reviewer key description`);
  }
  return m as KeyMeta;
}

export interface CreateKeyRequest {
  commonName: string;
  organization: string;
  role?: string;
  country?: string;
  email?: string;
  notBefore: Date;
  notAfter: Date;
  passphrase: string;
}

export class KeyFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async list(at: Date = new Date()): Promise<ReviewerKeyList> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], problems: [] };
      throw error;
    }
    const keys: ReviewerKeyInfo[] = [];
    const problems: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(this.dir, name);
      try {
        const meta = parseMeta(await readFile(file, 'utf8'), file);
        if (!names.includes(`${meta.id}.p12`)) throw new Error(`${file}: its keystore ${meta.id}.p12 is missing`);
        keys.push(infoOf(meta, at));
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    keys.sort((a, b) => a.commonName.localeCompare(b.commonName) || a.validTo.localeCompare(b.validTo));
    return { keys, problems };
  }

  private async add(source: KeyMeta['source'], fileName: string, role: string | null, p12Der: Uint8Array, certificateDer: Uint8Array, at: Date): Promise<ReviewerKeyInfo> {
    const sha256 = describeCertificate(certificateDer).sha256;
    const id = sha256.slice(0, 16);
    const existing = await this.list(at);
    const same = existing.keys.find((k) => k.id === id);
    if (same) throw new KeystoreError(`${fileName}: this certificate is already in the keystore ("${same.subject}", fingerprint ${same.sha256})`);
    const meta: KeyMeta = {
      schemaVersion: 1,
      kind: META_KIND,
      id,
      source,
      fileName,
      addedAt: at.toISOString(),
      role,
      certificateDerBase64: Buffer.from(certificateDer).toString('base64'),
    };
    try {
      await writeFilesAtomic(this.dir, [
        { name: `${id}.p12`, bytes: p12Der },
        { name: `${id}.json`, bytes: new TextEncoder().encode(`${JSON.stringify(meta, null, 2)}\n`) },
      ]);
    } catch (error) {
      if (error instanceof ReportOutputError) throw new KeystoreError(`cannot store the key in the keystore folder: ${error.message}`);
      throw error;
    }
    return infoOf(meta, at);
  }

  /** Adds a .p12 (bytes as given). The passphrase only proves it opens; the file is stored as is, still encrypted. */
  async importP12(fileName: string, p12Der: Uint8Array, passphrase: string, role: string | null, at: Date = new Date()): Promise<ReviewerKeyInfo> {
    const signer = loadP12(p12Der, passphrase, fileName);
    return this.add('imported', fileName, role, p12Der, signer.certificateDer, at);
  }

  /** Creates an RSA-3072 key with a self-signed certificate (createSelfSignedP12), encrypted under the passphrase. */
  async createSelfSigned(request: CreateKeyRequest, at: Date = new Date()): Promise<ReviewerKeyInfo> {
    const created = createSelfSignedP12({
      commonName: request.commonName,
      organization: request.organization,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      passphrase: request.passphrase,
      ...(request.country ? { country: request.country } : {}),
      ...(request.email ? { email: request.email } : {}),
    });
    const fileName = `${request.commonName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'reviewer'}.p12`;
    return this.add('created', fileName, request.role?.trim() ? request.role.trim() : null, created.p12Der, created.certificateDer, at);
  }

  /** Decrypts key `id` with the passphrase, refusing a certificate that is not valid at `at` (KeystoreError naming the key). */
  async open(id: string, passphrase: string, at: Date): Promise<LoadedSigner> {
    if (!KEY_ID_RE.test(id)) throw new KeystoreError(`no reviewer key "${id}" in the keystore`);
    const { keys } = await this.list(at);
    const info = keys.find((k) => k.id === id);
    if (!info) throw new KeystoreError(`no reviewer key "${id}" in the keystore`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path.join(this.dir, `${id}.p12`)));
    } catch (error) {
      throw new KeystoreError(`reviewer key "${info.commonName}": cannot read ${id}.p12 (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    return loadP12(bytes, passphrase, `reviewer key "${info.commonName}" (${info.fileName})`, at);
  }
}

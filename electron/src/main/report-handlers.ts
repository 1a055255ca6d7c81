/**
 * keys:* and report:* channels: the workspace's reviewer keys and "Sign & export" (docs/signatures.md, "In the app").
 *
 * report:preview measures the open timepoint segmentation (the same composition as `remnant report`:
 * services/report/timepoint-report.ts -> report-service.ts) and keeps the prepared measurement here under a random
 * previewId; report:sign signs exactly that measurement, after checking the autosaved labelmap has not changed since.
 * Passphrases arrive only in the request bodies of keys:create, keys:import, report:sign and report:cosign; they are
 * handed to the keystore code and never stored, logged or echoed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { HandlerError } from '../ipc/dispatch.ts';
import type { HandlerTable } from '../ipc/dispatch.ts';
import type { CosignResult, RequestOf, SignExportResult, SignedReportEntry } from '../ipc/contract.ts';
import { MeasureInputError } from '../services/measure/measure-series.ts';
import { cosignReport } from '../services/report/signed-report.ts';
import { signAndWriteReport } from '../services/report/report-service.ts';
import { prepareTimepointReport, reportPreview } from '../services/report/timepoint-report.ts';
import type { TimepointReport } from '../services/report/timepoint-report.ts';
import { ReportOutputError, writeFilesAtomic } from '../services/report/write-files.ts';
import { sha256Hex } from '../services/report/report-data.ts';
import { KeyFolder } from '../services/signing/key-folder.ts';
import { KeystoreError } from '../services/signing/keystore.ts';
import type { WorkspaceService } from '../services/workspace/workspace.ts';
import type { WorkspaceState } from './workspace-handlers.ts';

interface HeldPreview {
  root: string;
  caseId: string;
  timepointId: string;
  report: TimepointReport;
  defaultOutDir: string;
}

/** At most this many prepared previews are held (each holds a series volume). */
const MAX_PREVIEWS = 2;

function requireWorkspace(state: WorkspaceState): WorkspaceService {
  if (!state.service) throw new HandlerError('invalid-request', 'no workspace is open: choose a workspace folder first');
  return state.service;
}

export function keystoreDir(ws: WorkspaceService): string {
  return path.join(ws.root, 'keystore');
}

function timepointDir(ws: WorkspaceService, caseId: string, timepointId: string): string {
  return path.dirname(ws.segmentationDir(caseId, timepointId));
}

function exportsDir(ws: WorkspaceService, caseId: string, timepointId: string): string {
  return path.join(timepointDir(ws, caseId, timepointId), 'exports');
}

/** A new folder per signing inside the timepoint's exports folder: a signed report is never replaced. */
export function defaultSignOutDir(ws: WorkspaceService, caseId: string, timepointId: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(exportsDir(ws, caseId, timepointId), `signed-${stamp}`);
}

/** User-fixable failures keep their message and become invalid-request (wrong passphrase, expired key, bad folder...). */
async function asUserError<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof HandlerError) throw error;
    if (error instanceof KeystoreError || error instanceof MeasureInputError || error instanceof ReportOutputError) throw new HandlerError('invalid-request', error.message);
    throw error;
  }
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64_RE.test(text)) throw new HandlerError('invalid-request', `${what} is not base64`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function reportHandlers(state: WorkspaceState): HandlerTable {
  const previews = new Map<string, HeldPreview>();
  const keys = (): KeyFolder => new KeyFolder(keystoreDir(requireWorkspace(state)));

  return {
    'keys:list': () => keys().list(),
    'keys:create': (request: RequestOf<'keys:create'>) =>
      asUserError(async () => {
        const now = new Date();
        return keys().createSelfSigned({
          commonName: request.commonName,
          organization: request.organization,
          notBefore: now,
          notAfter: new Date(now.getTime() + request.validDays * 86_400_000),
          passphrase: request.passphrase,
          ...(request.role !== undefined && { role: request.role }),
          ...(request.country !== undefined && { country: request.country }),
          ...(request.email !== undefined && { email: request.email }),
        });
      }),
    'keys:import': (request: RequestOf<'keys:import'>) =>
      asUserError(async () => {
        const bytes = decodeBase64(request.p12Base64, 'p12Base64');
        const role = request.role?.trim() ? request.role.trim() : null;
        return keys().importP12(path.basename(request.fileName), bytes, request.passphrase, role);
      }),
    'report:preview': (request: RequestOf<'report:preview'>) =>
      asUserError(async () => {
        const ws = requireWorkspace(state);
        const store = state.stores.get(`${request.caseId}/${request.timepointId}`);
        if (!store) throw new HandlerError('invalid-request', `the segmentation of case "${request.caseId}", timepoint "${request.timepointId}" is not open`);
        const caseRecord = ws.getCase(request.caseId);
        const report = await prepareTimepointReport({
          caseRecord,
          timepointId: request.timepointId,
          timepointDir: (tp) => timepointDir(ws, request.caseId, tp),
          labelmap: store.labelmap,
          geometry: store.identity.geometry,
        });
        const previewId = randomBytes(16).toString('hex');
        const defaultOutDir = defaultSignOutDir(ws, request.caseId, request.timepointId, new Date());
        previews.set(previewId, { root: ws.root, caseId: request.caseId, timepointId: request.timepointId, report, defaultOutDir });
        while (previews.size > MAX_PREVIEWS) previews.delete(previews.keys().next().value as string);
        return reportPreview(report, { previewId, caseId: request.caseId, timepointId: request.timepointId, defaultOutDir });
      }),
    'report:sign': (request: RequestOf<'report:sign'>) =>
      asUserError(async (): Promise<SignExportResult> => {
        const ws = requireWorkspace(state);
        const held = previews.get(request.previewId);
        if (!held || held.root !== ws.root) throw new HandlerError('invalid-request', 'this preview is no longer available: open Sign & export again');
        const store = state.stores.get(`${held.caseId}/${held.timepointId}`);
        if (!store) throw new HandlerError('invalid-request', `the segmentation of case "${held.caseId}", timepoint "${held.timepointId}" was closed after the preview: reopen it and preview again`);
        const now = createHash('sha256').update(store.labelmap).digest('hex');
        if (now !== held.report.labelmapSha256) throw new HandlerError('invalid-request', 'the segmentation changed after the preview: preview again so that what you sign is what you saw');
        if (request.outDir !== undefined && !path.isAbsolute(request.outDir)) throw new HandlerError('invalid-request', `the output folder must be an absolute path: ${request.outDir}`);
        const outDir = path.resolve(request.outDir ?? held.defaultOutDir);
        const signingTime = new Date();
        // The keystore is opened first: a wrong passphrase or an expired certificate writes nothing.
        const signer = await keys().open(request.keyId, request.passphrase, signingTime);
        const { report, files } = await signAndWriteReport({
          prepared: held.report.prepared,
          signer,
          signerName: request.signerName,
          signerRole: request.signerRole,
          meaning: request.meaning,
          subjectId: held.report.subjectId,
          timepoint: held.report.timepoint,
          outDir,
          signingTime,
          extraFiles: [held.report.labels],
        });
        previews.delete(request.previewId);
        const r = report.record;
        return {
          outDir,
          pdfPath: path.join(outDir, report.pdfName),
          signedAt: r.signer.signedAt,
          signer: { name: r.signer.name, role: r.signer.role, meaning: r.signer.meaning, certificateSubject: r.signer.certificate.subject, certificateSha256: r.signer.certificate.sha256 },
          verdict: { status: r.measurement.verdict.status, reason: r.measurement.verdict.reason },
          files: files.map((f) => ({ ...f, name: path.basename(f.path) })),
        };
      }),
    'report:list': async (request: RequestOf<'report:list'>): Promise<SignedReportEntry[]> => {
      const ws = requireWorkspace(state);
      const dir = exportsDir(ws, request.caseId, request.timepointId);
      const out: SignedReportEntry[] = [];
      const visit = async (d: string, depth: number): Promise<void> => {
        let entries;
        try {
          entries = await readdir(d, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const file = path.join(d, e.name);
          if (e.isDirectory() && depth > 0) await visit(file, depth - 1);
          else if (e.isFile() && e.name.endsWith('_volumetry.pdf')) {
            const text = (await readFile(file)).toString('latin1');
            const signatures = (text.match(/\/ByteRange\s*\[/g) ?? []).length;
            const m = /\/M\s*\(D:(\d{14})/.exec(text);
            out.push({ pdfPath: file, signatures, signedAt: m?.[1] ? `${m[1].slice(0, 4)}-${m[1].slice(4, 6)}-${m[1].slice(6, 8)}T${m[1].slice(8, 10)}:${m[1].slice(10, 12)}:${m[1].slice(12, 14)}` : null });
          }
        }
      };
      await visit(dir, 1);
      return out.sort((a, b) => b.pdfPath.localeCompare(a.pdfPath));
    },
    'report:cosign': (request: RequestOf<'report:cosign'>) =>
      asUserError(async (): Promise<CosignResult> => {
        const ws = requireWorkspace(state);
        const dir = exportsDir(ws, request.caseId, request.timepointId);
        const file = path.resolve(request.pdfPath);
        if (!path.isAbsolute(request.pdfPath) || !isInside(dir, file) || !file.endsWith('_volumetry.pdf')) {
          throw new HandlerError('invalid-request', `only a signed report in this timepoint's exports folder (${dir}) can be co-signed`);
        }
        let pdf: Uint8Array;
        try {
          pdf = new Uint8Array(await readFile(file));
        } catch (error) {
          throw new ReportOutputError(`${file}: cannot read the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
        }
        const signingTime = new Date();
        const signer = await keys().open(request.keyId, request.passphrase, signingTime);
        let cosigned: Uint8Array;
        try {
          cosigned = await cosignReport(pdf, file, { signer, signerName: request.signerName, signerRole: request.signerRole, meaning: request.meaning, signingTime });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new ReportOutputError(message.startsWith(file) ? message : `${file}: ${message}`);
        }
        await writeFilesAtomic(path.dirname(file), [{ name: path.basename(file), bytes: cosigned }]);
        const text = Buffer.from(cosigned).toString('latin1');
        return { pdfPath: file, sha256: sha256Hex(cosigned), bytes: cosigned.length, signatures: (text.match(/\/ByteRange\s*\[/g) ?? []).length };
      }),
  };
}

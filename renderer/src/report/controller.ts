/**
 * Reviewer keys and "Sign & export": typed calls to the keys:* and report:* channels. Passphrases are passed straight
 * into the one call that needs them and are never kept here or in the store (the dialogs clear their fields after
 * every attempt).
 */
import type { CosignResult, ReportPreview, SignExportResult, SignedReportEntry } from '../../../electron/src/ipc/contract.ts';
import { bytesToBase64 } from '../../../wasm/src/transfer/segmentation-transfer.ts';
import { currentHost } from '../app/controller.ts';
import { saved } from '../segmentation/controller.ts';
import { appStore } from '../store/store.ts';

function api() {
  const host = currentHost();
  if (!host) throw new Error('no API');
  return host.api;
}

/** The API error without its "channel: " prefix, for the UI. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^[a-z]+:[A-Za-z]+: /, '');
}

export async function refreshKeys(): Promise<void> {
  if (!appStore.getState().workspaceRoot) {
    appStore.getState().setReport({ keys: [], keyProblems: [] });
    return;
  }
  try {
    const list = await api().listReviewerKeys();
    appStore.getState().setReport({ keys: list.keys, keyProblems: list.problems });
  } catch (error) {
    appStore.getState().setReport({ keyError: messageOf(error) });
  }
}

async function keyCall(body: () => Promise<unknown>): Promise<boolean> {
  appStore.getState().setReport({ keyBusy: true, keyError: undefined });
  try {
    await body();
    await refreshKeys();
    return true;
  } catch (error) {
    appStore.getState().setReport({ keyError: messageOf(error) });
    return false;
  } finally {
    appStore.getState().setReport({ keyBusy: false });
  }
}

export function createKey(request: { commonName: string; organization: string; role: string; validDays: number; passphrase: string }): Promise<boolean> {
  return keyCall(() => api().createReviewerKey({ commonName: request.commonName, organization: request.organization, role: request.role, validDays: request.validDays, passphrase: request.passphrase }));
}

export function importKey(fileName: string, bytes: Uint8Array, passphrase: string, role: string): Promise<boolean> {
  return keyCall(() => api().importReviewerKey({ fileName, p12Base64: bytesToBase64(bytes), passphrase, role }));
}

/** Waits for every autosave to be acknowledged, then asks the main process what will be signed. */
export async function loadPreview(): Promise<ReportPreview> {
  const s = appStore.getState();
  if (!s.currentCase || !s.timepointId || s.segStatus !== 'ready') throw new Error('open the segmentation of a case timepoint first');
  await saved();
  if (appStore.getState().saveStatus === 'error') throw new Error('autosave failed: the stored segmentation is behind the screen; reopen the case before signing');
  return api().previewReport({ caseId: s.currentCase.caseId, timepointId: s.timepointId });
}

export interface SignRequest {
  previewId: string;
  keyId: string;
  passphrase: string;
  signerName: string;
  signerRole: string;
  meaning: string;
  outDir: string;
}

export function signExport(request: SignRequest): Promise<SignExportResult> {
  return api().signAndExportReport({ ...request, ...(request.outDir.trim() === '' ? { outDir: undefined } : { outDir: request.outDir.trim() }) });
}

export async function listReports(): Promise<SignedReportEntry[]> {
  const s = appStore.getState();
  if (!s.currentCase || !s.timepointId) return [];
  return api().listSignedReports({ caseId: s.currentCase.caseId, timepointId: s.timepointId });
}

export function cosign(request: Omit<SignRequest, 'previewId' | 'outDir'> & { pdfPath: string }): Promise<CosignResult> {
  const s = appStore.getState();
  if (!s.currentCase || !s.timepointId) throw new Error('choose a case timepoint first');
  return api().cosignReport({ caseId: s.currentCase.caseId, timepointId: s.timepointId, ...request });
}

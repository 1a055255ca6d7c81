/**
 * Workspace and segmentation channels (workspace:*, segmentation:*): the main-process side of the case workspace and
 * of autosave. All state lives here, per process: the open workspace (electron/src/services/workspace/workspace.ts)
 * and the open segmentation stores (one per case timepoint), which mirror the renderer's engine and journal every
 * committed operation durably before answering (docs/workspace.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseRecord, SegmentStyle } from '../services/workspace/workspace.ts';
import { WorkspaceService } from '../services/workspace/workspace.ts';
import { SegmentationStore } from '../services/workspace/segmentation-store.ts';
import { decodeHistoryEntry } from '../../../wasm/src/segmentation/history.ts';
import { base64ToBytes, encodeSegmentationWire } from '../../../wasm/src/transfer/segmentation-transfer.ts';
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import { HandlerError } from '../ipc/dispatch.ts';
import type { HandlerTable } from '../ipc/dispatch.ts';
import type { RequestOf, SegmentationRecordAnswer, SegmentStylesAnswer, WorkspaceInfo } from '../ipc/contract.ts';

export interface WorkspaceState {
  service: WorkspaceService | null;
  stores: Map<string, SegmentationStore>;
}

export function createWorkspaceState(): WorkspaceState {
  return { service: null, stores: new Map() };
}

const storeKey = (caseId: string, timepointId: string): string => `${caseId}/${timepointId}`;

function requireWorkspace(state: WorkspaceState): WorkspaceService {
  if (!state.service) throw new HandlerError('invalid-request', 'no workspace is open: choose a workspace folder first');
  return state.service;
}

function requireStore(state: WorkspaceState, caseId: string, timepointId: string): SegmentationStore {
  const store = state.stores.get(storeKey(caseId, timepointId));
  if (!store) throw new HandlerError('invalid-request', `the segmentation of case "${caseId}", timepoint "${timepointId}" is not open`);
  return store;
}

/** Errors of the workspace service are the user's input (bad id, duplicate case...): keep the message, code invalid-request. */
function asRequestError<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof HandlerError) throw error;
    throw new HandlerError('invalid-request', error instanceof Error ? error.message : String(error));
  }
}

function closeAll(state: WorkspaceState): void {
  for (const store of state.stores.values()) store.close();
  state.stores.clear();
}

function info(service: WorkspaceService): WorkspaceInfo {
  const { cases, problems } = service.listCases();
  return { root: service.root, cases, problems };
}

/** Exported file name: letters, digits, '.', '_', '-', ending .nii or .nii.gz. */
const EXPORT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.nii(\.gz)?$/;

export function workspaceHandlers(state: WorkspaceState): HandlerTable {
  return {
    'workspace:open': (request: RequestOf<'workspace:open'>) => {
      if (!path.isAbsolute(request.rootPath)) throw new HandlerError('invalid-request', 'rootPath must be an absolute path');
      const service = asRequestError(() => WorkspaceService.open(path.resolve(request.rootPath)));
      closeAll(state);
      state.service = service;
      return info(service);
    },
    'workspace:info': () => info(requireWorkspace(state)),
    'workspace:createCase': (request: RequestOf<'workspace:createCase'>) => {
      const ws = requireWorkspace(state);
      return asRequestError(() => ws.createCase(request.subjectId, request.dicom));
    },
    'workspace:getCase': (request: RequestOf<'workspace:getCase'>) => asRequestError(() => requireWorkspace(state).getCase(request.caseId)),
    'workspace:updateAnthropometrics': (request: RequestOf<'workspace:updateAnthropometrics'>) => {
      const ws = requireWorkspace(state);
      const { caseId, ...patch } = request;
      return asRequestError(() => ws.updateAnthropometrics(caseId, patch));
    },
    'workspace:addTimepoint': (request: RequestOf<'workspace:addTimepoint'>): CaseRecord => {
      const ws = requireWorkspace(state);
      return asRequestError(() => {
        ws.addTimepoint(request.caseId, { kind: request.kind, ...(request.label !== undefined && { label: request.label }), scanDate: request.scanDate ?? null });
        return ws.getCase(request.caseId);
      });
    },
    'workspace:bindSeries': (request: RequestOf<'workspace:bindSeries'>) => {
      const ws = requireWorkspace(state);
      const { caseId, timepointId, dicom, ...binding } = request;
      return asRequestError(() => ws.bindSeries(caseId, timepointId, binding, dicom));
    },
    'segmentation:open': (request: RequestOf<'segmentation:open'>) => {
      const ws = requireWorkspace(state);
      const key = storeKey(request.caseId, request.timepointId);
      state.stores.get(key)?.close();
      state.stores.delete(key);
      const geometry: ImageGeometry = {
        sizeIJK: [...request.geometry.sizeIJK] as ImageGeometry['sizeIJK'],
        spacingMm: [...request.geometry.spacingMm] as ImageGeometry['spacingMm'],
        originLPS: [...request.geometry.originLPS] as ImageGeometry['originLPS'],
        directionLPS: [...request.geometry.directionLPS],
      };
      const existed = asRequestError(() => SegmentationStore.exists(ws.segmentationDir(request.caseId, request.timepointId)));
      // A damaged or partial file is never loaded silently: open() throws when nothing is readable, and reports what
      // it recovered from (problems, lost operations, quarantined files) otherwise; the answer carries that report.
      const store = asRequestError(() => ws.openSegmentation(request.caseId, request.timepointId, { geometry }));
      state.stores.set(key, store);
      return encodeSegmentationWire({
        header: {
          caseId: request.caseId,
          timepointId: request.timepointId,
          seriesInstanceUid: store.identity.seriesInstanceUid,
          frameOfReferenceUid: store.identity.frameOfReferenceUid,
          geometry: store.identity.geometry,
          generation: store.currentGeneration,
          recovery: store.recovery,
          created: !existed,
        },
        labelmap: store.labelmap,
        history: store.historyState(),
      });
    },
    'segmentation:record': (request: RequestOf<'segmentation:record'>): SegmentationRecordAnswer => {
      const store = requireStore(state, request.caseId, request.timepointId);
      if (request.op === 'edit') {
        if (request.entry === undefined) throw new HandlerError('invalid-request', 'an edit needs its entry');
        let entry;
        try {
          entry = decodeHistoryEntry(base64ToBytes(request.entry), 'edit entry');
        } catch (error) {
          throw new HandlerError('invalid-request', error instanceof Error ? error.message : String(error));
        }
        if (entry.id !== request.entryId) throw new HandlerError('invalid-request', `entryId ${request.entryId} does not match the entry (${entry.id})`);
        // The store checks every voxel against its mirror: a mismatch is refused and nothing is journalled.
        asRequestError(() => store.recordEdit(entry));
      } else {
        if (request.entry !== undefined) throw new HandlerError('invalid-request', `${request.op} takes no entry`);
        const s = store.historyState();
        const top = request.op === 'undo' ? s.undo.at(-1) : s.redo.at(-1);
        if (!top || top.id !== request.entryId) {
          throw new HandlerError('invalid-request', `${request.op} of entry ${request.entryId}, but the stored history's next ${request.op} is ${top ? `entry ${top.id}` : 'empty'}`);
        }
        asRequestError(() => (request.op === 'undo' ? store.recordUndo() : store.recordRedo()));
      }
      const s = store.historyState();
      return { generation: store.currentGeneration, undoCount: s.undo.length, redoCount: s.redo.length };
    },
    'segmentation:exportNifti': (request: RequestOf<'segmentation:exportNifti'>) => {
      const ws = requireWorkspace(state);
      const store = requireStore(state, request.caseId, request.timepointId);
      const name = request.fileName ?? `labels-${new Date().toISOString().replace(/[:.]/g, '-')}.nii.gz`;
      if (!EXPORT_NAME_RE.test(name)) throw new HandlerError('invalid-request', `fileName "${name}" must be letters, digits, '.', '_', '-' ending in .nii or .nii.gz`);
      const dir = path.join(path.dirname(ws.segmentationDir(request.caseId, request.timepointId)), 'exports');
      const file = path.join(dir, name);
      store.exportNifti(file);
      return { path: file };
    },
    'segmentation:getSegmentStyles': (request: RequestOf<'segmentation:getSegmentStyles'>): SegmentStylesAnswer => {
      const ws = requireWorkspace(state);
      // An unknown case or timepoint is the caller's error; a damaged segments.json is reported, never thrown away silently.
      asRequestError(() => ws.segmentStylesFile(request.caseId, request.timepointId));
      try {
        return { segments: ws.readSegmentStyles(request.caseId, request.timepointId), problem: null };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!fs.existsSync(ws.segmentStylesFile(request.caseId, request.timepointId))) throw new HandlerError('invalid-request', message);
        return { segments: null, problem: message };
      }
    },
    'segmentation:saveSegmentStyles': (request: RequestOf<'segmentation:saveSegmentStyles'>): SegmentStylesAnswer => {
      const ws = requireWorkspace(state);
      const segments = request.segments.map((seg) => ({ ...seg, color: [seg.color[0], seg.color[1], seg.color[2]] as SegmentStyle['color'] }));
      return { segments: asRequestError(() => ws.saveSegmentStyles(request.caseId, request.timepointId, segments)), problem: null };
    },
    'segmentation:close': (request: RequestOf<'segmentation:close'>) => {
      const key = storeKey(request.caseId, request.timepointId);
      const store = state.stores.get(key);
      store?.close();
      state.stores.delete(key);
      return { closed: store !== undefined };
    },
  };
}

/**
 * The handler table behind both transports. Plain Node: services are injected, so the Electron main process
 * (with a native folder dialog) and the browser-mode server (without one) build the same table.
 *
 * To add a channel: declare it in ../ipc/contract.ts, then add its handler here.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HandlerError } from '../ipc/dispatch.ts';
import type { CallContext, HandlerTable } from '../ipc/dispatch.ts';
import type { DicomIndexReport, IndexProgress } from '../ipc/contract.ts';
import type { IndexResult } from '../services/dicom-index/types.ts';
import { IndexRootError, indexPath } from '../services/dicom-index/scan.ts';
import { encodeFileBatch } from '../../../wasm/src/transfer/file-batch.ts';
import type { BatchEntry } from '../../../wasm/src/transfer/file-batch.ts';
import { FileAccessError, createFileAccess } from './file-access.ts';
import type { FileAccess } from './file-access.ts';
import { reportHandlers } from './report-handlers.ts';
import { createWorkspaceState, workspaceHandlers } from './workspace-handlers.ts';
import type { WorkspaceState } from './workspace-handlers.ts';

export interface HandlerServices {
  version: string;
  /** Version of the volumetry core the results are computed with. */
  coreVersion: string;
  platform: string;
  /** Native folder picker (Electron only); resolves null when cancelled. */
  openFolder?: () => Promise<string | null>;
  /** The dicom-index service; main.ts and the browser-mode server pass indexDicomWithProgress. */
  indexDicom?: (rootPath: string, onProgress: (progress: IndexProgress) => void) => Promise<IndexResult>;
  /**
   * The allow-list behind dicom:readFile; a successful dicom:index adds its root. Default: a fresh one per table
   * (one table per process: main.ts and the browser-mode server each build exactly one).
   */
  fileAccess?: FileAccess;
  /** The open workspace and segmentation stores behind workspace:* and segmentation:* (default: a fresh, empty one). */
  workspace?: WorkspaceState;
}

const FILE_ACCESS_CODES = { invalid: 'invalid-request', 'too-large': 'invalid-request', forbidden: 'forbidden', missing: 'failed' } as const;

/** dicom:readFile: the allow-list decides; its refusals keep their reason. */
export async function readAllowedFile(fileAccess: FileAccess, requestedPath: string): Promise<Uint8Array> {
  try {
    return await fileAccess.readFile(requestedPath);
  } catch (error) {
    if (error instanceof FileAccessError) throw new HandlerError(FILE_ACCESS_CODES[error.kind], error.message);
    throw error;
  }
}

/** dicom:readFiles: each file through the same allow-list, read one after the other; a refusal is that file's error entry. */
export async function readAllowedFiles(fileAccess: FileAccess, paths: readonly string[]): Promise<Uint8Array> {
  const entries: BatchEntry[] = [];
  for (const requested of paths) {
    try {
      entries.push({ bytes: await readAllowedFile(fileAccess, requested) });
    } catch (error) {
      if (!(error instanceof HandlerError)) throw error;
      entries.push({ error: error.message });
    }
  }
  return encodeFileBatch(entries);
}

/** A folder or a DICOMDIR file; the index service decides what it holds. Returns it and the base of relative paths. */
async function requireExistingPath(rootPath: string): Promise<{ resolved: string; baseDir: string }> {
  if (!path.isAbsolute(rootPath)) throw new HandlerError('invalid-request', 'rootPath must be an absolute path');
  const resolved = path.resolve(rootPath);
  let isDirectory: boolean;
  try {
    const info = await stat(resolved);
    if (!info.isDirectory() && !info.isFile()) throw new Error('not a file or folder');
    isDirectory = info.isDirectory();
  } catch {
    throw new HandlerError('invalid-request', `rootPath is not a readable folder or file: ${resolved}`);
  }
  return { resolved, baseDir: isDirectory ? resolved : path.dirname(resolved) };
}

/**
 * The dicom-index service with progress. indexPath has no progress hook yet, so the stream is
 * 'started' / 'finished'; an unusable root becomes an invalid-request error.
 */
export async function indexDicomWithProgress(rootPath: string, onProgress: (progress: IndexProgress) => void): Promise<IndexResult> {
  onProgress({ rootPath, phase: 'started', filesScanned: 0, filesTotal: null });
  let result: IndexResult;
  try {
    result = await indexPath(rootPath);
  } catch (error) {
    if (error instanceof IndexRootError) throw new HandlerError('invalid-request', error.message);
    throw error;
  }
  onProgress({ rootPath, phase: 'finished', filesScanned: result.fileCount, filesTotal: result.fileCount });
  return result;
}

export function createHandlerTable(services: HandlerServices): HandlerTable {
  const { indexDicom, openFolder } = services;
  const fileAccess = services.fileAccess ?? createFileAccess();
  const workspace = services.workspace ?? createWorkspaceState();
  return {
    'app:info': (_request, context: CallContext) => ({
      version: services.version,
      coreVersion: services.coreVersion,
      platform: services.platform,
      transport: context.transport,
    }),
    ...(openFolder && {
      'dialog:openFolder': async () => ({ path: await openFolder() }),
    }),
    ...(indexDicom && {
      'dicom:index': async (request: { rootPath: string }, context: CallContext) => {
        const { resolved, baseDir } = await requireExistingPath(request.rootPath);
        const report = await indexDicom(resolved, (progress) => context.emit('index:progress', progress));
        await fileAccess.allowIndexedRoot(resolved);
        const answer: DicomIndexReport = { ...report, baseDir };
        return answer;
      },
    }),
    'dicom:readFile': (request: { path: string }) => readAllowedFile(fileAccess, request.path),
    'dicom:readFiles': (request: { paths: string[] }) => readAllowedFiles(fileAccess, request.paths),
    ...workspaceHandlers(workspace),
    ...reportHandlers(workspace),
  };
}

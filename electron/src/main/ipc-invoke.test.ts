import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom, writePhantomSeries } from '../../../fixtures/src/phantom/index.ts';
import type { EventName } from '../ipc/contract.ts';
import { createHandlerTable, indexDicomWithProgress } from './handlers.ts';
import { createIpcInvoke } from './ipc-invoke.ts';
import type { SenderDescriptor } from './sender-policy.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'remnant-ipc-'));
const seriesDir = path.join(scratch, 'series');
beforeAll(async () => {
  mkdirSync(seriesDir);
  // A small noise-free phantom: 10 slices of 12 x 16 pixels, plus one file that is not DICOM.
  await writePhantomSeries(generatePhantom({ rows: 12, columns: 16, pixelSpacingMm: [2, 1.5], sliceCount: 10, sliceSpacingMm: 2.5, noiseSd: 0, includeVesselMask: false }), seriesDir);
  writeFileSync(path.join(seriesDir, 'notes.txt'), 'not dicom');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const indexed: string[] = [];
const table = createHandlerTable({
  version: '0.1.0',
  coreVersion: '0.1.0-core',
  platform: 'linux',
  openFolder: async () => '/picked/folder',
  indexDicom: (rootPath, onProgress) => {
    indexed.push(rootPath);
    return indexDicomWithProgress(rootPath, onProgress);
  },
});

const refused: string[] = [];
const invoke = createIpcInvoke({
  table,
  policy: () => ({ trustedWebContentsIds: new Set([1]) }),
  onRefused: (reason) => refused.push(reason),
});
const appFrame: SenderDescriptor = { frameUrl: 'remnant://app/index.html', isMainFrame: true, webContentsId: 1 };
const noEmit = () => {};

describe('IPC invoke (sender check + shared dispatch)', () => {
  it('answers app:info with the IPC transport', async () => {
    expect(await invoke(appFrame, noEmit, 'app:info', undefined)).toEqual({
      ok: true,
      value: { version: '0.1.0', coreVersion: '0.1.0-core', platform: 'linux', transport: 'ipc' },
    });
    expect(await invoke(appFrame, noEmit, 'dialog:openFolder', undefined)).toEqual({ ok: true, value: { path: '/picked/folder' } });
  });

  it('refuses a wrong sender before looking at the channel or payload', async () => {
    const foreign: SenderDescriptor = { frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 1 };
    const iframe: SenderDescriptor = { ...appFrame, isMainFrame: false };
    const otherWindow: SenderDescriptor = { ...appFrame, webContentsId: 2 };
    for (const sender of [foreign, iframe, otherWindow]) {
      const result = await invoke(sender, noEmit, 'dicom:index', { rootPath: scratch });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', channel: 'dicom:index' } });
    }
    expect(indexed).toEqual([]);
    expect(refused).toEqual(['sender origin is not the application', 'sender is a sub-frame', 'sender is not an application window']);
  });

  it('rejects unknown channels and invalid payloads from a trusted sender', async () => {
    expect(await invoke(appFrame, noEmit, 'fs:readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await invoke(appFrame, noEmit, 'dicom:index', { rootPath: ['/x'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: 'request.rootPath: expected a string, got array' },
    });
    expect(await invoke(appFrame, noEmit, 'dicom:index', undefined)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('dicom:index checks the path, indexes the folder and streams progress to the caller', async () => {
    expect(await invoke(appFrame, noEmit, 'dicom:index', { rootPath: 'relative/dir' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: 'rootPath must be an absolute path' },
    });
    expect(await invoke(appFrame, noEmit, 'dicom:index', { rootPath: path.join(scratch, 'missing') })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    const events: { event: EventName; payload: unknown }[] = [];
    const result = await invoke(appFrame, (event, payload) => events.push({ event, payload }), 'dicom:index', { rootPath: seriesDir });
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value as { root: string; fileCount: number; studies: { series: unknown[] }[]; unreadableFiles: { path: string; code: string }[] };
    expect(report.root).toBe(seriesDir);
    expect(report.fileCount).toBe(11);
    expect(report.studies).toHaveLength(1);
    expect(report.studies[0]!.series).toHaveLength(1);
    expect(report.unreadableFiles).toEqual([expect.objectContaining({ path: 'notes.txt', code: 'not-dicom' })]);
    expect(events).toEqual([
      { event: 'index:progress', payload: { rootPath: seriesDir, phase: 'started', filesScanned: 0, filesTotal: null } },
      { event: 'index:progress', payload: { rootPath: seriesDir, phase: 'finished', filesScanned: 11, filesTotal: 11 } },
    ]);
  });

  it('dicom:readFile over IPC: sender checked, payload validated, only files under a folder indexed in this run', async () => {
    const file = path.join(seriesDir, 'notes.txt');
    const foreign: SenderDescriptor = { frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 1 };
    expect(await invoke(foreign, noEmit, 'dicom:readFile', { path: file })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'sender origin is not the application' } });
    expect(await invoke(appFrame, noEmit, 'dicom:readFile', { path: file, length: 10 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await invoke(appFrame, noEmit, 'dicom:readFile', { path: path.join(scratch, '..', 'etc', 'passwd') })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // seriesDir was indexed by the test above, through the same table.
    const answer = await invoke(appFrame, noEmit, 'dicom:readFile', { path: file });
    expect(answer.ok && new TextDecoder().decode(answer.value as Uint8Array)).toBe('not dicom');
    expect(await invoke(appFrame, noEmit, 'dicom:readFile', { path: `${seriesDir}/../series/../../outside` })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('without a dialog service, dialog:openFolder is unavailable', async () => {
    const headless = createIpcInvoke({ table: createHandlerTable({ version: '1', coreVersion: '1', platform: 'linux' }), policy: () => ({ trustedWebContentsIds: new Set([1]) }) });
    expect(await headless(appFrame, noEmit, 'dialog:openFolder', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

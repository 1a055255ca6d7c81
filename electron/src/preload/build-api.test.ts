import { describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE, RemnantApiError } from '../ipc/contract.ts';
import { buildPreloadApi } from './build-api.ts';
import type { PreloadBridge } from './build-api.ts';

/** An in-memory stand-in for ipcRenderer: records invokes, lets the test push events. */
function fakeBridge(answer: (channel: string, payload: unknown) => unknown) {
  const calls: { ipcChannel: string; channel: string; payload: unknown }[] = [];
  const subscribers = new Set<(eventName: unknown, payload: unknown) => void>();
  const bridge: PreloadBridge = {
    invoke: async (ipcChannel, channel, payload) => {
      calls.push({ ipcChannel, channel, payload });
      return answer(channel, payload);
    },
    on: (ipcChannel, callback) => {
      expect(ipcChannel).toBe(IPC_EVENT);
      subscribers.add(callback);
      return () => subscribers.delete(callback);
    },
  };
  return { bridge, calls, subscribers, push: (name: unknown, payload: unknown) => subscribers.forEach((s) => s(name, payload)) };
}

describe('preload API', () => {
  it('exposes exactly one function per channel and event, and nothing else', () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: null }));
    const api = buildPreloadApi(bridge);
    expect(Object.keys(api).sort()).toEqual([
      'addTimepoint',
      'bindSeries',
      'closeSegmentation',
      'cosignReport',
      'createCase',
      'createReviewerKey',
      'exportSegmentationNifti',
      'getAppInfo',
      'getCase',
      'getSegmentStyles',
      'getWorkspace',
      'importReviewerKey',
      'indexDicom',
      'listReviewerKeys',
      'listSignedReports',
      'onFolderOpened',
      'onIndexProgress',
      'openFolder',
      'openSegmentation',
      'openWorkspace',
      'previewReport',
      'readDicomFile',
      'readDicomFiles',
      'recordSegmentationOp',
      'saveSegmentStyles',
      'signAndExportReport',
      'updateAnthropometrics',
    ]);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('passes file bytes (dicom:readFile) through unchanged', async () => {
    const { bridge, calls } = fakeBridge(() => ({ ok: true, value: new Uint8Array([1, 2, 3]) }));
    const api = buildPreloadApi(bridge);
    expect([...(await api.readDicomFile({ path: '/data/a.dcm' }))]).toEqual([1, 2, 3]);
    expect(calls).toEqual([{ ipcChannel: IPC_INVOKE, channel: 'dicom:readFile', payload: { path: '/data/a.dcm' } }]);
  });

  it('sends channel + payload over the single invoke channel and unwraps the envelope', async () => {
    const { bridge, calls } = fakeBridge((channel) =>
      channel === 'app:info' ? { ok: true, value: { version: '1' } } : { ok: false, error: { code: 'invalid-request', channel, message: 'request.rootPath: must not be empty' } },
    );
    const api = buildPreloadApi(bridge);
    expect(await api.getAppInfo()).toEqual({ version: '1' });
    const failure = api.indexDicom({ rootPath: '' });
    await expect(failure).rejects.toBeInstanceOf(RemnantApiError);
    await expect(failure).rejects.toMatchObject({ code: 'invalid-request', message: 'dicom:index: request.rootPath: must not be empty' });
    expect(calls).toEqual([
      { ipcChannel: IPC_INVOKE, channel: 'app:info', payload: undefined },
      { ipcChannel: IPC_INVOKE, channel: 'dicom:index', payload: { rootPath: '' } },
    ]);
  });

  it('a malformed answer becomes a clear error', async () => {
    const api = buildPreloadApi(fakeBridge(() => 'garbage').bridge);
    await expect(api.getAppInfo()).rejects.toMatchObject({ code: 'failed', message: 'app:info: malformed answer from the main process' });
  });

  it('events reach only their listeners; unsubscribe detaches from IPC when the last one leaves', () => {
    const { bridge, subscribers, push } = fakeBridge(() => null);
    const api = buildPreloadApi(bridge);
    const progress: unknown[] = [];
    const opened: unknown[] = [];
    const offProgress = api.onIndexProgress((p) => progress.push(p));
    const offOpened = api.onFolderOpened((p) => opened.push(p));
    expect(subscribers.size).toBe(1);
    push('index:progress', { filesScanned: 1 });
    push('folder:opened', { path: '/x' });
    push('not-an-event', { x: 1 });
    expect(progress).toEqual([{ filesScanned: 1 }]);
    expect(opened).toEqual([{ path: '/x' }]);
    offProgress();
    offProgress();
    push('index:progress', { filesScanned: 2 });
    expect(progress).toHaveLength(1);
    offOpened();
    expect(subscribers.size).toBe(0);
  });

  it('refuses a non-function listener', () => {
    const api = buildPreloadApi(fakeBridge(() => null).bridge);
    expect(() => (api.onIndexProgress as (l: unknown) => unknown)('nope')).toThrow('index:progress: listener must be a function');
  });
});

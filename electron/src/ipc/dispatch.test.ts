import { describe, expect, it } from 'vitest';
import { HandlerError, dispatch } from './dispatch.ts';
import type { CallContext, HandlerTable } from './dispatch.ts';
import type { DicomIndexReport, EventName } from './contract.ts';

const emptyReport = (root: string): DicomIndexReport => ({
  schemaVersion: 1,
  root,
  baseDir: root,
  fileCount: 0,
  studies: [],
  nonImageObjects: [],
  mediaDirectories: [],
  unreadableFiles: [],
});

function context(transport: 'ipc' | 'http', sink: { event: EventName; payload: unknown }[] = []): CallContext {
  return { transport, emit: (event, payload) => void sink.push({ event, payload }) };
}

const table: HandlerTable = {
  'app:info': (_request, ctx) => ({ version: '1.2.3', coreVersion: '1.2.3', platform: 'linux', transport: ctx.transport }),
  'dialog:openFolder': () => ({ path: '/picked' }),
  'dicom:readFile': (request) => {
    if (request.path !== '/data/a.dcm') throw new HandlerError('forbidden', `${request.path} is not inside a folder indexed in this session`);
    return new Uint8Array([1, 2, 3]);
  },
  'dicom:index': async (request, ctx) => {
    ctx.emit('index:progress', { rootPath: request.rootPath, phase: 'finished', filesScanned: 1, filesTotal: 1 });
    if (request.rootPath === '/missing') throw new HandlerError('invalid-request', 'no such folder');
    if (request.rootPath === '/boom') throw new Error('disk on fire');
    return emptyReport(request.rootPath);
  },
};

describe('dispatch', () => {
  it('validates, calls the handler and wraps the value', async () => {
    const events: { event: EventName; payload: unknown }[] = [];
    const result = await dispatch(table, 'dicom:index', { rootPath: '/data' }, context('ipc', events));
    expect(result).toEqual({ ok: true, value: emptyReport('/data') });
    expect(events).toEqual([{ event: 'index:progress', payload: { rootPath: '/data', phase: 'finished', filesScanned: 1, filesTotal: 1 } }]);
  });

  it('rejects an invalid payload before the handler runs', async () => {
    const events: { event: EventName; payload: unknown }[] = [];
    const result = await dispatch(table, 'dicom:index', { rootPath: 7 }, context('ipc', events));
    expect(result).toEqual({ ok: false, error: { code: 'invalid-request', channel: 'dicom:index', message: 'request.rootPath: expected a string, got number' } });
    expect(events).toEqual([]);
    expect(await dispatch(table, 'app:info', { sneaky: 1 }, context('ipc'))).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('dicom:readFile: validates the path argument, passes bytes through and keeps forbidden refusals', async () => {
    expect(await dispatch(table, 'dicom:readFile', { path: '/data/a.dcm' }, context('http'))).toEqual({ ok: true, value: new Uint8Array([1, 2, 3]) });
    for (const bad of [undefined, {}, { path: '' }, { path: 3 }, { path: '/a\u0000b' }, { path: '/a', extra: true }, { path: 'x'.repeat(5000) }, ['/a']]) {
      expect(await dispatch(table, 'dicom:readFile', bad, context('ipc')), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid-request', channel: 'dicom:readFile' } });
    }
    expect(await dispatch(table, 'dicom:readFile', { path: '/etc/passwd' }, context('ipc'))).toEqual({
      ok: false,
      error: { code: 'forbidden', channel: 'dicom:readFile', message: '/etc/passwd is not inside a folder indexed in this session' },
    });
  });

  it('rejects unknown channels, including prototype names and non-strings', async () => {
    for (const name of ['dicom:delete', 'dicom:readfile', 'dicom:readfiles', 'dicom:readFile2', 'constructor', '__proto__', 'toString']) {
      expect(await dispatch(table, name, undefined, context('ipc'))).toEqual({ ok: false, error: { code: 'unknown-channel', channel: name, message: 'unknown channel' } });
    }
    expect(await dispatch(table, 42, undefined, context('ipc'))).toMatchObject({ ok: false, error: { code: 'unknown-channel', channel: '<number>' } });
  });

  it('refuses Electron-only channels over HTTP', async () => {
    expect(await dispatch(table, 'dialog:openFolder', undefined, context('http'))).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await dispatch(table, 'dialog:openFolder', undefined, context('ipc'))).toEqual({ ok: true, value: { path: '/picked' } });
  });

  it('answers unavailable for a channel without a handler', async () => {
    expect(await dispatch({}, 'app:info', undefined, context('ipc'))).toEqual({ ok: false, error: { code: 'unavailable', channel: 'app:info', message: 'no handler is registered for this channel in this process' } });
  });

  it('turns handler errors into envelopes, keeping HandlerError codes', async () => {
    expect(await dispatch(table, 'dicom:index', { rootPath: '/missing' }, context('ipc'))).toEqual({
      ok: false,
      error: { code: 'invalid-request', channel: 'dicom:index', message: 'no such folder' },
    });
    expect(await dispatch(table, 'dicom:index', { rootPath: '/boom' }, context('ipc'))).toEqual({
      ok: false,
      error: { code: 'failed', channel: 'dicom:index', message: 'disk on fire' },
    });
  });

  it('sanitises control characters in echoed channel names', async () => {
    const result = await dispatch(table, 'evil\u001b[31m', undefined, context('ipc'));
    expect(result).toMatchObject({ ok: false, error: { channel: 'evil?[31m' } });
  });
});

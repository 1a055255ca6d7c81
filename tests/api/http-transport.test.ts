/**
 * The renderer's browser-mode client (renderer/src/api/http-client.ts) against the real browser-mode server and the
 * real handler table, in-process: the same RemnantApi as Electron's preload, including binary file reads and events.
 * Lives in tests/ because it joins both sides (renderer/ may not import electron/ runtime code and vice versa).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../electron/src/ipc/contract.ts';
import { createHandlerTable, indexDicomWithProgress } from '../../electron/src/main/handlers.ts';
import { buildPreloadApi } from '../../electron/src/preload/build-api.ts';
import { startWebServer } from '../../electron/src/web/server.ts';
import type { WebServer } from '../../electron/src/web/server.ts';
import { ApiCallError, createHttpClient, tokenFromHash } from '../../renderer/src/api/http-client.ts';
import { decodeFileBatch } from '../../wasm/src/transfer/file-batch.ts';

let scratch: string;
let folder: string;
let server: WebServer;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'remnant-http-transport-'));
  folder = path.join(scratch, 'folder');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'note.txt'), 'not dicom');
  writeFileSync(path.join(folder, 'bytes.bin'), new Uint8Array([0, 1, 2, 250, 255]));
  writeFileSync(path.join(scratch, 'outside.txt'), 'patient list');
  server = await startWebServer({
    table: createHandlerTable({ version: '0.1.0', coreVersion: '0.1.0', platform: 'linux', indexDicom: indexDicomWithProgress }),
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('browser-mode transport (renderer client <-> server)', () => {
  it('offers exactly the methods of the Electron preload (one RemnantApi for both transports)', () => {
    const preload = buildPreloadApi({ invoke: async () => ({ ok: true, value: null }), on: () => () => {} });
    const http = createHttpClient({ token: 'x'.repeat(20), baseUrl: server.origin });
    expect(Object.keys(http).sort()).toEqual(Object.keys(preload).sort());
  });

  it('implements RemnantApi end to end, including progress events over SSE', async () => {
    expect(tokenFromHash(`#token=${server.token}`)).toBe(server.token);
    const api = createHttpClient({ token: server.token, baseUrl: server.origin, reconnectDelayMs: 50 });
    expect(await api.getAppInfo()).toMatchObject({ transport: 'http' });
    await expect(api.indexDicom({ rootPath: 'not/absolute' })).rejects.toMatchObject({ code: 'invalid-request', message: 'dicom:index: rootPath must be an absolute path' });
    await expect(api.openFolder()).rejects.toBeInstanceOf(ApiCallError);
    await expect(api.openFolder()).rejects.toMatchObject({ code: 'unavailable' });

    const progress: IndexProgress[] = [];
    let finished: () => void = () => {};
    const sawFinished = new Promise<void>((resolve) => (finished = resolve));
    const off = api.onIndexProgress((p) => {
      progress.push(p);
      if (p.phase === 'finished') finished();
    });
    // Events are not replayed: wait until the client's event stream is attached before starting the index.
    while (server.eventStreamCount() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const report = await api.indexDicom({ rootPath: folder });
    expect(report.root).toBe(folder);
    expect(report.baseDir).toBe(folder);
    expect(report.fileCount).toBe(2);
    expect(report.unreadableFiles.map((u) => u.code)).toEqual(['not-dicom', 'not-dicom']);
    await sawFinished;
    off();
    expect(progress.map((p) => p.phase)).toEqual(['started', 'finished']);

    const bad = createHttpClient({ token: 'x'.repeat(43), baseUrl: server.origin });
    await expect(bad.getAppInfo()).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reads file bytes exactly (binary answer), and refuses files outside indexed folders with a clear error', async () => {
    const api = createHttpClient({ token: server.token, baseUrl: server.origin });
    await api.indexDicom({ rootPath: folder });
    const bytes = await api.readDicomFile({ path: path.join(folder, 'bytes.bin') });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes]).toEqual([0, 1, 2, 250, 255]);
    await expect(api.readDicomFile({ path: `${folder}/../outside.txt` })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('is not inside a folder indexed in this session'),
    });
    await expect(api.readDicomFile({ path: path.join(folder, 'missing.dcm') })).rejects.toMatchObject({ code: 'failed', message: expect.stringContaining('no such file') });
    // An invalid payload (the client is typed; force one through) is refused by the shared validator.
    const untyped = api.readDicomFile as unknown as (request: unknown) => Promise<Uint8Array>;
    await expect(untyped({ path: 42 })).rejects.toMatchObject({ code: 'invalid-request', message: 'dicom:readFile: request.path: expected a string, got number' });
  });

  it('reads a batch of files in one binary answer (dicom:readFiles): same allow-list, a refused file is its own error entry', async () => {
    const api = createHttpClient({ token: server.token, baseUrl: server.origin });
    await api.indexDicom({ rootPath: folder });
    const batch = decodeFileBatch(
      await api.readDicomFiles({ paths: [path.join(folder, 'bytes.bin'), `${folder}/../outside.txt`, path.join(folder, 'missing.dcm'), path.join(folder, 'bytes.bin')] }),
    );
    expect(batch).toHaveLength(4);
    expect([...('bytes' in batch[0]! ? batch[0].bytes : [])]).toEqual([0, 1, 2, 250, 255]);
    expect(batch[1]).toEqual({ error: expect.stringContaining('is not inside a folder indexed in this session') });
    expect(batch[2]).toEqual({ error: expect.stringContaining('no such file') });
    expect([...('bytes' in batch[3]! ? batch[3].bytes : [])]).toEqual([0, 1, 2, 250, 255]);
    const untyped = api.readDicomFiles as unknown as (request: unknown) => Promise<Uint8Array>;
    await expect(untyped({ paths: [] })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(untyped({ paths: Array.from({ length: 65 }, () => path.join(folder, 'bytes.bin')) })).rejects.toMatchObject({ code: 'invalid-request' });
  });
});

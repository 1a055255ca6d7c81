/**
 * Node proof that the itk-wasm pipelines (reference reader, contour interpolation) make no network request:
 * globalThis.fetch replaced by a throwing spy, and every outbound socket / DNS attempt recorded through
 * diagnostics_channel ('net.client.socket', 'undici:request:create') plus patched net.Socket.prototype.connect,
 * tls.connect and dns.lookup. Asserts zero attempts AND that the monitors do see a deliberate local connection.
 */
import dc from 'node:diagnostics_channel';
import dns from 'node:dns';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataPath as sharedDataDir } from './test-data.ts';
import { fillBetweenSlices } from '../interpolate/fill-between-slices.ts';
import { readReferenceSeriesFromFiles } from './reference-reader.ts';

const attempts: string[] = [];
const onSocket = (message: unknown): void => {
  const socket = (message as { socket?: net.Socket }).socket;
  attempts.push(`net.client.socket ${socket?.remoteAddress ?? '?'}`);
};
const onUndici = (message: unknown): void => {
  attempts.push(`undici ${String((message as { request?: { origin?: string } }).request?.origin)}`);
};

const originalFetch = globalThis.fetch;
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;

beforeAll(() => {
  dc.subscribe('net.client.socket', onSocket);
  dc.subscribe('undici:request:create', onUndici);
  globalThis.fetch = ((input: unknown) => {
    attempts.push(`fetch ${String(input)}`);
    throw new Error(`network disabled in this test: fetch(${String(input)})`);
  }) as typeof fetch;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push(`net.Socket.connect ${JSON.stringify(args[0])}`);
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
    attempts.push(`dns.lookup ${String(args[0])}`);
    return (originalLookup as (...a: unknown[]) => unknown)(...args);
  };
});

afterAll(() => {
  dc.unsubscribe('net.client.socket', onSocket);
  dc.unsubscribe('undici:request:create', onUndici);
  globalThis.fetch = originalFetch;
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
});

describe('itk-wasm pipelines in Node make no network request', () => {
  it('reference reader (ct-3slice) and contour interpolation run with zero socket/fetch/DNS attempts', async () => {
    attempts.length = 0;
    const dir = sharedDataDir('dcmqi', 'data', 'segmentations', 'ct-3slice');
    const series = await readReferenceSeriesFromFiles(['01.dcm', '02.dcm', '03.dcm'].map((f) => path.join(dir, f)));
    expect(series.geometry.sizeIJK).toEqual([512, 512, 3]);
    const size: [number, number, number] = [16, 16, 5];
    const labelmap = new Uint8Array(16 * 16 * 5);
    for (const k of [0, 4]) for (let j = 4; j < 12; j++) for (let i = 4; i < 12; i++) labelmap[(k * 16 + j) * 16 + i] = 1;
    const filled = await fillBetweenSlices(labelmap, { sizeIJK: size, spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, { label: 1 });
    expect(filled.slicesFilled).toEqual([1, 2, 3]);
    expect(attempts).toEqual([]);
  });

  it('the monitors do detect a real connection attempt (control)', async () => {
    attempts.length = 0;
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve();
      });
      s.on('error', reject);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(attempts.some((a) => a.startsWith('net.Socket.connect'))).toBe(true);
    expect(attempts.some((a) => a.startsWith('net.client.socket'))).toBe(true);
    expect(() => fetch('https://example.invalid/')).toThrow(/network disabled/);
  });
});

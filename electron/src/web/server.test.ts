import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from '../main/csp.ts';
import { createHandlerTable, indexDicomWithProgress } from '../main/handlers.ts';
import { isLoopbackHost, startWebServer, tokensEqual } from './server.ts';
import type { WebServer } from './server.ts';

let scratch: string;
let rendererDir: string;
let server: WebServer;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'remnant-web-'));
  rendererDir = path.join(scratch, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Remnant web</title>');
  writeFileSync(path.join(scratch, 'outside.txt'), 'patient list');
  const table = createHandlerTable({
    version: '0.1.0',
    coreVersion: '0.1.0',
    platform: 'linux',
    indexDicom: indexDicomWithProgress,
  });
  server = await startWebServer({ table, rendererDir });
});

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http so the test can forge Host/Origin headers that fetch would not let it set. */
function raw(method: string, pathname: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const allHeaders: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...headers };
  if (allHeaders.Host === '') delete allHeaders.Host;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path: pathname, headers: allHeaders, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = () => ({ 'x-remnant-token': server.token, 'Content-Type': 'application/json' });

describe('browser-mode server', () => {
  it('listens on loopback only, with a long random token', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('calls a channel with the token, refuses it without or with a wrong one', async () => {
    const good = await raw('POST', '/api/call/app:info', auth(), '');
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toEqual({ ok: true, value: { version: '0.1.0', coreVersion: '0.1.0', platform: 'linux', transport: 'http' } });
    const missing = await raw('POST', '/api/call/app:info', { 'Content-Type': 'application/json' }, '');
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'missing or wrong x-remnant-token header' } });
    const wrong = await raw('POST', '/api/call/app:info', { ...auth(), 'x-remnant-token': `${server.token.slice(0, -1)}x` }, '');
    expect(wrong.status).toBe(401);
  });

  it('invalid payload -> 400 with the validator message; malformed JSON -> 400', async () => {
    const invalid = await raw('POST', '/api/call/dicom:index', auth(), JSON.stringify({ rootPath: 12 }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toEqual({
      ok: false,
      error: { code: 'invalid-request', channel: 'dicom:index', message: 'request.rootPath: expected a string, got number' },
    });
    const extra = await raw('POST', '/api/call/dicom:index', auth(), JSON.stringify({ rootPath: scratch, recursive: false }));
    expect(JSON.parse(extra.body)).toMatchObject({ error: { message: "request: unexpected property 'recursive'" } });
    const malformed = await raw('POST', '/api/call/dicom:index', auth(), '{"rootPath":');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { message: 'request body is not valid JSON' } });
  });

  it('unknown channel -> 404; Electron-only channel -> 501; wrong method / content type refused', async () => {
    const unknown = await raw('POST', '/api/call/fs:read', auth(), '{}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown-channel', channel: 'fs:read' } });
    expect((await raw('POST', '/api/nothing', auth(), '{}')).status).toBe(404);
    expect((await raw('POST', '/api/call/dialog:openFolder', auth(), '')).status).toBe(501);
    expect((await raw('GET', '/api/call/app:info', auth())).status).toBe(405);
    const form = await raw('POST', '/api/call/app:info', { 'x-remnant-token': server.token, 'Content-Type': 'text/plain' }, '');
    expect(form.status).toBe(415);
  });

  it('refuses bodies over the limit', async () => {
    const big = await raw('POST', '/api/call/dicom:index', auth(), JSON.stringify({ rootPath: 'x'.repeat(1024 * 1024 + 10) }));
    expect(big.status).toBe(413);
  });

  it('refuses non-loopback Host headers (DNS rebinding) even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1.evil.example:${server.port}`, '' /* no Host at all */]) {
      const answer = await raw('POST', '/api/call/app:info', { ...auth(), Host: host }, '');
      // A missing Host is already refused by Node's HTTP/1.1 parser (400); a foreign one by the server (403).
      expect(answer.status, host).toBe(host === '' ? 400 : 403);
      expect(answer.body).not.toContain('0.1.0');
    }
    expect((await raw('POST', '/api/call/app:info', { ...auth(), Host: `localhost:${server.port}` }, '')).status).toBe(200);
  });

  it('refuses cross-origin requests', async () => {
    const answer = await raw('POST', '/api/call/app:info', { ...auth(), Origin: 'http://evil.example' }, '');
    expect(answer.status).toBe(403);
    expect((await raw('POST', '/api/call/app:info', { ...auth(), Origin: server.origin }, '')).status).toBe(200);
  });

  it('a development origin can be allowed explicitly (vite proxy), still with the token', async () => {
    const allowed = new Set<string>();
    const dev = await startWebServer({ table: createHandlerTable({ version: '1', coreVersion: '1', platform: 'linux' }), allowedOrigins: allowed });
    try {
      const call = (headers: Record<string, string>) =>
        fetch(`${dev.origin}/api/call/app:info`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '' });
      expect((await call({ 'x-remnant-token': dev.token, Origin: 'http://127.0.0.1:5173' })).status).toBe(403);
      allowed.add('http://127.0.0.1:5173');
      expect((await call({ 'x-remnant-token': dev.token, Origin: 'http://127.0.0.1:5173' })).status).toBe(200);
      expect((await call({ Origin: 'http://127.0.0.1:5173' })).status).toBe(401);
    } finally {
      await dev.close();
    }
  });

  it('static files need the session cookie obtained from the launch URL, and carry the CSP', async () => {
    expect((await raw('GET', '/')).status).toBe(401);
    expect((await raw('GET', '/?token=wrong')).status).toBe(401);
    const launch = await raw('GET', new URL(server.launchUrl).pathname + new URL(server.launchUrl).search);
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe(`/#token=${server.token}`);
    const setCookie = String(launch.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const page = await raw('GET', '/', { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Remnant web');
    expect(page.headers['content-security-policy']).toBe(buildCsp());
    expect((await raw('GET', '/..%2foutside.txt', { Cookie: cookie })).body).not.toContain('patient list');
    // The session cookie is not an API credential.
    expect((await raw('POST', '/api/call/app:info', { Cookie: cookie, 'Content-Type': 'application/json' }, '')).status).toBe(401);
  });

  it('dicom:readFile answers the raw bytes as application/octet-stream, only under an indexed folder', async () => {
    const file = path.join(rendererDir, 'index.html');
    const before = await raw('POST', '/api/call/dicom:readFile', auth(), JSON.stringify({ path: file }));
    expect(before.status).toBe(403);
    expect(JSON.parse(before.body)).toMatchObject({ ok: false, error: { code: 'forbidden', channel: 'dicom:readFile' } });
    expect((await raw('POST', '/api/call/dicom:index', auth(), JSON.stringify({ rootPath: rendererDir }))).status).toBe(200);
    const ok = await raw('POST', '/api/call/dicom:readFile', auth(), JSON.stringify({ path: file }));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/octet-stream');
    expect(ok.body).toBe('<!doctype html><title>Remnant web</title>');
    const outside = await raw('POST', '/api/call/dicom:readFile', auth(), JSON.stringify({ path: `${rendererDir}/../outside.txt` }));
    expect(outside.status).toBe(403);
    expect(outside.body).not.toContain('patient list');
    const invalid = await raw('POST', '/api/call/dicom:readFile', auth(), JSON.stringify({ path: file, offset: 3 }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: "request: unexpected property 'offset'" } });
    expect((await raw('POST', '/api/call/dicom:readFile', { 'Content-Type': 'application/json' }, JSON.stringify({ path: file }))).status).toBe(401);
  });
});

describe('server helpers', () => {
  it('tokensEqual is exact', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(tokensEqual('abc', undefined)).toBe(false);
    expect(tokensEqual('abc', '')).toBe(false);
  });

  it('isLoopbackHost needs a loopback name and the exact port', () => {
    expect(isLoopbackHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isLoopbackHost('LOCALHOST:4000', 4000)).toBe(true);
    expect(isLoopbackHost('[::1]:4000', 4000)).toBe(true);
    expect(isLoopbackHost('127.0.0.1', 4000)).toBe(false);
    expect(isLoopbackHost('127.0.0.2:4000', 4000)).toBe(false);
    expect(isLoopbackHost('localhost:4001', 4000)).toBe(false);
    expect(isLoopbackHost(undefined, 4000)).toBe(false);
  });
});

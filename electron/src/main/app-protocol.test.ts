import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAppUrl, serveAppRequest } from './app-protocol.ts';
import { resolveStaticPath } from './static-files.ts';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'remnant-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Remnant</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'core.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(path.join(root, 'assets', 'with space.css'), 'body{}');
  writeFileSync(path.join(root, '.env'), 'SECRET=1');
  writeFileSync(path.join(base, 'secret.txt'), 'patient list');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'escape.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const serve = (url: string, method = 'GET') => serveAppRequest(url, method, root, { 'Content-Security-Policy': "default-src 'self'" });
const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));

describe('remnant://app protocol', () => {
  it('serves files of the renderer folder with type and CSP', async () => {
    const index = await serve('remnant://app/');
    expect(index.status).toBe(200);
    expect(text(index.body)).toContain('<title>Remnant</title>');
    expect(index.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(index.headers['Content-Security-Policy']).toBe("default-src 'self'");
    const wasm = await serve('remnant://app/assets/core.wasm');
    expect(wasm.headers['Content-Type']).toBe('application/wasm');
    expect(Array.from(wasm.body as Uint8Array)).toEqual([0, 97, 115, 109]);
    expect((await serve('remnant://app/assets/with%20space.css')).status).toBe(200);
  });

  it('refuses path traversal in every spelling', async () => {
    const attempts = [
      'remnant://app/..%2f..%2fsecret.txt',
      'remnant://app/assets/..%2F..%2Fsecret.txt',
      'remnant://app/assets/..%5c..%5csecret.txt',
      'remnant://app/%2e%2e%2fsecret.txt',
      'remnant://app/assets/%2E%2E/%2E%2E/secret.txt',
      'remnant://app/..%00/secret.txt',
      'remnant://app/C:%2fWindows%2fwin.ini',
      'remnant://app/assets/escape.txt',
      'remnant://app/.env',
      'remnant://app/%E0%A4%A',
    ];
    for (const url of attempts) {
      const answer = await serve(url);
      expect(answer.status, url).toBeGreaterThanOrEqual(400);
      expect(text(answer.body), url).not.toContain('patient list');
      expect(text(answer.body), url).not.toContain('SECRET');
    }
  });

  it('the pure resolver rejects dot segments the URL parser would otherwise hide', () => {
    expect(resolveStaticPath(root, '/assets/../../secret.txt')).toMatchObject({ ok: false, status: 400 });
    expect(resolveStaticPath(root, '/a\\..\\..\\secret.txt')).toMatchObject({ ok: false, status: 400 });
    expect(resolveStaticPath(root, 'relative')).toMatchObject({ ok: false, status: 400 });
    expect(resolveStaticPath(root, '/assets//app.js')).toMatchObject({ ok: false, status: 400 });
    expect(resolveStaticPath(root, '/assets/app.js')).toEqual({ ok: true, filePath: path.join(root, 'assets', 'app.js') });
    expect(resolveStaticPath(root, '/assets/')).toEqual({ ok: true, filePath: path.join(root, 'assets', 'index.html') });
  });

  it('refuses other hosts, ports, credentials and schemes', async () => {
    expect(parseAppUrl('remnant://evil/index.html')).toMatchObject({ ok: false });
    expect(parseAppUrl('remnant://app:8080/index.html')).toMatchObject({ ok: false });
    expect(parseAppUrl('remnant://user:pw@app/index.html')).toMatchObject({ ok: false });
    expect(parseAppUrl('file:///etc/passwd')).toMatchObject({ ok: false });
    expect(parseAppUrl('not a url')).toMatchObject({ ok: false });
    expect((await serve('remnant://evil/index.html')).status).toBe(400);
  });

  it('answers 404 for missing files and folders, 405 for writes', async () => {
    expect((await serve('remnant://app/nope.js')).status).toBe(404);
    expect((await serve('remnant://app/assets')).status).toBe(404);
    expect((await serve('remnant://app/index.html', 'POST')).status).toBe(405);
  });
});

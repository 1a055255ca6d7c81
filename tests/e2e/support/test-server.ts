/**
 * STAND-IN browser-mode server for the e2e test until H6's electron/src/web server has the viewer channels:
 * 127.0.0.1 only, random port, per-run token (fragment for the page, x-remnant-token header for the API),
 * static files from the built renderer, POST /api/call/viewer:index, GET /api/file?path=… (only files under a
 * folder indexed during this run).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { indexFolderForViewer } from './viewer-index.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface TestServer {
  origin: string;
  pageUrl: string;
  close(): Promise<void>;
}

export async function startTestServer(rendererDir: string): Promise<TestServer> {
  const token = randomBytes(24).toString('base64url');
  const allowedRoots = new Set<string>();
  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/api/')) {
        if (request.headers['x-remnant-token'] !== token) {
          response.writeHead(401).end();
          return;
        }
        if (url.pathname === '/api/file') {
          const file = path.resolve(url.searchParams.get('path') ?? '');
          if (![...allowedRoots].some((root) => file.startsWith(root + path.sep))) {
            response.writeHead(403).end();
            return;
          }
          const bytes = await fs.promises.readFile(file);
          response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
          response.end(bytes);
          return;
        }
        if (url.pathname === '/api/call/viewer:index' && request.method === 'POST') {
          const chunks: Buffer[] = [];
          for await (const chunk of request) chunks.push(chunk as Buffer);
          const { rootPath } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { rootPath: string };
          const root = path.resolve(rootPath);
          allowedRoots.add(root);
          const value = await indexFolderForViewer(root);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ ok: true, value }));
          return;
        }
        response.writeHead(404).end();
        return;
      }
      const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = path.resolve(rendererDir, relative);
      if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(response);
    })().catch((e: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: false, error: { message: (e as Error).message } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: `${origin}/#token=${token}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

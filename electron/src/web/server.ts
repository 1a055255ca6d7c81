/**
 * Browser mode: the same API as the Electron IPC, over a loopback HTTP server.
 *
 *  - binds 127.0.0.1 only, on a random port by default;
 *  - a per-run random token is required on every request:
 *      API calls:      header `x-remnant-token: <token>` (never a cookie, so cross-site requests cannot ride on it);
 *      static files:   a session cookie, obtained by opening the launch URL `/?token=<token>` once, which
 *                      redirects to `/#token=<token>` so the renderer can read the API token from the fragment;
 *  - tokens are compared in constant time;
 *  - Host must be a loopback name with our port (DNS-rebinding defence); a cross-origin Origin is refused;
 *  - POST /api/call/<channel> with a JSON body goes through the SAME dispatch (validators + handlers) as IPC;
 *    a Uint8Array result (dicom:readFile) is sent as the raw body (application/octet-stream), errors as JSON;
 *  - GET /api/events is a Server-Sent Events stream of the contract's events;
 *  - the built renderer is served with the same CSP and security headers as the Electron protocol.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_API_PREFIX, HTTP_BINARY_CONTENT_TYPE, HTTP_EVENTS_PATH, HTTP_STATUS, HTTP_TOKEN_HEADER, isEventName } from '../ipc/contract.ts';
import type { EventName, EventPayload } from '../ipc/contract.ts';
import { dispatch, failure } from '../ipc/dispatch.ts';
import type { HandlerTable } from '../ipc/dispatch.ts';
import { securityHeaders } from '../main/csp.ts';
import { readStaticFile } from '../main/static-files.ts';

export interface WebServerOptions {
  table: HandlerTable;
  /** Folder of the built renderer; without it only the API is served. */
  rendererDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string;
  maxBodyBytes?: number;
  /**
   * Development only: further origins allowed to call the API (the vite dev server that proxies /api).
   * A live set, so the dev launcher can add the vite origin once vite has picked its port.
   */
  allowedOrigins?: ReadonlySet<string>;
  /** Log line sink for refused requests (no payloads, no tokens). */
  log?: (line: string) => void;
}

export interface WebServer {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly token: string;
  /** The URL to open in a browser once: it exchanges the token for a session cookie. */
  readonly launchUrl: string;
  readonly cookieName: string;
  /** Number of connected event streams. */
  eventStreamCount(): number;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_MAX_BODY = 1024 * 1024;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time string equality (hashing first makes the lengths equal). */
export function tokensEqual(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/** Host header must be a loopback name with exactly our port. */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-f:]+\]|[^:[\]]+):(\d+)$/i.exec(hostHeader.trim());
  if (!match) return false;
  return LOOPBACK_HOSTNAMES.has(match[1]!.toLowerCase()) && Number(match[2]) === port;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const API_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...API_HEADERS, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, code: Parameters<typeof failure>[0], channel: unknown, message: string): void {
  sendJson(response, status, failure(code, channel, message));
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sessionSecret = randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const log = options.log ?? (() => {});
  const streams = new Set<ServerResponse>();
  let port = 0;
  let cookieName = 'remnant_session';

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    if (!isEventName(event)) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };

  const handleApi = async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> => {
    if (!tokensEqual(token, headerValue(request, HTTP_TOKEN_HEADER))) {
      log(`refused ${request.method} ${pathname}: missing or wrong token`);
      sendError(response, 401, 'forbidden', pathname, `missing or wrong ${HTTP_TOKEN_HEADER} header`);
      return;
    }
    if (pathname === HTTP_EVENTS_PATH) {
      if (request.method !== 'GET') return sendError(response, 405, 'invalid-request', pathname, 'use GET');
      response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      response.write(': connected\n\n');
      streams.add(response);
      const drop = (): void => void streams.delete(response);
      request.on('close', drop);
      response.on('close', drop);
      return;
    }
    if (!pathname.startsWith(HTTP_API_PREFIX)) return sendError(response, 404, 'unknown-channel', pathname, 'unknown API path');
    let channel: string;
    try {
      channel = decodeURIComponent(pathname.slice(HTTP_API_PREFIX.length));
    } catch {
      return sendError(response, 404, 'unknown-channel', pathname, 'unknown channel');
    }
    if (request.method !== 'POST') return sendError(response, 405, 'invalid-request', channel, 'use POST');
    const contentType = headerValue(request, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return sendError(response, 415, 'invalid-request', channel, 'Content-Type must be application/json');
    }
    let text: string;
    try {
      text = await readBody(request, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendError(response, 413, 'invalid-request', channel, `request body larger than ${maxBody} bytes`);
      return sendError(response, 400, 'invalid-request', channel, 'could not read the request body');
    }
    let payload: unknown;
    if (text.trim() !== '') {
      try {
        payload = JSON.parse(text);
      } catch {
        return sendError(response, 400, 'invalid-request', channel, 'request body is not valid JSON');
      }
    }
    const envelope = await dispatch(options.table, channel, payload, { transport: 'http', emit });
    if (envelope.ok && envelope.value instanceof Uint8Array) {
      const bytes = envelope.value;
      response.writeHead(200, { ...API_HEADERS, 'Content-Type': HTTP_BINARY_CONTENT_TYPE, 'Content-Length': bytes.byteLength });
      response.end(bytes);
      return;
    }
    sendJson(response, envelope.ok ? 200 : HTTP_STATUS[envelope.error.code], envelope);
  };

  const handleStatic = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const headers = securityHeaders();
    const plain = (status: number, message: string, extra: Record<string, string> = {}): void => {
      response.writeHead(status, { ...headers, ...extra, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(message);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed', { Allow: 'GET, HEAD' });
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!tokensEqual(token, queryToken)) {
        log(`refused ${request.method} ${url.pathname}: wrong launch token`);
        return plain(401, 'wrong token: open the URL printed by `remnant web` again');
      }
      // Exchange the launch token for a session cookie; hand the API token to the page in the fragment only.
      response.writeHead(303, {
        ...headers,
        'Set-Cookie': `${cookieName}=${sessionSecret}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}#token=${encodeURIComponent(token)}`,
      });
      response.end();
      return;
    }
    if (!tokensEqual(sessionSecret, parseCookies(headerValue(request, 'cookie')).get(cookieName))) {
      log(`refused ${request.method} ${url.pathname}: no session`);
      return plain(401, 'not authorised: open the URL printed by `remnant web` (it carries the token)');
    }
    if (!options.rendererDir) return plain(404, 'no renderer build is being served');
    const file = await readStaticFile(options.rendererDir, url.pathname, headers);
    response.writeHead(file.status, { ...file.headers, 'Content-Length': Buffer.byteLength(file.body) });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const hostHeader = headerValue(request, 'host');
      if (!isLoopbackHost(hostHeader, port)) {
        log(`refused request with Host ${JSON.stringify(hostHeader ?? '')}`);
        return sendError(response, 403, 'forbidden', request.url ?? '', 'Host header must be 127.0.0.1 or localhost with the server port');
      }
      const origin = headerValue(request, 'origin');
      if (origin !== undefined && origin !== `http://${hostHeader}` && !options.allowedOrigins?.has(origin)) {
        log(`refused cross-origin request from ${JSON.stringify(origin)}`);
        return sendError(response, 403, 'forbidden', request.url ?? '', 'cross-origin requests are not allowed');
      }
      let url: URL;
      try {
        url = new URL(request.url ?? '/', `http://${hostHeader}`);
      } catch {
        return sendError(response, 400, 'invalid-request', '', 'malformed request URL');
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(request, response, url.pathname);
      return handleStatic(request, response, url);
    })().catch((error: unknown) => {
      log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendError(response, 500, 'failed', request.url ?? '', 'internal error');
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `remnant_session_${port}`;
  const origin = `http://127.0.0.1:${port}`;
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, 20_000);
  heartbeat.unref();

  return {
    port,
    origin,
    token,
    cookieName,
    eventStreamCount: () => streams.size,
    launchUrl: `${origin}/?token=${encodeURIComponent(token)}`,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The renderer's privileged origin, `remnant://app/`. Registered as standard + secure before `ready`
 * (see main.ts); every request is answered from the packaged renderer folder only.
 */
import { readStaticFile } from './static-files.ts';
import type { StaticFile } from './static-files.ts';

export const APP_SCHEME = 'remnant';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged: fetch/workers/wasm streaming need standard + secure. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  stream: true,
  codeCache: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
} as const;

export type AppUrlParse = { ok: true; pathname: string } | { ok: false; reason: string };

/**
 * Pure: accept only remnant://app/<path>, no credentials, no port. Returns the still-encoded pathname
 * (resolveStaticPath does the decoding and the traversal checks).
 */
export function parseAppUrl(rawUrl: string): AppUrlParse {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:`) return { ok: false, reason: `scheme must be ${APP_SCHEME}:` };
  if (url.hostname !== APP_HOST) return { ok: false, reason: `host must be ${APP_HOST}` };
  if (url.username || url.password || url.port) return { ok: false, reason: 'credentials and ports are not allowed' };
  return { ok: true, pathname: url.pathname || '/' };
}

/** True when a URL belongs to the app's own origin (remnant://app). */
export function isAppUrl(rawUrl: string): boolean {
  return parseAppUrl(rawUrl).ok;
}

export async function serveAppRequest(rawUrl: string, method: string, rendererDir: string, headers: Record<string, string>): Promise<StaticFile> {
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'method not allowed' };
  }
  const parsed = parseAppUrl(rawUrl);
  if (!parsed.ok) return { status: 400, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: parsed.reason };
  return readStaticFile(rendererDir, parsed.pathname, headers);
}

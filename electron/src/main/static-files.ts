/**
 * Maps a URL path onto a file inside ONE root folder (the built renderer) and reads it.
 * Shared by the Electron `remnant://app/` protocol and the browser-mode HTTP server.
 *
 * Refused: "..", "." and hidden (dot) segments, encoded or literal backslashes and slashes inside a segment,
 * NUL/control characters, drive letters / ADS (":"), malformed percent-encoding, and anything whose real path
 * (after following symlinks) leaves the root.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type StaticResolution = { ok: true; filePath: string } | { ok: false; status: 400 | 404; reason: string };

export interface StaticFile {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.zst': 'application/zstd',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(filePath: string): string {
  return MIME[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

const MAX_PATH = 2048;

/** Pure: URL pathname (still percent-encoded, starting with "/") -> absolute file path under rootDir. */
export function resolveStaticPath(rootDir: string, pathname: string): StaticResolution {
  if (!pathname.startsWith('/')) return { ok: false, status: 400, reason: 'path must start with /' };
  if (pathname.length > MAX_PATH) return { ok: false, status: 400, reason: 'path too long' };
  if (pathname.includes('\\') || /%(2f|5c|00)/i.test(pathname)) return { ok: false, status: 400, reason: 'encoded separators are not allowed' };
  const rawSegments = pathname.slice(1).split('/');
  const segments: string[] = [];
  for (let i = 0; i < rawSegments.length; i++) {
    const raw = rawSegments[i]!;
    if (raw === '') {
      if (i === rawSegments.length - 1) continue; // trailing slash
      return { ok: false, status: 400, reason: 'empty path segment' };
    }
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    if (segment === '.' || segment === '..') return { ok: false, status: 400, reason: 'dot segments are not allowed' };
    if (segment.startsWith('.')) return { ok: false, status: 404, reason: 'hidden files are not served' };
    if (/[\u0000-\u001f\u007f/\\:]/.test(segment)) return { ok: false, status: 400, reason: 'invalid character in path' };
    segments.push(segment);
  }
  if (segments.length === 0 || pathname.endsWith('/')) segments.push('index.html');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, ...segments);
  const rel = path.relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 400, reason: 'path escapes the root' };
  return { ok: true, filePath };
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function errorFile(status: number, message: string, extraHeaders: Record<string, string>): StaticFile {
  return { status, headers: { ...extraHeaders, 'Content-Type': 'text/plain; charset=utf-8' }, body: message };
}

/**
 * Resolve and read one file. Never throws: missing files are 404, refused paths 400/404.
 * `extraHeaders` (the CSP and friends) are added to every answer.
 */
export async function readStaticFile(rootDir: string, pathname: string, extraHeaders: Record<string, string> = {}): Promise<StaticFile> {
  const resolved = resolveStaticPath(rootDir, pathname);
  if (!resolved.ok) return errorFile(resolved.status, resolved.reason, extraHeaders);
  try {
    const [realRoot, realFile] = await Promise.all([realpath(rootDir), realpath(resolved.filePath)]);
    if (!isInside(realRoot, realFile)) return errorFile(404, 'not found', extraHeaders);
    const info = await stat(realFile);
    if (!info.isFile()) return errorFile(404, 'not found', extraHeaders);
    const body = await readFile(realFile);
    return { status: 200, headers: { ...extraHeaders, 'Content-Type': mimeType(realFile) }, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  } catch {
    return errorFile(404, 'not found', extraHeaders);
  }
}

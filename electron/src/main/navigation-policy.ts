/**
 * Navigation and network policy for every webContents: the app never leaves its own origin,
 * never opens windows, never embeds <webview>, and the renderer talks to nothing but its own origin.
 */
import { isAppUrl } from './app-protocol.ts';

export interface OriginPolicy {
  /** Development only: the vite dev server origin. */
  devServerOrigin?: string;
}

function isDevUrl(rawUrl: string, policy: OriginPolicy): boolean {
  if (!policy.devServerOrigin) return false;
  try {
    const url = new URL(rawUrl);
    const dev = new URL(policy.devServerOrigin);
    if (url.host !== dev.host) return false;
    // Same host: the page itself (http) and vite's HMR websocket (ws).
    return url.protocol === dev.protocol || url.protocol === (dev.protocol === 'https:' ? 'wss:' : 'ws:');
  } catch {
    return false;
  }
}

/** will-navigate / will-redirect / will-frame-navigate: only within the app origin (e.g. reload). */
export function isNavigationAllowed(rawUrl: string, policy: OriginPolicy = {}): boolean {
  if (isAppUrl(rawUrl)) return true;
  return isDevUrl(rawUrl, policy) && !rawUrl.startsWith('ws');
}

/** setWindowOpenHandler: every window.open / target=_blank is denied. */
export function windowOpenDecision(_rawUrl: string): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * session.webRequest.onBeforeRequest: the renderer may load only its own origin, in-memory blob:/data: URLs
 * and DevTools' own pages. http(s), file:, ftp: and every other scheme are cancelled: no patient data leaves.
 */
export function isRequestAllowed(rawUrl: string, policy: OriginPolicy = {}): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'blob:' || url.protocol === 'data:' || url.protocol === 'devtools:') return true;
  if (isAppUrl(rawUrl)) return true;
  return isDevUrl(rawUrl, policy);
}

/** Permission requests and checks (camera, notifications, clipboard-read, HID, ...): all refused. */
export function permissionDecision(_permission: string): false {
  return false;
}

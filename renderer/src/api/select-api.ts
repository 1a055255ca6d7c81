/**
 * The renderer's one transport choice. Electron: the preload's `window.remnant`. Browser mode: the HTTP client
 * against the page's own origin (the loopback server), with the per-run token from the launch fragment (#token=…),
 * kept in sessionStorage so a reload works and removed from the address bar. Everything above this file is the same
 * code path for both.
 */
import type { RemnantApi } from '../../../electron/src/ipc/contract.ts';
import { createHttpClient, tokenFromHash } from './http-client.ts';
import type { Host } from './types.ts';

const TOKEN_KEY = 'remnant-api-token';

/** Pure: the fragment without its token parameter ('' when nothing else is left). */
export function hashWithoutToken(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('token');
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

export function selectHost(): Host {
  const bridged = (window as unknown as { remnant?: RemnantApi }).remnant;
  if (bridged) return { mode: 'electron', api: bridged };
  const fromHash = tokenFromHash(window.location.hash);
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hashWithoutToken(window.location.hash)}`);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  return { mode: 'browser', api: createHttpClient({ token }) };
}

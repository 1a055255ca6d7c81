/**
 * Browser-mode ViewerApi: the page is served by the local server (127.0.0.1, random port, H6's electron/src/web);
 * the per-run token reaches the page in the URL fragment (#token=…) and every API call carries it in the
 * `x-remnant-token` header: POST /api/call/<channel> for JSON channels, GET /api/file?path=… for file bytes (the
 * series worker fetches those itself, with the same header).
 */
import type { FolderIndex, IndexProgress, ViewerApi } from './types.ts';

export const TOKEN_HEADER = 'x-remnant-token';

/** The token from the fragment (#token=…), or from the query as a fallback. */
export function tokenFromLocation(hash: string, search = ''): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? new URLSearchParams(search).get('token') ?? '';
}

export function buildFileUrl(origin: string, filePath: string): string {
  const url = new URL('/api/file', origin);
  url.searchParams.set('path', filePath);
  return url.toString();
}

export function createBrowserApi(origin: string, token: string): ViewerApi {
  const post = async <T>(channel: string, body: unknown): Promise<T> => {
    const response = await fetch(new URL(`/api/call/${channel}`, origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(body),
    });
    const payload = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!response.ok || !payload.ok) throw new Error(payload.error?.message ?? `HTTP ${response.status}`);
    return payload.value as T;
  };
  return {
    mode: 'browser',
    openFolderDialog: async () => null,
    indexFolder: async (folderPath: string, _onProgress?: (p: IndexProgress) => void) =>
      post<FolderIndex>('viewer:index', { rootPath: folderPath }),
    fileRequest: (filePath: string) => ({ url: buildFileUrl(origin, filePath), headers: { [TOKEN_HEADER]: token } }),
  };
}

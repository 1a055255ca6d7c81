/**
 * The real browser-mode stack for end-to-end tests and the viewer benchmark: H6's loopback server
 * (electron/src/web/server.ts) with the same handler table as `npm run web` (real dicom-index service, real
 * dicom:readFile allow-list), serving a vite build of the renderer.
 */
import { BROWSER_MODE_MAX_BODY_BYTES, browserHandlerTable } from '../../../electron/src/web/serve.ts';
import { startWebServer } from '../../../electron/src/web/server.ts';

export interface WebApp {
  origin: string;
  token: string;
  /** Open once: exchanges the token for the session cookie and lands on `/#token=…`. */
  launchUrl: string;
  /** The app page with extra fragment parameters (after the launch URL has set the cookie). */
  pageUrl(extraHash?: string): string;
  log: string[];
  close(): Promise<void>;
}

export async function startWebApp(rendererDir: string): Promise<WebApp> {
  const log: string[] = [];
  const server = await startWebServer({ table: browserHandlerTable(), rendererDir, maxBodyBytes: BROWSER_MODE_MAX_BODY_BYTES, log: (line) => log.push(line) });
  return {
    origin: server.origin,
    token: server.token,
    launchUrl: server.launchUrl,
    pageUrl: (extraHash = '') => `${server.origin}/#token=${encodeURIComponent(server.token)}${extraHash ? `&${extraHash}` : ''}`,
    log,
    close: () => server.close(),
  };
}

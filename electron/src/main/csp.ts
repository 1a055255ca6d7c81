/**
 * The Content-Security-Policy for the renderer, shared by the Electron custom protocol and the browser-mode server.
 *
 * Deviations from the strictest baseline, each needed by a library we ship:
 *  - script-src 'wasm-unsafe-eval': WebAssembly compilation (itk-wasm pipelines, Cornerstone's image codecs).
 *    It does NOT allow eval() or new Function().
 *  - worker-src blob:: itk-wasm may start its pipeline worker from a blob: URL (web-workers bundle).
 *  - connect-src data:: the embedded itk-wasm worker fetches its zstd decoder from a data: URL.
 *    data: carries no network request, so it cannot exfiltrate.
 *  - style-src 'unsafe-inline': Cornerstone tools style SVG annotation text boxes with setAttribute('style');
 *    inline *styles* only — inline *scripts* stay forbidden.
 *  - img-src data: blob:: canvases exported as data/blob URLs, icons inlined by the bundler.
 * itk-wasm's default pipelinesBaseUrl is a CDN: the renderer must point it at 'self' (the CSP blocks the CDN).
 *
 * Development (forge/vite dev server) additionally needs the dev origin and its HMR websocket, and
 * 'unsafe-inline' scripts for the React Refresh preamble; never used by a packaged build.
 */

export interface CspOptions {
  /** Origin of the vite dev server, e.g. "http://localhost:5173" (development only). */
  devServerOrigin?: string;
}

function websocketOrigin(httpOrigin: string): string {
  const url = new URL(httpOrigin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.origin;
}

export function cspDirectives(options: CspOptions = {}): Record<string, string[]> {
  const dev = options.devServerOrigin ? new URL(options.devServerOrigin).origin : undefined;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'worker-src': ["'self'", 'blob:'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'data:'],
    'media-src': ["'none'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'child-src': ["'self'", 'blob:'],
    'form-action': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  if (dev) {
    directives['script-src']!.push(dev, "'unsafe-inline'");
    directives['worker-src']!.push(dev);
    directives['style-src']!.push(dev);
    directives['img-src']!.push(dev);
    directives['font-src']!.push(dev);
    directives['connect-src']!.push(dev, websocketOrigin(dev));
  }
  return directives;
}

export function buildCsp(options: CspOptions = {}): string {
  return Object.entries(cspDirectives(options))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers sent with every renderer resource, in both transports. */
export function securityHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': buildCsp(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
    'Cache-Control': 'no-store',
  };
}

/**
 * Browser-mode launcher.
 *
 *   node electron/src/web/serve.ts [--renderer-dir DIR] [--port N]     serve the built renderer + API
 *   node electron/src/web/serve.ts --dev                                 API + vite dev server (proxying /api)
 *
 * Prints the one-time launch URL (it carries the token); open it in a browser on this machine.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from '../main/csp.ts';
import { createHandlerTable, indexDicomWithProgress } from '../main/handlers.ts';
import { startWebServer } from './server.ts';
import type { WebServer } from './server.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServeOptions {
  rendererDir: string;
  port: number;
  dev: boolean;
}

export type ServeArgs = { ok: true; options: ServeOptions } | { ok: false; error: string };

export const SERVE_USAGE = 'usage: node electron/src/web/serve.ts [--renderer-dir DIR] [--port N] [--dev]';

export function parseServeArgs(argv: string[], defaults: { rendererDir: string } = { rendererDir: path.join(repoRoot, '.vite/renderer/main_window') }): ServeArgs {
  const options: ServeOptions = { rendererDir: defaults.rendererDir, port: 0, dev: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => argv[++i];
    if (arg === '--dev') options.dev = true;
    else if (arg === '--renderer-dir') {
      const dir = value();
      if (!dir) return { ok: false, error: '--renderer-dir needs a folder' };
      options.rendererDir = path.resolve(dir);
    } else if (arg === '--port') {
      const raw = value();
      const port = Number(raw);
      if (!raw || !Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, error: `--port needs an integer 0-65535, got ${JSON.stringify(raw ?? '')}` };
      options.port = port;
    } else return { ok: false, error: `unknown option ${JSON.stringify(arg)}` };
  }
  return { ok: true, options };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Request body limit of the browser-mode API: autosave posts each committed edit (base64 runs, see
 * segmentation:record), and a whole-liver edit on a 512x512x600 grid is a few MB; Electron IPC has no such limit.
 */
export const BROWSER_MODE_MAX_BODY_BYTES = 256 * 1024 * 1024;

export function browserHandlerTable(): ReturnType<typeof createHandlerTable> {
  const version = packageVersion();
  return createHandlerTable({ version, coreVersion: version, platform: process.platform, indexDicom: indexDicomWithProgress });
}

async function startDev(api: WebServer, allowedOrigins: Set<string>): Promise<{ url: string; close: () => Promise<void> }> {
  const vite = await import('vite');
  process.env.REMNANT_API_ORIGIN = api.origin;
  const server = await vite.createServer({
    configFile: path.join(repoRoot, 'vite.renderer.config.ts'),
    plugins: [
      {
        name: 'remnant-dev-csp',
        configureServer(dev) {
          dev.middlewares.use((_request, response, next) => {
            const origin = dev.resolvedUrls?.local[0];
            const headers = securityHeaders(origin ? { devServerOrigin: origin } : {});
            for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
            next();
          });
        },
      },
    ],
  });
  await server.listen();
  const local = server.resolvedUrls?.local[0];
  if (!local) throw new Error('vite did not report its URL');
  allowedOrigins.add(new URL(local).origin);
  return { url: `${new URL(local).origin}/#token=${encodeURIComponent(api.token)}`, close: () => server.close() };
}

export async function serve(argv: string[], io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }): Promise<number> {
  const parsed = parseServeArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`${parsed.error}\n${SERVE_USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  const allowedOrigins = new Set<string>();
  const api = await startWebServer({
    table: browserHandlerTable(),
    port: options.port,
    allowedOrigins,
    maxBodyBytes: BROWSER_MODE_MAX_BODY_BYTES,
    ...(options.dev ? {} : { rendererDir: options.rendererDir }),
    log: (line) => io.stderr.write(`[web] ${line}\n`),
  });
  let closeDev: (() => Promise<void>) | undefined;
  if (options.dev) {
    const dev = await startDev(api, allowedOrigins);
    closeDev = dev.close;
    io.stdout.write(`Remnant (browser mode, development): open ${dev.url}\n`);
  } else {
    io.stdout.write(`Remnant (browser mode): open ${api.launchUrl}\n`);
  }
  io.stdout.write('Listening on 127.0.0.1 only. Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await closeDev?.();
  await api.close();
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await serve(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}

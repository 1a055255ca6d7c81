/**
 * Browser proof that the itk-wasm pipelines run from LOCAL assets only: vite-bundles main.ts, serves it, the itk-wasm
 * assets (ITK_WASM_ASSET_LAYOUT) and the ct-3slice files from a local http server on 127.0.0.1, drives
 * /usr/bin/chromium with playwright-core, records every request, and checks the reference reader's result against
 * the Node reference reader.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { repoRootDir as repoRoot, sharedDataPath as sharedDataDir } from '../../node/test-data.ts';
import { ITK_WASM_ASSET_LAYOUT } from '../configure.ts';
import { HEADLESS_CHROMIUM_EXECUTABLE, headlessChromiumArgs } from '../../node/headless-chromium.ts';
import { readReferenceSeriesFromFiles } from '../../node/reference-reader.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ctDir = sharedDataDir('dcmqi', 'data', 'segmentations', 'ct-3slice');
const ctFiles = ['01.dcm', '02.dcm', '03.dcm'];

const contentTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zst': 'application/octet-stream',
  '.dcm': 'application/dicom',
};

function resolveServedFile(distDir: string, urlPath: string): string | null {
  const clean = decodeURIComponent(urlPath.split('?')[0]);
  if (clean.includes('..')) return null;
  if (clean.startsWith('/data/')) return path.join(ctDir, clean.slice('/data/'.length));
  if (clean.startsWith('/itk/')) {
    const rest = clean.slice('/itk/'.length);
    for (const entry of ITK_WASM_ASSET_LAYOUT) {
      const source = path.join(repoRoot, 'node_modules', entry.nodeModulesPath);
      if (entry.kind === 'file' && rest === entry.servedPath) return source;
      if (entry.kind === 'directory' && rest.startsWith(`${entry.servedPath}/`)) return path.join(source, rest.slice(entry.servedPath.length + 1));
    }
    return null;
  }
  return path.join(distDir, clean === '/' ? 'index.html' : clean);
}

describe('itk-wasm in chromium with local assets only', () => {
  let tmp = '';
  let server: http.Server;
  let origin = '';
  let context: BrowserContext | undefined;
  const served: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-browser-'));
    const distDir = path.join(tmp, 'dist');
    await build({
      root: here,
      configFile: false,
      logLevel: 'error',
      base: './',
      build: { outDir: distDir, emptyOutDir: true, minify: false, target: 'es2022' },
      worker: { format: 'es' },
    });
    server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      served.push(url);
      const file = resolveServedFile(distDir, url);
      if (file === null || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no server address');
    origin = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads ct-3slice with the web-worker reader and interpolates, requesting only 127.0.0.1', async () => {
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: HEADLESS_CHROMIUM_EXECUTABLE,
      headless: true,
      // Anything not on loopback could not leave the machine anyway; it would still show up as a request below.
      args: headlessChromiumArgs(['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']),
    });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('worker', (w) => requests.push(w.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof (globalThis as { runRemnantBrowserCheck?: unknown }).runRemnantBrowserCheck === 'function');
    const result = (await page.evaluate(
      (names) => (globalThis as unknown as { runRemnantBrowserCheck: (n: string[]) => Promise<unknown> }).runRemnantBrowserCheck(names),
      ctFiles,
    )) as {
      geometry: { sizeIJK: number[]; spacingMm: number[]; originLPS: number[]; directionLPS: number[] };
      valueCount: number;
      valueSum: number;
      variant: string;
      middleSliceVoxels: number;
    };
    expect(pageErrors).toEqual([]);

    // Every request (page, workers, blobs) went to the local server.
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`));
    expect(foreign).toEqual([]);
    // ... and the pipelines really came from the local layout.
    expect(served.some((u) => u.startsWith('/itk/dicom/pipelines/read-image-dicom-file-series.wasm.zst'))).toBe(true);
    expect(served.some((u) => u.startsWith('/itk/morphological-contour-interpolation/pipelines/morphological-contour-interpolation.wasm.zst'))).toBe(true);

    // Same answer as the Node reference reader on the same files.
    const nodeRef = await readReferenceSeriesFromFiles(ctFiles.map((f) => path.join(ctDir, f)));
    expect(result.variant).toBe('web-worker');
    expect(result.geometry.sizeIJK).toEqual([512, 512, 3]);
    expect(result.geometry.sizeIJK).toEqual(nodeRef.geometry.sizeIJK);
    for (let a = 0; a < 3; a++) {
      expect(result.geometry.spacingMm[a]).toBeCloseTo(nodeRef.geometry.spacingMm[a], 6);
      expect(result.geometry.originLPS[a]).toBeCloseTo(nodeRef.geometry.originLPS[a], 6);
    }
    expect(result.geometry.directionLPS).toEqual(nodeRef.geometry.directionLPS);
    let sum = 0;
    for (let p = 0; p < nodeRef.rescaledValues.length; p++) sum += Number(nodeRef.rescaledValues[p]);
    expect(result.valueCount).toBe(nodeRef.rescaledValues.length);
    expect(result.valueSum).toBe(sum);
    // The interpolated middle slice between two 8x8 squares is a full 8x8 square.
    expect(result.middleSliceVoxels).toBe(64);
  }, 180_000);
});

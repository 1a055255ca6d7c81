/**
 * End to end: build the renderer with vite, serve it with the real browser-mode server (electron/src/web/server.ts,
 * real dicom-index service and dicom:readFile allow-list), open tcia-hcc048 in headless chromium through the UI, load
 * the series, and check what is on screen (not blank; axial orientation: spine posterior, liver on the image left =
 * patient right; presets change pixels), that no request leaves 127.0.0.1, that the first image shows while the
 * series is still loading, that cancel stops the load, and that broken files give per-file errors without a crash.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot, sharedDataDir } from '../../fixtures/src/shared-data.ts';
import { buildRenderer } from './support/build-renderer.ts';
import { launchChromium } from './support/chromium.ts';
import { bodyBox, leftRightCounts, meanAbsDiff, meanRowFraction, stats, toGray } from './support/pixels.ts';
import type { GrayImage } from './support/pixels.ts';
import { startWebApp } from './support/web-app.ts';
import type { WebApp } from './support/web-app.ts';

const outDir = path.join(repoRoot, 'test-output', 'e2e');

async function viewportPixels(page: Page, id: string, fileName = id): Promise<GrayImage> {
  const png = await page.locator(`[data-testid=viewport-${id}] canvas`).first().screenshot();
  // Decode in the page and send back RGBA as base64 (an <img>: the page CSP allows data: images, not data: fetches).
  const { width, height, rgbaBase64 } = await page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const bytes = new Uint8Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, rgbaBase64: btoa(binary) };
  }, png.toString('base64'));
  const data = new Uint8ClampedArray(Buffer.from(rgbaBase64, 'base64'));
  fs.writeFileSync(path.join(outDir, `${fileName}.png`), png);
  return toGray(data, width, height);
}

describe('viewer end to end (tcia-hcc048 in chromium)', () => {
  let server: WebApp;
  let scratch: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    const rendererDir = await buildRenderer(path.join(outDir, 'renderer'));
    server = await startWebApp(rendererDir);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-e2e-'));
    browser = await launchChromium();
    browser.context.on('request', (request) => requests.push(request.url()));
    page = await browser.context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(server.launchUrl);
    await page.waitForSelector('[data-testid=folder-path]');
    await page.fill('[data-testid=folder-path]', sharedDataDir('tcia-hcc048'));
    await page.click('[data-testid=open-folder]');
    await page.locator('[data-testid=series-item]').first().click({ timeout: 60_000 });
    await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 120_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the launch URL leaves the token in the page only: the address bar no longer shows it', () => {
    expect(page.url()).not.toContain('token=');
  });

  it('lists the study and series with its warnings, and loads all 89 slices without file errors', async () => {
    expect(await page.locator('[data-testid=series-item]').count()).toBe(1);
    expect(await page.textContent('[data-testid=series-item]')).toContain('89 slices');
    // Warnings are visible before viewing (study browser) and while viewing (viewer header).
    expect(await page.textContent('[data-testid=browser-warnings]')).toContain('identifying data present');
    expect(await page.textContent('[data-testid=series-warnings]')).toContain('identifying data present');
    expect(await page.locator('[data-testid=volume-problems]').count()).toBe(0);
    expect(await page.textContent('[data-testid=volume-info]')).toContain('512×512×89');
    expect(await page.locator('[data-testid=file-errors]').count()).toBe(0);
  });

  it('renders three non-blank MPR views with LPS orientation markers', async () => {
    for (const id of ['axial', 'coronal', 'sagittal']) {
      const { std } = stats(await viewportPixels(page, id));
      expect(std, id).toBeGreaterThan(20);
    }
    const marker = (vp: string, edge: string) => page.textContent(`[data-testid=marker-${vp}-${edge}]`);
    expect([await marker('axial', 'left'), await marker('axial', 'right'), await marker('axial', 'top'), await marker('axial', 'bottom')]).toEqual(['R', 'L', 'A', 'P']);
    expect([await marker('coronal', 'left'), await marker('coronal', 'top')]).toEqual(['R', 'S']);
    expect([await marker('sagittal', 'left'), await marker('sagittal', 'top')]).toEqual(['A', 'S']);
  });

  it('shows the axial slice in radiological orientation: spine posterior, liver on the image left', async () => {
    const axial = await viewportPixels(page, 'axial');
    const box = bodyBox(axial);
    expect(box.x1 - box.x0).toBeGreaterThan(axial.width / 3);
    // Bone (> ~240 HU saturates at W400/L40) in the midline band sits in the posterior (lower) part of the body.
    const bone = meanRowFraction(axial, box, 235, 255, [0.4, 0.6]);
    expect(bone.count).toBeGreaterThan(50);
    expect(bone.fraction).toBeGreaterThan(0.55);
    // Enhanced soft tissue (~40..150 HU -> luminance ~128..198): the liver makes the image left heavier.
    const soft = leftRightCounts(axial, box, 128, 198);
    expect(soft.left).toBeGreaterThan(1.3 * soft.right);
  });

  it('changes the rendered pixels when switching the window preset', async () => {
    const before = await viewportPixels(page, 'axial');
    await page.click('[data-testid=preset-liver]');
    await expect.poll(() => page.textContent('[data-testid=overlay-axial]')).toContain('W 150 L 90');
    await page.waitForTimeout(300);
    const after = await viewportPixels(page, 'axial', 'axial-liver-preset');
    expect(meanAbsDiff(before, after)).toBeGreaterThan(5);
  });

  it('made no request outside 127.0.0.1 (file bytes included)', () => {
    const network = requests.filter((u) => !/^(data|blob|about):/.test(u));
    expect(network.filter((u) => !/^https?:/.test(u))).toEqual([]);
    expect([...new Set(network.map((u) => new URL(u).hostname))]).toEqual(['127.0.0.1']);
    // The 89 files are read in batches (dicom:readFiles): the middle slice alone, then runs of consecutive files.
    expect(requests.filter((u) => u.endsWith('/api/call/dicom%3AreadFiles')).length).toBeGreaterThanOrEqual(Math.ceil(88 / 16) + 1);
  });

  it('shows the first axial image while the series is still loading, and cancel stops the load', async () => {
    // Slow every batch read down (1 s) so the load is observable; the app itself is unchanged.
    const readUrl = '**/api/call/dicom%3AreadFiles';
    await page.route(readUrl, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    try {
      await page.click('[data-testid=series-item]');
      await page.waitForSelector('[data-testid=load-status][data-status=loading]');
      await page.waitForFunction(() => {
        const s = (window as unknown as { __remnant: { getState(): { loadStatus: string; timings: { firstImageMs?: number } } } }).__remnant.getState();
        return s.loadStatus === 'loading' && s.timings.firstImageMs !== undefined;
      });
      const partial = await viewportPixels(page, 'axial', 'axial-while-loading');
      expect(stats(partial).std).toBeGreaterThan(20);
      expect(await page.textContent('[data-testid=load-progress]')).toMatch(/read \d+\/89 · decoded \d+/);

      await page.click('[data-testid=cancel-load]');
      await page.waitForSelector('[data-testid=load-status][data-status=cancelled]');
      const readsAtCancel = requests.filter((u) => u.endsWith('/api/call/dicom%3AreadFiles')).length;
      await page.waitForTimeout(1500);
      expect(requests.filter((u) => u.endsWith('/api/call/dicom%3AreadFiles')).length).toBe(readsAtCancel);
      expect(await page.getAttribute('[data-testid=load-status]', 'data-status')).toBe('cancelled');
    } finally {
      await page.unroute(readUrl);
    }
    // The app is still usable: the same series loads completely afterwards.
    await page.click('[data-testid=series-item]');
    await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 120_000 });
    expect(await page.locator('[data-testid=file-errors]').count()).toBe(0);
  });

  it('reports broken files per file (index and load) without crashing, and refuses files outside indexed folders', async () => {
    const folder = path.join(scratch, 'broken');
    const gen = spawnSync(process.execPath, [path.join(repoRoot, 'fixtures', 'src', 'cli.ts'), '--out', folder, '--rows', '64', '--cols', '64', '--slices', '8', '--spacing', '2', '--slice-spacing', '2'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const slices = fs.readdirSync(folder).filter((f) => f.endsWith('.dcm')).sort();
    // A truncated copy the indexer sees...
    fs.writeFileSync(path.join(folder, 'truncated-copy.dcm'), fs.readFileSync(path.join(folder, slices[3]!)).subarray(0, 3000));
    await page.fill('[data-testid=folder-path]', folder);
    await page.click('[data-testid=open-folder]');
    // The previous folder's index errors stay on screen until the new index arrives: wait for the new folder's list.
    await expect.poll(async () => (await page.locator('[data-testid=index-errors]').count()) === 1 && ((await page.textContent('[data-testid=index-errors]')) ?? '').includes('truncated-copy.dcm'), { timeout: 30_000 }).toBe(true);
    expect(await page.textContent('[data-testid=index-errors]')).not.toContain('ATTRIBUTION.md');
    // ...and a slice that breaks after indexing: the loader reports it and shows the rest.
    const broken = path.join(folder, slices[5]!);
    fs.writeFileSync(broken, fs.readFileSync(broken).subarray(0, 2000));
    await page.locator('[data-testid=series-item]').first().click();
    await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=file-errors]')).toContain(slices[5]!);
    expect(await page.textContent('[data-testid=volume-problems]')).toContain('1 of 8 slices missing');
    expect(stats(await viewportPixels(page, 'coronal', 'coronal-broken-folder')).std).toBeGreaterThan(5);

    // The file channel itself refuses paths outside the indexed folders, from the page, with a clear error.
    const refusal = await page.evaluate(async (args: { token: string; path: string }) => {
      const response = await fetch('/api/call/dicom:readFile', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-remnant-token': args.token },
        body: JSON.stringify({ path: args.path }),
      });
      return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
    }, { token: server.token, path: `${folder}/${'../'.repeat(24)}etc/passwd` });
    expect(refusal.status).toBe(403);
    expect(refusal.body.error.message).toContain('is not inside a folder indexed in this session');
  });
});

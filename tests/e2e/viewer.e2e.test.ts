/**
 * End to end: build the renderer with vite, serve it from a loopback server, open tcia-hcc048 in headless chromium,
 * load the series, and check what is on screen (not blank; axial orientation: spine posterior, liver on the image
 * left = patient right; presets change pixels) and that no request leaves 127.0.0.1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot, sharedDataDir } from '../../fixtures/src/shared-data.ts';
import { buildRenderer } from './support/build-renderer.ts';
import { launchChromium } from './support/chromium.ts';
import { bodyBox, leftRightCounts, meanAbsDiff, meanRowFraction, stats, toGray } from './support/pixels.ts';
import type { GrayImage } from './support/pixels.ts';
import { startTestServer } from './support/test-server.ts';
import type { TestServer } from './support/test-server.ts';

const outDir = path.join(repoRoot, 'test-output', 'e2e');

async function viewportPixels(page: Page, id: string): Promise<GrayImage> {
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
  fs.writeFileSync(path.join(outDir, `${id}.png`), png);
  return toGray(data, width, height);
}

describe('viewer end to end (tcia-hcc048 in chromium)', () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    const rendererDir = await buildRenderer(path.join(outDir, 'renderer'));
    server = await startTestServer(rendererDir);
    browser = await launchChromium();
    browser.context.on('request', (request) => requests.push(request.url()));
    page = await browser.context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(server.pageUrl);
    await page.fill('[data-testid=folder-path]', sharedDataDir('tcia-hcc048'));
    await page.click('[data-testid=open-folder]');
    await page.locator('[data-testid=series-item]').first().click({ timeout: 60_000 });
    await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 120_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the study and series with its warnings, and loads all 89 slices without file errors', async () => {
    expect(await page.locator('[data-testid=series-item]').count()).toBe(1);
    expect(await page.textContent('[data-testid=series-item]')).toContain('89 slices');
    expect(await page.textContent('[data-testid=series-warnings]')).toContain('identifying');
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
    const after = await viewportPixels(page, 'axial');
    expect(meanAbsDiff(before, after)).toBeGreaterThan(5);
  });

  it('made no request outside 127.0.0.1 (file bytes included)', () => {
    const network = requests.filter((u) => !/^(data|blob|about):/.test(u));
    expect(network.filter((u) => !/^https?:/.test(u))).toEqual([]);
    expect([...new Set(network.map((u) => new URL(u).hostname))]).toEqual(['127.0.0.1']);
    expect(requests.filter((u) => u.includes('/api/file')).length).toBeGreaterThanOrEqual(89);
  });
});

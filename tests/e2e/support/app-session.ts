/**
 * The start of every workflow end-to-end suite: build the renderer, serve it with the real browser-mode server,
 * open it in headless chromium, open a folder and load its first series. Plus the volumetry panel's edit counter,
 * which the segmentation suites wait on after each edit.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { buildRenderer } from './build-renderer.ts';
import { launchChromium } from './chromium.ts';
import { startWebApp } from './web-app.ts';
import type { WebApp } from './web-app.ts';

export interface AppSession {
  server: WebApp;
  browser: { context: BrowserContext; close(): Promise<void> };
  page: Page;
}

/** Opens the app on `seriesDir` and waits until its first series is fully loaded. Page errors go to `pageErrors`. */
export async function startAppOnSeries(rendererOutDir: string, seriesDir: string, viewport: { width: number; height: number }, pageErrors: string[]): Promise<AppSession> {
  const server = await startWebApp(await buildRenderer(rendererOutDir));
  const browser = await launchChromium(viewport);
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.launchUrl);
  await page.fill('[data-testid=folder-path]', seriesDir);
  await page.click('[data-testid=open-folder]');
  await page.locator('[data-testid=series-item]').first().click({ timeout: 60_000 });
  await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 120_000 });
  return { server, browser, page };
}

/** Number of edits the volumetry panel has counted so far. */
export async function editCount(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid=volumetry-panel]').getAttribute('data-edit-count'));
}

/** Waits until the panel has counted `count` edits and the tools are idle again. */
export async function waitEdits(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=volumetry-panel]')?.getAttribute('data-edit-count')) >= n, count, { timeout: 120_000 });
  await page.waitForSelector('[data-testid=tools-panel][data-busy=false]');
}

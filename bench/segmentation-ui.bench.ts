/**
 * Segmentation UI benchmark (not a test): in headless chromium against the real browser-mode server, on tcia-hcc048
 * (512x512 slices), time of one brush dab (a real mouse click on the axial canvas, circle radius 5 mm) from the
 * gesture to the labelmap written, the views marked modified and the volumetry panel updated (the app's own
 * measurement, `data-last-total-ms`), and the engine part of it. Targets: dab <= 16 ms in the engine, panel update
 * after an edit <= 150 ms. Writes bench/results/segmentation-ui.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedDataDir } from '../fixtures/src/shared-data.ts';
import { e2eSupport, median, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

const support = e2eSupport;

interface BenchPage {
  goto(url: string): Promise<unknown>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string, options?: { timeout?: number }): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  waitForFunction(fn: (n: number) => boolean, arg: number, options?: { timeout?: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  evaluate<T, A>(fn: (a: A) => T, arg: A): Promise<T>;
  locator(selector: string): { boundingBox(): Promise<{ x: number; y: number } | null>; getAttribute(name: string): Promise<string | null> };
  mouse: { click(x: number, y: number): Promise<void> };
}


const buildRenderer = ((await import(support('build-renderer.ts'))) as { buildRenderer(o: string): Promise<string> }).buildRenderer;
const { startWebApp } = (await import(support('web-app.ts'))) as { startWebApp(d: string): Promise<{ launchUrl: string; close(): Promise<void> }> };
const { launchChromium } = (await import(support('chromium.ts'))) as { launchChromium(v?: { width: number; height: number }): Promise<{ context: { newPage(): Promise<BenchPage> }; close(): Promise<void> }> };

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-seg-bench-'));
const rendererDir = await buildRenderer(path.join(scratch, 'renderer'));
const app = await startWebApp(rendererDir);
const browser = await launchChromium({ width: 1800, height: 1100 });
const totals: number[] = [];
const engines: number[] = [];
try {
  const page = await browser.context.newPage();
  await page.goto(app.launchUrl);
  await page.fill('[data-testid=folder-path]', sharedDataDir('tcia-hcc048'));
  await page.click('[data-testid=open-folder]');
  await page.click('[data-testid=series-item]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 300_000 });
  await page.fill('[data-testid=ws-root]', path.join(scratch, 'ws'));
  await page.click('[data-testid=ws-open]');
  await page.fill('[data-testid=case-subject]', 'BENCH');
  await page.click('[data-testid=case-create]');
  await page.click('[data-testid=tp-add]');
  await page.click('[data-testid=tp-bind]');
  await page.waitForTimeout(500);
  await page.click('[data-testid=seg-open]');
  await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 120_000 });
  await page.click('[data-testid=tool-brush]');
  const box = (await page.locator('[data-testid=viewport-axial]').boundingBox())!;
  for (let n = 0; n < 15; n++) {
    const before = Number(await page.locator('[data-testid=volumetry-panel]').getAttribute('data-edit-count'));
    await page.mouse.click(box.x + 120 + 8 * n, box.y + 180);
    // Runs in the page (this file's project has no DOM lib).
    await page.waitForFunction((c) => Number((globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid=volumetry-panel]')?.getAttribute('data-edit-count')) > c, before, { timeout: 60_000 });
    totals.push(Number(await page.locator('[data-testid=volumetry-panel]').getAttribute('data-last-total-ms')));
    engines.push(Number(await page.locator('[data-testid=volumetry-panel]').getAttribute('data-last-engine-ms')));
    await page.waitForTimeout(450);
  }
} finally {
  await browser.close();
  await app.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
const result = {
  series: 'tcia-hcc048 (512x512x89)',
  brushDabEngineMsMedian: median(engines),
  brushDabToPanelMsMedian: median(totals),
  brushDabToPanelMsMax: Math.max(...totals),
  targets: { dabMs: 16, panelMs: 150 },
  samples: totals.length,
};
const checks: TargetCheck[] = [
  { case: `brush dab in the engine, median of ${totals.length}`, value: `${median(engines).toFixed(1)} ms`, target: '<= 16 ms', met: median(engines) <= 16 },
  { case: `brush dab to volumetry panel updated, median of ${totals.length}`, value: `${median(totals).toFixed(1)} ms`, target: '<= 150 ms', met: median(totals) <= 150 },
];
console.table(result);
writeResult('segmentation-ui', { ...result, checks });

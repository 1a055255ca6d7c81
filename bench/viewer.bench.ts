/**
 * Viewer benchmark (not a test): in headless chromium against the real browser-mode server (electron/src/web, the
 * real index service and the dicom:readFiles batch channel), time from clicking a series to the first rendered axial
 * image (progressive display: the middle slice is read first) and to the full volume in all MPR views, and peak memory, for
 * tcia-hcc048 and a 512x512x600 phantom.
 * Memory = peak RSS of the chromium renderer + GPU processes during the load minus their RSS before it (sampled
 * from /proc every 25 ms), compared with the int16 volume size; the renderer (page + workers: the int16 volume) and GPU
 * process (SwiftShader: the volume texture, float32 without EXT_texture_norm16) peaks are also reported apart.
 * Writes bench/results/viewer.json.
 * Targets: first image <= 0.5 s; 600 slices fully loaded <= 3 s; memory <= 2.5x the int16 volume bytes.
 * Software GL (SwiftShader) here: the 3D view is off, as the app does by default on software GL.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedDataDir } from '../fixtures/src/shared-data.ts';
import { e2eSupport, repoRoot, writeResult } from './lib.ts';
import type { TargetCheck } from './lib.ts';

// The e2e harness (vite build, loopback server, chromium launch) lives in tests/e2e/support; imported by path so
// this file's project does not type-check it.
const support = e2eSupport;

interface Harness {
  buildRenderer(outDir: string): Promise<string>;
  startWebApp(dir: string): Promise<{ launchUrl: string; close(): Promise<void> }>;
  launchChromium(): Promise<{ context: PageContext; close(): Promise<void> }>;
}
interface PageContext {
  newPage(): Promise<BenchPage>;
}
interface BenchPage {
  goto(url: string): Promise<unknown>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string, options?: { timeout?: number }): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
}

/** RSS (MB) of the chromium renderer processes (page + workers) and of the GPU process (SwiftShader: textures). */
function rssOfChromiumMb(userMarker: string): { renderer: number; gpu: number; total: number } {
  const out = { renderer: 0, gpu: 0, total: 0 };
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=(renderer|gpu-process)/.exec(cmd)?.[1];
      if (!cmd.includes(userMarker) || !type) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const mb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      if (type === 'renderer') out.renderer += mb;
      else out.gpu += mb;
      out.total += mb;
    } catch {
      // process exited
    }
  }
  return out;
}

async function measure(h: Harness, launchUrl: string, folder: string, label: string) {
  const browser = await h.launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(launchUrl);
    await page.fill('[data-testid=folder-path]', folder);
    await page.click('[data-testid=open-folder]');
    await page.waitForSelector('[data-testid=series-item]', { timeout: 120_000 });
    const marker = 'remnant-chromium-';
    const baseline = rssOfChromiumMb(marker);
    const peak = { ...baseline };
    const sample = (): void => {
      const now = rssOfChromiumMb(marker);
      peak.renderer = Math.max(peak.renderer, now.renderer);
      peak.gpu = Math.max(peak.gpu, now.gpu);
      peak.total = Math.max(peak.total, now.total);
    };
    const sampler = setInterval(sample, 25);
    await page.click('[data-testid=series-item]');
    await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 300_000 });
    clearInterval(sampler);
    sample();
    const state = await page.evaluate(() => {
      const s = ((globalThis as unknown as { window: unknown }).window as { __remnant: { getState(): { timings: Record<string, number>; volumeInfo: { sizeIJK: number[] } } } }).__remnant.getState();
      return { timings: s.timings, sizeIJK: s.volumeInfo.sizeIJK };
    });
    const int16Mb = (state.sizeIJK[0] * state.sizeIJK[1] * state.sizeIJK[2] * 2) / 2 ** 20;
    return {
      series: label,
      sizeIJK: state.sizeIJK.join('x'),
      firstImageMs: Math.round(state.timings.firstImageMs),
      fullVolumeMs: Math.round(state.timings.fullVolumeMs),
      workerMs: Math.round(state.timings.workerMs),
      displayMs: Math.round(state.timings.displayMs),
      int16Mb: Math.round(int16Mb),
      peakExtraMb: Math.round(peak.total - baseline.total),
      rendererExtraMb: Math.round(peak.renderer - baseline.renderer),
      gpuExtraMb: Math.round(peak.gpu - baseline.gpu),
      memoryRatio: Number(((peak.total - baseline.total) / int16Mb).toFixed(2)),
    };
  } finally {
    await browser.close();
  }
}

const h: Harness = {
  ...((await import(support('build-renderer.ts'))) as Pick<Harness, 'buildRenderer'>),
  ...((await import(support('web-app.ts'))) as Pick<Harness, 'startWebApp'>),
  ...((await import(support('chromium.ts'))) as Pick<Harness, 'launchChromium'>),
};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-viewer-bench-'));
try {
  const rendererDir = await h.buildRenderer(path.join(work, 'renderer'));
  const phantomDir = path.join(work, 'phantom-600');
  const gen = spawnSync(process.execPath, [path.join(repoRoot, 'fixtures', 'src', 'cli.ts'), '--out', phantomDir, '--rows', '512', '--cols', '512', '--slices', '600', '--spacing', '0.7', '--slice-spacing', '1'], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('phantom generation failed');
  const server = await h.startWebApp(rendererDir);
  const rows = [];
  try {
    rows.push(await measure(h, server.launchUrl, sharedDataDir('tcia-hcc048'), 'tcia-hcc048'));
    rows.push(await measure(h, server.launchUrl, phantomDir, 'phantom 512x512x600'));
  } finally {
    await server.close();
  }
  console.table(rows);
  const targets = { firstImageMs: 500, fullVolume600Ms: 3000, memoryRatio: 2.5 };
  const checks: TargetCheck[] = rows.flatMap((r) => [
    { case: `${r.series}: first image`, value: `${r.firstImageMs} ms`, target: `<= ${targets.firstImageMs} ms`, met: r.firstImageMs <= targets.firstImageMs },
    ...(r.sizeIJK.endsWith('x600') ? [{ case: `${r.series}: full volume in all views`, value: `${r.fullVolumeMs} ms`, target: `<= ${targets.fullVolume600Ms} ms`, met: r.fullVolumeMs <= targets.fullVolume600Ms }] : []),
    { case: `${r.series}: peak memory / int16 volume`, value: `${r.memoryRatio}`, target: `<= ${targets.memoryRatio}`, met: r.memoryRatio <= targets.memoryRatio },
  ]);
  writeResult('viewer', { createdAt: new Date().toISOString(), targets, rows, checks });
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

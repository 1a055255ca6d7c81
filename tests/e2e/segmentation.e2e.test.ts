/**
 * Segmentation workflow end to end, in chromium against the real browser-mode server (workspace service, autosave,
 * export) with REAL mouse events on the viewport canvases (positions from the viewport's world-to-canvas mapping):
 * on a CT phantom, grow the liver from seed strokes (Dice >= 0.97 against the phantom truth, from the exported
 * labelmap), add a tumour with the sphere brush, a second by painting two slices and filling between them, cut the FLR
 * with a three-point plane, undo and redo (exact counts), export NIfTI and compare the panel to `remnant measure` on
 * the export, voxel for voxel; reopening restores segmentation and history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseWithBoundTimepoint } from './support/workspace-steps.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { runPhantomCli } from '../../fixtures/src/cli.ts';
import { repoRoot, sharedDataDir } from '../../fixtures/src/shared-data.ts';
import { main as cliMain } from '../../electron/src/cli/main.ts';
import { readNifti } from '../../wasm/src/io/nifti-read.ts';
import type { ImageGeometry, Vec3 } from '../../wasm/src/geometry/types.ts';
import { startAppOnSeries, editCount, waitEdits } from './support/app-session.ts';
import type { WebApp } from './support/web-app.ts';

type ViewId = 'axial' | 'coronal' | 'sagittal';
const outDir = path.join(repoRoot, 'test-output', 'e2e-segmentation');

function lps(g: ImageGeometry, ijk: Vec3): Vec3 {
  const out: Vec3 = [g.originLPS[0], g.originLPS[1], g.originLPS[2]];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[r] += (g.directionLPS[3 * r + c] as number) * g.spacingMm[c] * ijk[c];
  return out;
}

interface Truth {
  g: ImageGeometry;
  labels: Uint8Array;
  at(i: number, j: number, k: number): number;
  box(pred: (l: number) => boolean): { min: Vec3; max: Vec3; centre: Vec3 };
}

function loadTruth(file: string): Truth {
  const n = readNifti(new Uint8Array(fs.readFileSync(file)), file);
  const g = n.geometry;
  const labels = Uint8Array.from(n.data as ArrayLike<number>);
  const [nx, ny] = g.sizeIJK;
  return {
    g,
    labels,
    at: (i, j, k) => labels[i + nx * (j + ny * k)] as number,
    box(pred) {
      const min: Vec3 = [1e9, 1e9, 1e9];
      const max: Vec3 = [-1, -1, -1];
      const sum: Vec3 = [0, 0, 0];
      let count = 0;
      for (let v = 0; v < labels.length; v++) {
        if (!pred(labels[v] as number)) continue;
        const ijk: Vec3 = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
        for (let a = 0; a < 3; a++) {
          min[a] = Math.min(min[a], ijk[a]);
          max[a] = Math.max(max[a], ijk[a]);
          sum[a] += ijk[a];
        }
        count++;
      }
      return { min, max, centre: [sum[0] / count, sum[1] / count, sum[2] / count] };
    },
  };
}

const isLiver = (l: number): boolean => l === 1 || l === 2 || l >= 10;

function dice(a: Uint8Array, b: Uint8Array, member: (l: number) => boolean): number {
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let v = 0; v < a.length; v++) {
    const x = member(a[v] as number);
    const y = member(b[v] as number);
    if (x) na++;
    if (y) nb++;
    if (x && y) inter++;
  }
  return (2 * inter) / (na + nb);
}

async function panelVoxels(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const row of document.querySelectorAll<HTMLElement>('[data-testid^=vol-row-]')) out[row.dataset.testid!.slice('vol-row-'.length)] = Number(row.dataset.voxels);
    return out;
  });
}

async function jump(page: Page, view: ViewId, p: Vec3): Promise<void> {
  await page.evaluate(([v, q]) => (globalThis as unknown as { remnantViewerProbe: { jumpTo(v: string, q: number[]): void } }).remnantViewerProbe.jumpTo(v as string, q as number[]), [view, p] as const);
}

async function toPage(page: Page, view: ViewId, p: Vec3): Promise<[number, number]> {
  const c = await page.evaluate(([v, q]) => (globalThis as unknown as { remnantViewerProbe: { worldToCanvas(v: string, q: number[]): number[] } }).remnantViewerProbe.worldToCanvas(v as string, q as number[]), [view, p] as const);
  const box = (await page.locator(`[data-testid=viewport-${view}]`).boundingBox())!;
  return [box.x + (c[0] as number), box.y + (c[1] as number)];
}

/** A real mouse stroke (down, moves, up) through LPS points on a view. */
async function stroke(page: Page, view: ViewId, points: Vec3[]): Promise<void> {
  const xy = [];
  for (const p of points) xy.push(await toPage(page, view, p));
  await page.mouse.move(xy[0]![0], xy[0]![1]);
  await page.mouse.down();
  for (const [x, y] of xy.slice(1)) await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.up();
}

async function click(page: Page, view: ViewId, p: Vec3): Promise<void> {
  const [x, y] = await toPage(page, view, p);
  await page.mouse.click(x, y);
  // Cornerstone holds a mouse-down for its double-click window; pace separate clicks beyond it.
  await page.waitForTimeout(600);
}

async function measureCli(seriesDir: string, labels: string, roles = ['--liver', '1,2,10,11', '--tumour', '10,11', '--flr', '2']): Promise<{ roles: Record<string, { voxelCount: number; volumeMl: number }>; volumes: { liverMl: number; flrMl: number; tlvMeasuredMl: number } }> {
  let stdout = '';
  let stderr = '';
  const code = await cliMain(['measure', '--series', seriesDir, '--labels', labels, ...roles, '--height-cm', '168', '--weight-kg', '72', '--json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

describe('segmentation workflow end to end (CT phantom in chromium)', () => {
  let server: WebApp;
  let scratch: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let truth: Truth;
  let seriesDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-seg-e2e-'));
    seriesDir = path.join(scratch, 'ct');
    await runPhantomCli(['--out', seriesDir, '--rows', '128', '--cols', '128', '--slices', '48', '--labels', path.join(scratch, 'truth.nii.gz'), '--noise', '10']);
    truth = loadTruth(path.join(scratch, 'truth.nii.gz'));
    ({ server, browser, page } = await startAppOnSeries(path.join(outDir, 'renderer'), seriesDir, { width: 1800, height: 1100 }, pageErrors));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('creates a case and a baseline timepoint bound to the series, anthropometrics prefilled from DICOM, and opens its segmentation', async () => {
    await page.fill('[data-testid=ws-root]', path.join(scratch, 'workspace'));
    await page.click('[data-testid=ws-open]');
    await createCaseWithBoundTimepoint(page, 'PH-001', '2024-03-01');
    expect(await page.textContent('[data-testid=tp-binding]')).toContain('Series 2.25.');
    expect(await page.inputValue('[data-testid=anthro-height]')).toBe('1.68');
    expect(await page.inputValue('[data-testid=anthro-weight]')).toBe('72');
    expect(await page.textContent('[data-testid=anthro-sources]')).toContain('heightM: dicom');
    await page.selectOption('[data-testid=anthro-chemo]', 'no');
    await expect.poll(() => page.textContent('[data-testid=anthro-sources]')).toContain('chemotherapy: user');
    await page.click('[data-testid=seg-open]');
    await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=save-status]')).toContain('All edits saved');
  });

  let afterGrow: Record<string, number> = {};

  it('grow from seeds (strokes inside and around the liver, real mouse events) reaches Dice >= 0.97 against the truth', async () => {
    const g = truth.g;
    const liver = truth.box(isLiver);
    const [ci, cj, ck] = liver.centre.map(Math.round) as Vec3;
    await page.click('[data-testid=tool-grow]');
    await page.fill('[data-testid=brush-radius]', '3');
    // Inside: along the liver's long axes on the coronal and axial planes through its centre, on parenchyma only.
    const inside = (ijk: Vec3): boolean => {
      for (let di = -1; di <= 1; di++) for (let dk = -1; dk <= 1; dk++) if (![1, 2].includes(truth.at(ijk[0] + di, ijk[1], ijk[2] + dk))) return false;
      return true;
    };
    const line = (a: Vec3, b: Vec3, n: number): Vec3[] => Array.from({ length: n + 1 }, (_, s) => [a[0] + ((b[0] - a[0]) * s) / n, a[1] + ((b[1] - a[1]) * s) / n, a[2] + ((b[2] - a[2]) * s) / n] as Vec3);
    const fgCoronal = line([liver.min[0] + 3, cj, ck], [liver.max[0] - 3, cj, ck], 20).concat(line([ci, cj, liver.min[2] + 2], [ci, cj, liver.max[2] - 2], 20)).map((p) => p.map(Math.round) as Vec3).filter(inside);
    expect(fgCoronal.length).toBeGreaterThan(8);
    await jump(page, 'coronal', lps(g, [ci, cj, ck]));
    await page.selectOption('[data-testid=grow-seed]', 'inside');
    await stroke(page, 'coronal', fgCoronal.map((p) => lps(g, p)));
    // Outside: a box around the liver, 3 voxels beyond its extent, in the coronal and the axial plane.
    const [i0, j0, k0] = liver.min.map((v) => Math.max(1, v - 3));
    const [i1, j1, k1] = liver.max.map((v, a) => Math.min(g.sizeIJK[a] - 2, v + 3));
    const ring = (corners: Vec3[]): Vec3[] => corners.flatMap((c, n) => line(c, corners[(n + 1) % corners.length] as Vec3, 12));
    await page.selectOption('[data-testid=grow-seed]', 'outside');
    const bgCoronal = ring([[i0, cj, k0], [i1, cj, k0], [i1, cj, k1], [i0, cj, k1]]);
    for (const p of bgCoronal) expect(truth.at(...(p.map(Math.round) as Vec3))).toBe(0);
    await stroke(page, 'coronal', bgCoronal.map((p) => lps(g, p)));
    await jump(page, 'axial', lps(g, [ci, cj, ck]));
    const bgAxial = ring([[i0, j0, ck], [i1, j0, ck], [i1, j1, ck], [i0, j1, ck]]);
    for (const p of bgAxial) expect(truth.at(...(p.map(Math.round) as Vec3))).toBe(0);
    await stroke(page, 'axial', bgAxial.map((p) => lps(g, p)));
    expect(await page.textContent('[data-testid=grow-seeds]')).toBe('1 inside, 2 outside');
    const before = await editCount(page);
    await page.click('[data-testid=grow-run]');
    await waitEdits(page, before + 1);
    await page.click('[data-testid=export-nifti]');
    const exported = (await page.locator('[data-testid=export-path]').textContent({ timeout: 60_000 }))!;
    const labels = readNifti(new Uint8Array(fs.readFileSync(exported)), exported).data as Uint8Array;
    const d = dice(labels, truth.labels, isLiver);
    expect(d).toBeGreaterThanOrEqual(0.97);
    afterGrow = await panelVoxels(page);
    expect(afterGrow.liver).toBe(Array.from(labels).filter(isLiver).length);
    await page.screenshot({ path: path.join(outDir, 'after-grow.png') });
  });

  let beforeCut: Record<string, number> = {};
  let afterCut: Record<string, number> = {};

  it('tumour by sphere brush, a second tumour by two painted slices + fill between, FLR by a three-point cut plane', async () => {
    const g = truth.g;
    // Tumour 1: one sphere dab at the centre of the truth tumour (label 10).
    await page.click('[data-testid=add-tumour]');
    await page.click('[data-testid=tool-brush]');
    await page.selectOption('[data-testid=brush-shape]', 'sphere');
    await page.fill('[data-testid=brush-radius]', '6');
    const t0 = truth.box((l) => l === 10).centre;
    await jump(page, 'axial', lps(g, t0));
    let n = await editCount(page);
    await click(page, 'axial', lps(g, t0));
    await waitEdits(page, n + 1);
    const afterSphere = await panelVoxels(page);
    expect(afterSphere['tumour:0']).toBeGreaterThan(20);
    expect(afterSphere.liver).toBeGreaterThanOrEqual(afterGrow.liver!);
    expect(afterSphere['tlv-measured']).toBe(afterSphere.liver! - afterSphere['tumour:0']!);

    // Tumour 2: circles on slices k-3 and k+3, then fill between slices.
    await page.click('[data-testid=add-tumour]');
    await page.selectOption('[data-testid=brush-shape]', 'circle');
    await page.fill('[data-testid=brush-radius]', '5');
    const t1 = truth.box((l) => l === 11).centre.map(Math.round) as Vec3;
    for (const dk of [-3, 3]) {
      const p = lps(g, [t1[0], t1[1], t1[2] + dk]);
      await jump(page, 'axial', p);
      n = await editCount(page);
      await click(page, 'axial', p);
      await waitEdits(page, n + 1);
    }
    const painted = (await panelVoxels(page))['tumour:1']!;
    n = await editCount(page);
    await page.click('[data-testid=fill-between]');
    await waitEdits(page, n + 1);
    const filled = (await panelVoxels(page))['tumour:1']!;
    expect(filled).toBeGreaterThan(painted);
    expect(await page.locator('[data-testid=history-item]').last().textContent()).toMatch(/fill-between-slices: tumour:1, \d+ voxels changed/);

    // FLR: three points on a plane through the liver (x = centre), then a click on the FLR side.
    beforeCut = await panelVoxels(page);
    const liver = truth.box(isLiver);
    const [ci, , ck] = liver.centre.map(Math.round) as Vec3;
    await page.click('[data-testid=tool-cut-plane]');
    await jump(page, 'axial', lps(g, [ci, liver.min[1], ck]));
    await click(page, 'axial', lps(g, [ci + 0.4, liver.min[1], ck]));
    await click(page, 'axial', lps(g, [ci + 0.4, liver.max[1], ck]));
    await jump(page, 'axial', lps(g, [ci, liver.min[1], ck + 4]));
    await click(page, 'axial', lps(g, [ci + 0.4, liver.min[1], ck + 4]));
    expect(await page.textContent('[data-testid=cut-hint]')).toBe('click on the FLR side');
    n = await editCount(page);
    await click(page, 'axial', lps(g, [Math.max(0, liver.min[0] + 2), Math.round(liver.centre[1]), ck + 4]));
    await waitEdits(page, n + 1);
    afterCut = await panelVoxels(page);
    expect(afterCut.flr).toBeGreaterThan(1000);
    expect(afterCut.liver).toBe(beforeCut.liver);
    await page.screenshot({ path: path.join(outDir, 'after-cut.png') });
  });

  it('undo restores the exact previous counts, redo the exact counts after the edit (button and Ctrl+Y)', async () => {
    let n = await editCount(page);
    await page.click('[data-testid=undo]');
    await waitEdits(page, n + 1);
    expect(await panelVoxels(page)).toEqual(beforeCut);
    n = await editCount(page);
    await page.locator('[data-testid=viewport-axial]').hover();
    await page.keyboard.press('Control+y');
    await waitEdits(page, n + 1);
    expect(await panelVoxels(page)).toEqual(afterCut);
    n = await editCount(page);
    await page.keyboard.press('Control+z');
    await waitEdits(page, n + 1);
    expect(await panelVoxels(page)).toEqual(beforeCut);
    n = await editCount(page);
    await page.keyboard.press('Control+Shift+Z');
    await waitEdits(page, n + 1);
    expect(await panelVoxels(page)).toEqual(afterCut);
  });

  it('the panel equals `remnant measure` on the exported NIfTI, voxel for voxel; reopening restores labels and history', async () => {
    await page.waitForSelector('[data-testid=save-status][data-status=saved]');
    await page.click('[data-testid=export-nifti]');
    await expect.poll(async () => (await page.locator('[data-testid=export-path]').textContent())!).not.toBe('');
    const exported = (await page.locator('[data-testid=export-path]').textContent())!;
    const record = await measureCli(seriesDir, exported);
    const panel = await panelVoxels(page);
    expect(panel.liver).toBe(record.roles.liver!.voxelCount);
    expect(panel.flr).toBe(record.roles.flr!.voxelCount);
    expect(panel['tlv-measured']).toBe(record.roles.tlvMeasured!.voxelCount);
    expect(panel['tumour:0']! + panel['tumour:1']!).toBe(record.roles.tumoursAll!.voxelCount);
    const ml = await page.locator('[data-testid=vol-row-flr]').getAttribute('data-ml');
    expect(Number(ml)).toBeCloseTo(record.volumes.flrMl, 9);
    const sflr = Number(await page.locator('[data-testid=vol-sflr]').getAttribute('data-pct'));
    expect(sflr).toBeGreaterThan(0);
    const historyBefore = await page.locator('[data-testid=history-item]').count();
    await page.click('[data-testid=seg-open]');
    await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 60_000 });
    expect(await panelVoxels(page)).toEqual(panel);
    expect(await page.locator('[data-testid=history-item]').count()).toBe(historyBefore);
    expect(pageErrors).toEqual([]);
  });

  it('tcia-hcc048 (real CT): grow from a few scripted seed strokes gives a plausible adult liver volume that equals remnant measure of the export', async () => {
    const hccDir = path.join(sharedDataDir('tcia-hcc048'), 'HCC048_portal_venous');
    await page.fill('[data-testid=folder-path]', sharedDataDir('tcia-hcc048'));
    await page.click('[data-testid=open-folder]');
    await page.locator('[data-testid=series-item]').first().click({ timeout: 60_000 });
    await page.waitForSelector('[data-testid=load-status][data-status=ready]', { timeout: 180_000 });
    await createCaseWithBoundTimepoint(page, 'HCC048');
    await page.click('[data-testid=seg-open]');
    await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 120_000 });
    await page.click('[data-testid=segment-active-liver]');
    await page.click('[data-testid=tool-grow]');
    await page.fill('[data-testid=brush-radius]', '3');
    // Grid: 512 x 512 x 89, 0.703125 mm, 2.5 mm, origin (-180, -180, -396), identity direction.
    const P = (i: number, j: number, k: number): Vec3 => [-180 + i * 0.703125, -180 + j * 0.703125, -396 + k * 2.5];
    const strokes: Array<{ inside: boolean; k: number; points: Vec3[] }> = [
      { inside: true, k: 55, points: [P(90, 230, 55), P(140, 230, 55)] },
      { inside: true, k: 70, points: [P(120, 220, 70), P(170, 220, 70)] },
      { inside: true, k: 45, points: [P(100, 240, 45), P(130, 240, 45)] },
      ...[30, 60, 86].map((k) => ({ inside: false, k, points: [P(30, 130, k), P(230, 130, k), P(230, 360, k), P(30, 360, k), P(30, 130, k)] })),
    ];
    for (const st of strokes) {
      await page.selectOption('[data-testid=grow-seed]', st.inside ? 'inside' : 'outside');
      await jump(page, 'axial', st.points[0]!);
      await stroke(page, 'axial', st.points);
    }
    expect(await page.textContent('[data-testid=grow-seeds]')).toBe('3 inside, 3 outside');
    const n = await editCount(page);
    await page.click('[data-testid=grow-run]');
    await waitEdits(page, n + 1);
    const liverMl = Number(await page.locator('[data-testid=vol-row-liver]').getAttribute('data-ml'));
    expect(liverMl).toBeGreaterThan(800);
    expect(liverMl).toBeLessThan(3000);
    await page.waitForSelector('[data-testid=save-status][data-status=saved]');
    const previous = await page.locator('[data-testid=export-path]').textContent();
    await page.click('[data-testid=export-nifti]');
    await expect.poll(() => page.locator('[data-testid=export-path]').textContent()).not.toBe(previous);
    const exported = (await page.locator('[data-testid=export-path]').textContent())!;
    const record = await measureCli(hccDir, exported, ['--liver', '1']);
    expect(Number(await page.locator('[data-testid=vol-row-liver]').getAttribute('data-voxels'))).toBe(record.roles.liver!.voxelCount);
    expect(liverMl).toBeCloseTo(record.volumes.liverMl, 9);
    await page.screenshot({ path: path.join(outDir, 'hcc048-grow.png') });
  }, 300_000);
});

/**
 * The segmentation tools that the main workflow test does not reach, end to end in chromium against the real
 * browser-mode server, with REAL mouse events on the viewport canvases (positions from the viewport's world-to-canvas
 * mapping) on a small CT phantom: label import through the file chooser and the role dialog (counts = the phantom
 * truth; undo removes it), locks, scissors (rectangle erase, circle fill, sphere fill), clean-up (keep largest island,
 * fill holes, smoothing), the FLR by a line in one view, and segment names/colours surviving a reopen. Every edit is
 * checked against counts computed here from the phantom truth and the exported labelmap, then undone to the truth.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseWithBoundTimepoint } from './support/workspace-steps.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { runPhantomCli } from '../../fixtures/src/cli.ts';
import { repoRoot } from '../../fixtures/src/shared-data.ts';
import { readNifti } from '../../wasm/src/io/nifti-read.ts';
import type { ImageGeometry, Vec3 } from '../../wasm/src/geometry/types.ts';
import { startAppOnSeries, editCount, waitEdits } from './support/app-session.ts';
import type { WebApp } from './support/web-app.ts';

type ViewId = 'axial' | 'coronal' | 'sagittal';
type Counts = Record<string, number>;
const outDir = path.join(repoRoot, 'test-output', 'e2e-segmentation-tools');

/** LPS of a (possibly fractional) voxel index. */
function lps(g: ImageGeometry, ijk: Vec3): Vec3 {
  const out: Vec3 = [g.originLPS[0], g.originLPS[1], g.originLPS[2]];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[r] += (g.directionLPS[3 * r + c] as number) * g.spacingMm[c] * ijk[c];
  return out;
}

const isLiver = (l: number): boolean => l === 1 || l === 2 || l >= 10;

/** The panel's rows from a labelmap, counted here (liver = 1, 2, 10+; TLV measured = liver − tumours). */
function countsOf(labels: Uint8Array): Counts {
  const c: Counts = { liver: 0, flr: 0, 'tlv-measured': 0 };
  for (const l of labels) {
    if (isLiver(l)) c.liver!++;
    if (l === 2) c.flr!++;
    if (l === 1 || l === 2) c['tlv-measured']!++;
    if (l >= 10) c[`tumour:${l - 10}`] = (c[`tumour:${l - 10}`] ?? 0) + 1;
  }
  return c;
}

async function panel(page: Page): Promise<Counts> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const row of document.querySelectorAll<HTMLElement>('[data-testid^=vol-row-]')) {
      const n = Number(row.dataset.voxels);
      // Tumour rows may stay at 0 after an undo; a missing row and a 0 row mean the same labelmap.
      if (n > 0 || !row.dataset.testid!.startsWith('vol-row-tumour:')) out[row.dataset.testid!.slice('vol-row-'.length)] = n;
    }
    return out;
  });
}

/** Runs an action that makes one edit and waits until the panel shows it. */
async function edit(page: Page, action: () => Promise<void>): Promise<void> {
  const n = await editCount(page);
  await action();
  await waitEdits(page, n + 1);
}

async function lastHistory(page: Page): Promise<string> {
  return (await page.locator('[data-testid=history-item]').last().textContent()) ?? '';
}

/** Voxels changed by the last edit, as the engine's diff report in the history says. */
async function lastChanged(page: Page, tool: string): Promise<number> {
  const text = await lastHistory(page);
  const m = new RegExp(`^${tool}: .*?(\\d+) voxels changed`).exec(text);
  expect(m, text).not.toBeNull();
  return Number(m![1]);
}

async function jump(page: Page, view: ViewId, p: Vec3): Promise<void> {
  await page.evaluate(([v, q]) => (globalThis as unknown as { remnantViewerProbe: { jumpTo(v: string, q: number[]): void } }).remnantViewerProbe.jumpTo(v as string, q as number[]), [view, p] as const);
}

async function toPage(page: Page, view: ViewId, p: Vec3): Promise<[number, number]> {
  const c = await page.evaluate(([v, q]) => (globalThis as unknown as { remnantViewerProbe: { worldToCanvas(v: string, q: number[]): number[] } }).remnantViewerProbe.worldToCanvas(v as string, q as number[]), [view, p] as const);
  const box = (await page.locator(`[data-testid="viewport-${view}"]`).boundingBox())!;
  return [box.x + (c[0] as number), box.y + (c[1] as number)];
}

/** A real mouse drag (down, moves, up) through LPS points on a view. */
async function drag(page: Page, view: ViewId, points: Vec3[]): Promise<void> {
  const xy = [];
  for (const p of points) xy.push(await toPage(page, view, p));
  await page.mouse.move(xy[0]![0], xy[0]![1]);
  await page.mouse.down();
  for (const [x, y] of xy.slice(1)) await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.up();
  // Cornerstone holds a mouse-down for its double-click window; pace separate gestures beyond it.
  await page.waitForTimeout(600);
}

async function click(page: Page, view: ViewId, p: Vec3): Promise<void> {
  const [x, y] = await toPage(page, view, p);
  await page.mouse.click(x, y);
  await page.waitForTimeout(600);
}

/** Voxels (i, j, k: got / expected) where two labelmaps differ, at most 10: a readable failure instead of a 300k-array diff. */
function mismatches(got: Uint8Array, want: Uint8Array, nx = 96, ny = 96): string[] {
  const out: string[] = [];
  for (let v = 0; v < want.length && out.length < 10; v++) if (got[v] !== want[v]) out.push(`${v % nx},${Math.floor(v / nx) % ny},${Math.floor(v / (nx * ny))}: ${got[v]} / ${want[v]}`);
  return out;
}

describe('segmentation tools end to end (CT phantom in chromium)', () => {
  let server: WebApp;
  let scratch: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let g: ImageGeometry;
  let truth: Uint8Array;
  let truthFile: string;
  let truthCounts: Counts;
  const pageErrors: string[] = [];
  const at = (i: number, j: number, k: number): number => truth[i + g.sizeIJK[0] * (j + g.sizeIJK[1] * k)] as number;
  const ijkOf = (v: number): Vec3 => [v % g.sizeIJK[0], Math.floor(v / g.sizeIJK[0]) % g.sizeIJK[1], Math.floor(v / (g.sizeIJK[0] * g.sizeIJK[1]))];
  /** A label-1 voxel whose neighbourhood of `r` voxels (in-plane, or 3D) is all label 1, nearest the liver-1 centre. */
  function parenchyma(r: number, threeD: boolean): Vec3 {
    const cands: Vec3[] = [];
    const sum: Vec3 = [0, 0, 0];
    for (let v = 0; v < truth.length; v++) {
      if (truth[v] !== 1) continue;
      const p = ijkOf(v);
      sum[0] += p[0];
      sum[1] += p[1];
      sum[2] += p[2];
      cands.push(p);
    }
    const c = sum.map((x) => x / cands.length);
    cands.sort((a, b) => Math.hypot(a[0] - c[0]!, a[1] - c[1]!, a[2] - c[2]!) - Math.hypot(b[0] - c[0]!, b[1] - c[1]!, b[2] - c[2]!));
    const dk = threeD ? r : 0;
    for (const [i, j, k] of cands) {
      let ok = true;
      for (let a = -r; a <= r && ok; a++) for (let b = -r; b <= r && ok; b++) for (let d = -dk; d <= dk && ok; d++) if (at(i + a, j + b, k + d) !== 1) ok = false;
      if (ok) return [i, j, k];
    }
    throw new Error('no parenchyma neighbourhood found');
  }
  function liverBox(): { min: Vec3; max: Vec3 } {
    const min: Vec3 = [1e9, 1e9, 1e9];
    const max: Vec3 = [-1, -1, -1];
    for (let v = 0; v < truth.length; v++) {
      if (!isLiver(truth[v] as number)) continue;
      const p = ijkOf(v);
      for (let a = 0; a < 3; a++) {
        min[a] = Math.min(min[a], p[a]);
        max[a] = Math.max(max[a], p[a]);
      }
    }
    return { min, max };
  }
  let lastExport = '';
  async function exported(): Promise<Uint8Array> {
    await page.waitForSelector('[data-testid=save-status][data-status=saved]');
    await page.click('[data-testid=export-nifti]');
    await expect.poll(async () => (await page.locator('[data-testid=export-path]').textContent().catch(() => null)) ?? '', { timeout: 60_000 }).not.toBe(lastExport);
    lastExport = (await page.locator('[data-testid=export-path]').textContent())!;
    return readNifti(new Uint8Array(fs.readFileSync(lastExport)), lastExport).data as Uint8Array;
  }
  /** Undo the last edit: the panel and the export are the truth again, exactly. */
  async function undoToTruth(): Promise<void> {
    await edit(page, () => page.click('[data-testid=undo]'));
    expect(await panel(page)).toEqual(truthCounts);
  }
  async function tool(kind: string): Promise<void> {
    await page.click(`[data-testid="tool-${kind}"]`);
  }

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-segtools-e2e-'));
    const seriesDir = path.join(scratch, 'ct');
    truthFile = path.join(scratch, 'truth.nii.gz');
    await runPhantomCli(['--out', seriesDir, '--rows', '96', '--cols', '96', '--slices', '32', '--labels', truthFile, '--noise', '10']);
    const n = readNifti(new Uint8Array(fs.readFileSync(truthFile)), truthFile);
    g = n.geometry;
    truth = Uint8Array.from(n.data as ArrayLike<number>);
    truthCounts = countsOf(truth);
    ({ server, browser, page } = await startAppOnSeries(path.join(outDir, 'renderer'), seriesDir, { width: 1800, height: 1100 }, pageErrors));
    await page.fill('[data-testid=ws-root]', path.join(scratch, 'workspace'));
    await page.click('[data-testid=ws-open]');
    await createCaseWithBoundTimepoint(page, 'PH-TOOLS');
    expect(await page.textContent('[data-testid=tp-binding]')).toContain('Series 2.25.');
    await page.click('[data-testid=seg-open]');
    await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('label import through the file chooser and the role dialog gives the truth counts exactly; undo removes it, redo restores it', async () => {
    expect(truthCounts['tumour:0']).toBeGreaterThan(0);
    expect(truthCounts['tumour:1']).toBeGreaterThan(0);
    const empty = await panel(page);
    expect(empty.liver).toBe(0);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid=import-file]')]);
    await chooser.setFiles(truthFile);
    await page.waitForSelector('[data-testid=import-dialog]');
    for (const [label, role] of [['1', 'liver'], ['2', 'flr'], ['10', 'tumour'], ['11', 'tumour']] as const) await page.selectOption(`[data-testid="import-role-${label}"]`, role);
    await edit(page, () => page.click('[data-testid=import-apply]'));
    expect(await panel(page)).toEqual(truthCounts);
    expect(mismatches(await exported(), truth)).toEqual([]);
    await edit(page, () => page.click('[data-testid=undo]'));
    expect(await panel(page)).toEqual(empty);
    await edit(page, () => page.click('[data-testid=redo]'));
    expect(await panel(page)).toEqual(truthCounts);
  });

  it('a locked liver stops FLR and tumour brushing over its parenchyma; unlocked, the brush works', async () => {
    const p = parenchyma(2, false);
    const stroke = [lps(g, [p[0] - 1, p[1], p[2]]), lps(g, [p[0] + 1, p[1], p[2]])];
    await jump(page, 'axial', stroke[0]!);
    // The lock applies once the engine has it (the checkbox follows the store): click, then wait for the checked state.
    await page.click('[data-testid=segment-lock-liver]');
    await page.waitForSelector('[data-testid=segment-lock-liver]:checked');
    await tool('brush');
    await page.selectOption('[data-testid=brush-shape]', 'circle');
    await page.fill('[data-testid=brush-radius]', '3');
    for (const seg of ['flr', 'tumour:0']) {
      await page.click(`[data-testid="segment-active-${seg}"]`);
      await edit(page, () => drag(page, 'axial', stroke));
      expect(await panel(page)).toEqual(truthCounts);
      expect(await page.textContent('[data-testid=edit-notice]')).toMatch(/\d+ voxels? of locked segments unchanged/);
    }
    await page.click('[data-testid=segment-lock-liver]');
    await page.waitForSelector('[data-testid=segment-lock-liver]:not(:checked)');
    await page.click('[data-testid=segment-active-flr]');
    await edit(page, () => drag(page, 'axial', stroke));
    const after = await panel(page);
    const changed = await lastChanged(page, 'brush');
    expect(changed).toBeGreaterThan(0);
    expect(after).toEqual({ ...truthCounts, flr: truthCounts.flr! + changed });
    await undoToTruth();
  });

  it('scissors: a rectangle erases exactly the liver inside the extruded rectangle; circle and sphere fill', async () => {
    const box = liverBox();
    const k = Math.round((box.min[2] + box.max[2]) / 2);
    // Rectangle corners between voxel centres (half-voxel margins): the voxel set inside does not depend on pixel rounding.
    const i0 = Math.round((2 * box.min[0] + box.max[0]) / 3);
    const i1 = i0 + 6;
    const j0 = Math.round((2 * box.min[1] + box.max[1]) / 3);
    const j1 = j0 + 8;
    await tool('scissors');
    await page.selectOption('[data-testid=scissors-shape]', 'rectangle');
    await page.selectOption('[data-testid=scissors-mode]', 'erase');
    await page.click('[data-testid=segment-active-liver]');
    const a = lps(g, [i0 - 0.5, j0 - 0.5, k]);
    await jump(page, 'axial', a);
    await edit(page, () => drag(page, 'axial', [a, lps(g, [i1 + 0.5, j1 + 0.5, k])]));
    // Independent: liver parenchyma (1, 2) whose (i, j) lies in the rectangle, on every slice, becomes background;
    // tumours are kept (erase the tumour first).
    const expected = Uint8Array.from(truth);
    let inside = 0;
    for (let v = 0; v < truth.length; v++) {
      const [i, j] = ijkOf(v);
      if (i >= i0 && i <= i1 && j >= j0 && j <= j1 && (truth[v] === 1 || truth[v] === 2)) {
        expected[v] = 0;
        inside++;
      }
    }
    expect(inside).toBeGreaterThan(100);
    const labels = await exported();
    expect(mismatches(labels, expected)).toEqual([]);
    expect(await lastChanged(page, 'scissors')).toBe(inside);
    expect(await panel(page)).toEqual(countsOf(expected));
    await undoToTruth();

    // Circle fill (through the volume) and sphere fill, drawn centre -> edge in the axial view, outside and across the
    // liver edge: every changed voxel was background and lies within the drawn radius (+ half a voxel for pixel
    // rounding), every background voxel well inside it is filled; the liver grows by the engine's voxels changed.
    await page.selectOption('[data-testid=scissors-mode]', 'fill');
    const centreIjk: Vec3 = [box.max[0], Math.round((box.min[1] + box.max[1]) / 2), k];
    const radiusMm = 4 * g.spacingMm[0];
    for (const shape of ['circle', 'sphere'] as const) {
      await page.selectOption('[data-testid=scissors-shape]', shape);
      const c = lps(g, centreIjk);
      await jump(page, 'axial', c);
      await edit(page, () => drag(page, 'axial', [c, [c[0] + radiusMm, c[1], c[2]]]));
      const changed = await lastChanged(page, 'scissors');
      const out = await exported();
      let diff = 0;
      for (let v = 0; v < truth.length; v++) {
        const p = lps(g, ijkOf(v));
        const d = shape === 'circle' ? Math.hypot(p[0] - c[0], p[1] - c[1]) : Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]);
        if (out[v] !== truth[v]) {
          diff++;
          expect([truth[v], out[v], d <= radiusMm + g.spacingMm[0] / 2]).toEqual([0, 1, true]);
        } else if (truth[v] === 0) expect(d < radiusMm - g.spacingMm[0] / 2, `voxel ${ijkOf(v).join(',')} at ${d.toFixed(2)} mm`).toBe(false);
      }
      expect(diff).toBe(changed);
      expect(changed).toBeGreaterThan(shape === 'circle' ? 100 : 20);
      expect(await panel(page)).toEqual(countsOf(out));
      await undoToTruth();
    }
  });

  it('clean-up: keep largest island removes a painted island exactly; fill holes closes an erased hole exactly; smoothing changes plausibly and undo restores exactly', async () => {
    const box = liverBox();
    await page.click('[data-testid=segment-active-liver]');
    await tool('brush');
    await page.selectOption('[data-testid=brush-shape]', 'sphere');
    await page.fill('[data-testid=brush-radius]', '4.5');
    // Island: a sphere dab in the background, 6 voxels beyond the liver's bounding box.
    const islandIjk: Vec3 = [Math.min(g.sizeIJK[0] - 4, box.max[0] + 6), Math.round((box.min[1] + box.max[1]) / 2), Math.round((box.min[2] + box.max[2]) / 2)];
    expect(at(...islandIjk)).toBe(0);
    await jump(page, 'axial', lps(g, islandIjk));
    await edit(page, () => click(page, 'axial', lps(g, islandIjk)));
    const island = await lastChanged(page, 'brush');
    expect(island).toBeGreaterThan(5);
    expect((await panel(page)).liver).toBe(truthCounts.liver! + island);
    await edit(page, () => page.click('[data-testid=keep-largest]'));
    expect(await lastChanged(page, 'remove-islands')).toBe(island);
    expect(await panel(page)).toEqual(truthCounts);
    expect(mismatches(await exported(), truth)).toEqual([]);

    // Hole: erase a sphere inside the parenchyma, then fill holes: the liver is the truth again.
    await tool('eraser');
    await page.selectOption('[data-testid=brush-shape]', 'sphere');
    const h = parenchyma(3, true);
    await jump(page, 'axial', lps(g, h));
    await edit(page, () => click(page, 'axial', lps(g, h)));
    const hole = await lastChanged(page, 'eraser');
    expect(hole).toBeGreaterThan(5);
    expect((await panel(page)).liver).toBe(truthCounts.liver! - hole);
    await edit(page, () => page.click('[data-testid=fill-holes]'));
    expect(await lastChanged(page, 'fill-holes')).toBe(hole);
    expect(await panel(page)).toEqual(truthCounts);
    expect(mismatches(await exported(), truth)).toEqual([]);

    // Smoothing (closing, 2 voxels) of a liver with a dimple (a sphere erased on its surface; the phantom's ellipsoidal
    // liver alone has no concavity to close): only adds liver, no more than the dimple took away, tumours unchanged;
    // undo restores the dimpled liver exactly.
    const [p0, sj, sk] = parenchyma(3, true);
    let si = p0;
    while (at(si - 1, sj, sk) === 1) si--;
    await jump(page, 'axial', lps(g, [si, sj, sk]));
    await edit(page, () => click(page, 'axial', lps(g, [si, sj, sk])));
    const dimple = await lastChanged(page, 'eraser');
    expect(dimple).toBeGreaterThan(5);
    const dimpled = await panel(page);
    expect(dimpled.liver).toBe(truthCounts.liver! - dimple);
    await page.fill('[data-testid=smooth-radius]', String(2 * g.spacingMm[0]));
    await edit(page, () => page.click('[data-testid=smooth]'));
    const smoothed = await panel(page);
    const changed = await lastChanged(page, 'smooth');
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(dimple + 0.02 * truthCounts.liver!);
    expect(smoothed).toEqual({ ...dimpled, liver: dimpled.liver! + changed, 'tlv-measured': dimpled['tlv-measured']! + changed });
    await edit(page, () => page.click('[data-testid=undo]'));
    expect(await panel(page)).toEqual(dimpled);
    await undoToTruth();
    expect(mismatches(await exported(), truth)).toEqual([]);
  });

  it('FLR by a line in the axial view (extruded along its normal) + a side click equals the FLR computed here from the plane', async () => {
    const box = liverBox();
    const k = Math.round((box.min[2] + box.max[2]) / 2);
    // A line at i = c + 0.5 (between voxel centres), from above to below the liver in the axial view.
    const c = Math.round((box.min[0] + box.max[0]) / 2);
    await tool('cut-plane');
    await page.selectOption('[data-testid=cut-mode]', 'line');
    expect(await page.textContent('[data-testid=cut-hint]')).toBe('drag the cut line');
    const a = lps(g, [c + 0.5, box.min[1] - 2, k]);
    await jump(page, 'axial', a);
    await drag(page, 'axial', [a, lps(g, [c + 0.5, box.max[1] + 2, k])]);
    expect(await page.textContent('[data-testid=cut-hint]')).toBe('click on the FLR side');
    await edit(page, () => click(page, 'axial', lps(g, [box.min[0] + 2, (box.min[1] + box.max[1]) / 2, k])));
    const expected = Uint8Array.from(truth);
    for (let v = 0; v < truth.length; v++) if (truth[v] === 1 || truth[v] === 2) expected[v] = ijkOf(v)[0] <= c ? 2 : 1;
    // The same partition from the plane through the line's end points as the viewer maps the mouse positions
    // (canvas -> world), extruded along the axial normal, on the side of the clicked point.
    const box2 = (await page.locator('[data-testid=viewport-axial]').boundingBox())!;
    const world = async (p: Vec3): Promise<Vec3> => {
      const [x, y] = await toPage(page, 'axial', p);
      return page.evaluate(([cx, cy]) => (globalThis as unknown as { remnantViewerProbe: { canvasToWorld(v: string, c: number[]): Vec3 } }).remnantViewerProbe.canvasToWorld('axial', [cx as number, cy as number]), [x - box2.x, y - box2.y] as const);
    };
    const wa = await world(a);
    const wb = await world(lps(g, [c + 0.5, box.max[1] + 2, k]));
    const ws = await world(lps(g, [box.min[0] + 2, (box.min[1] + box.max[1]) / 2, k]));
    const planeN: Vec3 = [wb[1] - wa[1], -(wb[0] - wa[0]), 0]; // (b - a) x axial normal (0, 0, 1)
    const side = (p: Vec3): number => (p[0] - wa[0]) * planeN[0] + (p[1] - wa[1]) * planeN[1];
    const fromPlane = Uint8Array.from(truth);
    for (let v = 0; v < truth.length; v++) if (truth[v] === 1 || truth[v] === 2) fromPlane[v] = Math.sign(side(lps(g, ijkOf(v)))) === Math.sign(side(ws)) ? 2 : 1;
    expect(mismatches(fromPlane, expected)).toEqual([]);
    const want = countsOf(expected);
    expect(want.flr).toBeGreaterThan(0);
    expect(want.flr).not.toBe(truthCounts.flr);
    const got = await panel(page);
    expect(got).toEqual(want);
    expect(got.liver).toBe(truthCounts.liver);
    expect(got['tlv-measured']).toBe(truthCounts['tlv-measured']);
    expect(mismatches(await exported(), expected)).toEqual([]);
    await page.screenshot({ path: path.join(outDir, 'flr-line.png') });
    await undoToTruth();
  });

  it('segment names and colours survive closing and reopening the case', async () => {
    await tool('none');
    await page.fill('[data-testid="segment-name-tumour:0"]', 'Segment VIII lesion');
    await page.locator('[data-testid="segment-name-tumour:0"]').blur();
    await page.fill('[data-testid="segment-color-tumour:0"]', '#12ab34');
    await expect.poll(() => page.inputValue('[data-testid="segment-color-tumour:0"]')).toBe('#12ab34');
    const nameBefore = await page.inputValue('[data-testid="segment-name-tumour:1"]');
    // Close: reopening the workspace closes the segmentation (waiting for its saves); then reopen case and timepoint.
    await page.click('[data-testid=ws-open]');
    await page.waitForSelector('[data-testid=seg-status]', { state: 'detached' });
    await page.selectOption('[data-testid=case-select]', 'PH-TOOLS');
    await page.selectOption('[data-testid=tp-select]', 'baseline');
    await page.click('[data-testid=seg-open]');
    await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 60_000 });
    expect(await page.inputValue('[data-testid="segment-name-tumour:0"]')).toBe('Segment VIII lesion');
    expect(await page.inputValue('[data-testid="segment-color-tumour:0"]')).toBe('#12ab34');
    expect(await page.inputValue('[data-testid="segment-name-tumour:1"]')).toBe(nameBefore);
    expect(await page.locator('[data-testid="vol-row-tumour:0"] td').first().textContent()).toBe('Segment VIII lesion');
    expect(await panel(page)).toEqual(truthCounts);
    expect(await page.locator('[data-testid=recovery-notice]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * "Sign & export" end to end, in chromium against the real browser-mode server: on a CT phantom, the phantom's truth
 * labels are imported through the label import + role mapping dialog, a reviewer key is created in the app, the
 * Sign & export preview shows the same liver / FLR volumes and sFLR as the volumetry panel (and the key images the
 * PDF embeds), a wrong passphrase gives a clear error and writes nothing, the right one lists every file written with
 * its SHA-256; then the written PDF passes pdfsig and `remnant verify --series --labels`, and dciodvfy finds no error
 * in the SEG and SR.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseWithBoundTimepoint } from './support/workspace-steps.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { runPhantomCli } from '../../fixtures/src/cli.ts';
import { repoRoot } from '../../fixtures/src/shared-data.ts';
import { main as cliMain } from '../../electron/src/cli/main.ts';
import { readNifti } from '../../wasm/src/io/nifti-read.ts';
import { startAppOnSeries } from './support/app-session.ts';
import type { WebApp } from './support/web-app.ts';

const outDir = path.join(repoRoot, 'test-output', 'e2e-sign-export');
const PASS = 'correct horse battery staple';

function tool(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return `${r.stdout}\n${r.stderr}`;
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cliMain(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

async function attr(page: Page, selector: string, name: string): Promise<string> {
  return (await page.locator(selector).getAttribute(name)) ?? '';
}

describe('Sign & export end to end (CT phantom in chromium)', () => {
  let server: WebApp;
  let scratch: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let seriesDir: string;
  let truthFile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-sign-e2e-'));
    seriesDir = path.join(scratch, 'ct');
    truthFile = path.join(scratch, 'truth.nii.gz');
    await runPhantomCli(['--out', seriesDir, '--rows', '96', '--cols', '96', '--slices', '32', '--labels', truthFile, '--noise', '10']);
    ({ server, browser, page } = await startAppOnSeries(path.join(outDir, 'renderer'), seriesDir, { width: 1700, height: 1100 }, pageErrors));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('case + timepoint bound to the series; the truth labels imported through the import dialog with a role mapping', async () => {
    await page.fill('[data-testid=ws-root]', path.join(scratch, 'workspace'));
    await page.click('[data-testid=ws-open]');
    await createCaseWithBoundTimepoint(page, 'PH-002', '2024-03-01');
    await page.selectOption('[data-testid=anthro-chemo]', 'no');
    await expect.poll(() => page.textContent('[data-testid=anthro-sources]')).toContain('chemotherapy: user');
    await page.click('[data-testid=seg-open]');
    await page.waitForSelector('[data-testid=seg-status][data-status=ready]', { timeout: 60_000 });

    await page.setInputFiles('[data-testid=import-file]', truthFile);
    await page.waitForSelector('[data-testid=import-dialog]', { timeout: 60_000 });
    const truth = readNifti(new Uint8Array(fs.readFileSync(truthFile)), truthFile).data as ArrayLike<number>;
    const present = [...new Set(Array.from(truth))].filter((l) => l !== 0).sort((a, b) => a - b);
    expect(present).toEqual([1, 2, 10, 11]);
    for (const [n, role] of [[1, 'liver'], [2, 'flr'], [10, 'tumour'], [11, 'tumour']] as const) await page.selectOption(`[data-testid=import-role-${n}]`, role);
    await page.click('[data-testid=import-apply]');
    await page.waitForSelector('[data-testid=import-dialog]', { state: 'detached', timeout: 60_000 });
    await page.waitForSelector('[data-testid=save-status][data-status=saved]', { timeout: 60_000 });
    let liver = 0;
    for (let v = 0; v < truth.length; v++) if (truth[v] !== 0) liver++;
    expect(Number(await attr(page, '[data-testid=vol-row-liver]', 'data-voxels'))).toBe(liver);
  }, 120_000);

  it('creates a reviewer key in the app (self-signed, encrypted under a passphrase), listed as valid with its fingerprint', async () => {
    await page.click('[data-testid=key-new]');
    await page.fill('[data-testid=key-name]', 'Ada Lovelace');
    await page.fill('[data-testid=key-org]', 'Site 12 Maastricht');
    await page.fill('[data-testid=key-role]', 'Reviewer');
    await page.fill('[data-testid=key-days]', '365');
    await page.fill('[data-testid=key-pass]', PASS);
    await page.fill('[data-testid=key-pass2]', PASS);
    await page.click('[data-testid=key-create-submit]');
    await page.waitForSelector('[data-testid=key-item][data-status=valid]', { timeout: 60_000 });
    const item = page.locator('[data-testid=key-item]');
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain('CN=Ada Lovelace, O=Site 12 Maastricht');
    expect(await item.textContent()).toMatch(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    const keystore = path.join(scratch, 'workspace', 'keystore');
    const stored = fs.readdirSync(keystore);
    expect(stored.filter((f) => f.endsWith('.p12'))).toHaveLength(1);
    for (const f of stored) expect(fs.readFileSync(path.join(keystore, f)).toString('latin1')).not.toContain(PASS);
  }, 60_000);

  let written: Array<{ path: string; sha256: string }> = [];

  it('the preview shows the same volumes and sFLR as the panel; a wrong passphrase writes nothing; the right one lists every file', async () => {
    await page.click('[data-testid=sign-open]');
    await page.waitForSelector('[data-testid=sign-preview]', { timeout: 120_000 });
    for (const key of ['liver', 'flr', 'tlv-measured']) {
      expect(await attr(page, `[data-testid=preview-vol-${key}]`, 'data-voxels'), key).toBe(await attr(page, `[data-testid=vol-row-${key}]`, 'data-voxels'));
      const previewMl = Number(await attr(page, `[data-testid=preview-vol-${key}]`, 'data-ml'));
      expect(previewMl).toBeCloseTo(Number(await attr(page, `[data-testid=vol-row-${key}]`, 'data-ml')), 9);
      // The same number as displayed (one decimal) in both places.
      const panelText = (await page.locator(`[data-testid=vol-row-${key}] td.num`).first().textContent())!.replace(' mL', '');
      expect(await page.locator(`[data-testid=preview-vol-${key}] td.num`).nth(1).textContent()).toBe(panelText);
    }
    const sflr = Number(await attr(page, '[data-testid=preview-sflr]', 'data-pct'));
    expect(sflr).toBeGreaterThan(0);
    expect(sflr).toBeCloseTo(Number(await attr(page, '[data-testid=vol-sflr]', 'data-pct')), 9);
    expect(await attr(page, '[data-testid=preview-verdict]', 'data-status')).toBe(await attr(page, '[data-testid=verdict]', 'data-status'));
    expect(await page.locator('[data-testid=preview-key-image]').count()).toBe(2);
    expect(await page.locator('[data-testid=preview-key-image] img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(outDir, 'sign-preview.png') });

    const target = await page.inputValue('[data-testid=sign-outdir]');
    expect(target.startsWith(path.join(scratch, 'workspace', 'cases', 'PH-002', 'timepoints', 'baseline', 'exports'))).toBe(true);
    expect(await page.inputValue('[data-testid=sign-name]')).toBe('Ada Lovelace');
    await page.selectOption('[data-testid=sign-meaning-choice]', 'Reviewer: volumetry reviewed and approved');
    await page.fill('[data-testid=sign-passphrase]', 'not the passphrase');
    await page.click('[data-testid=sign-submit]');
    await page.waitForSelector('[data-testid=sign-error]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=sign-error]')).toMatch(/reviewer key "Ada Lovelace".*wrong passphrase/);
    expect(await page.inputValue('[data-testid=sign-passphrase]')).toBe('');
    expect(await page.locator('[data-testid=sign-dialog]').isVisible()).toBe(true);
    expect(fs.existsSync(target)).toBe(false);

    await page.fill('[data-testid=sign-passphrase]', PASS);
    await page.click('[data-testid=sign-submit]');
    await page.waitForSelector('[data-testid=sign-result]', { timeout: 120_000 });
    await page.screenshot({ path: path.join(outDir, 'sign-result.png') });
    written = await page.$$eval('[data-testid=sign-file]', (rows) => rows.map((r) => ({ path: (r as HTMLElement).dataset.path!, sha256: (r as HTMLElement).dataset.sha256! })));
    expect(written.map((f) => path.basename(f.path)).sort()).toEqual(
      ['PH-002_baseline_labels.nii.gz', 'PH-002_baseline_volumetry.json', 'PH-002_baseline_volumetry.json.p7s', 'PH-002_baseline_volumetry.pdf', 'edc.csv', 'edc.json', 'report-pdf.dcm', 'seg.dcm', 'sr.dcm'].sort(),
    );
    for (const f of written) {
      expect(path.dirname(f.path)).toBe(target);
      expect(createHash('sha256').update(fs.readFileSync(f.path)).digest('hex'), f.path).toBe(f.sha256);
    }
    expect(fs.readdirSync(target).sort()).toEqual(written.map((f) => path.basename(f.path)).sort());
    const record = JSON.parse(fs.readFileSync(path.join(target, 'PH-002_baseline_volumetry.json'), 'utf8')) as { signer: { meaning: string } };
    expect(record.signer.meaning).toBe('Reviewer: volumetry reviewed and approved');
    await page.click('[data-testid=sign-close]');
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('the written report: pdfsig valid and whole document, remnant verify with --series and --labels, dciodvfy clean SEG and SR', async () => {
    const file = (name: string): string => written.find((f) => path.basename(f.path) === name)!.path;
    const pdf = file('PH-002_baseline_volumetry.pdf');
    const sig = tool('pdfsig', [pdf]);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Total document signed');
    const v = await cli('verify', pdf, '--series', seriesDir, '--labels', file('PH-002_baseline_labels.nii.gz'));
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
    const j = await cli('verify', file('PH-002_baseline_volumetry.json'), '--series', seriesDir, '--labels', file('PH-002_baseline_labels.nii.gz'));
    expect(j.code, j.stderr).toBe(0);
    for (const name of ['seg.dcm', 'sr.dcm']) {
      const errors = tool('dciodvfy', [file(name)]).split('\n').filter((l) => l.includes('Error'));
      expect(errors, name).toEqual([]);
    }
  }, 120_000);
});

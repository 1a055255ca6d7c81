import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, sharedDataDir } from '../../../fixtures/src/shared-data.ts';
import type { IndexResult } from '../services/dicom-index/types.ts';

const run = promisify(execFile);

async function remnant(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repoRoot, 'bin/remnant.js'), ...args], { cwd: repoRoot, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('remnant index (child process)', () => {
  it('--json over the whole shared data completes with a versioned schema', async () => {
    const r = await remnant(['index', sharedDataDir(), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as IndexResult;
    expect(json.schemaVersion).toBe(1);
    const stacks = json.studies.flatMap((s) => s.series.flatMap((se) => se.stacks));
    const tcia = stacks.find((s) => s.files[0]?.startsWith('tcia-hcc048/'));
    expect(tcia?.sliceCount).toBe(89);
    expect(tcia?.spacingMm.slice).toBeCloseTo(2.5, 6);
    expect(json.unreadableFiles.find((u) => u.path.endsWith('MR_truncated.dcm'))?.code).toBe('truncated');
  });

  it('prints a readable table for a folder, exit 0', async () => {
    const r = await remnant(['index', sharedDataDir('dcmqi', 'data', 'segmentations')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spacing mm \(row, col, slice\)/u);
    expect(r.stdout).toMatch(/0\.811, 0\.811, 1 /u);
    expect(r.stdout).toMatch(/liver\.dcm {2}Segmentation Storage \(SEG\) -> series 1\.2\.392\./u);
    expect(r.stdout).toMatch(/Unreadable files \(\d+\)/u);
  });

  it('indexes through a DICOMDIR given as the path', async () => {
    const r = await remnant(['index', sharedDataDir('pydicom-testfiles', 'test_files', 'dicomdirtests', 'DICOMDIR'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as IndexResult;
    expect(json.mediaDirectories).toHaveLength(1);
    expect(json.mediaDirectories[0]?.referencedFileCount).toBe(31);
    expect(json.fileCount).toBe(32);
  });

  it('exits 2 naming a missing path, and 2 for usage errors', async () => {
    const missing = await remnant(['index', '/definitely/not/here']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\/definitely\/not\/here/u);
    expect((await remnant(['index'])).code).toBe(2);
    expect((await remnant(['index', 'a', '--bogus'])).code).toBe(2);
  });
});

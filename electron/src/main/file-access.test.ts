import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccessError, createFileAccess, isInsideRoot } from './file-access.ts';
import { createHandlerTable, indexDicomWithProgress } from './handlers.ts';
import { dispatch } from '../ipc/dispatch.ts';

let scratch: string;
let root: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'remnant-file-access-'));
  root = path.join(scratch, 'study');
  mkdirSync(path.join(root, 'series'), { recursive: true });
  writeFileSync(path.join(root, 'series', 'a.dcm'), 'slice a');
  writeFileSync(path.join(scratch, 'secret.txt'), 'patient list');
  // A sibling whose name starts with the root's name: a prefix check would let it through.
  mkdirSync(path.join(scratch, 'study-other'));
  writeFileSync(path.join(scratch, 'study-other', 'b.dcm'), 'other study');
  symlinkSync(path.join(scratch, 'secret.txt'), path.join(root, 'series', 'link-out.dcm'));
  symlinkSync(path.join(scratch, 'study-other'), path.join(root, 'dir-link'));
  symlinkSync(path.join(root, 'series', 'a.dcm'), path.join(root, 'link-in.dcm'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FileAccessError) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('file access allow-list', () => {
  it('refuses everything before a folder is indexed', async () => {
    const access = createFileAccess();
    expect(await refusal(access.readFile(path.join(root, 'series', 'a.dcm')))).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('no folder has been indexed') });
  });

  it('reads files under an indexed root, including through a symlink that stays inside', async () => {
    const access = createFileAccess();
    await access.allowIndexedRoot(root);
    expect(new TextDecoder().decode(await access.readFile(path.join(root, 'series', 'a.dcm')))).toBe('slice a');
    expect(new TextDecoder().decode(await access.readFile(path.join(root, 'link-in.dcm')))).toBe('slice a');
    // A path that wanders out and back in is fine once normalised.
    expect(new TextDecoder().decode(await access.readFile(path.join(root, 'series', '..', 'series', 'a.dcm')))).toBe('slice a');
  });

  it('refuses traversal, sibling prefixes, symlinks leading out, folders, relative and missing paths', async () => {
    const access = createFileAccess();
    await access.allowIndexedRoot(root);
    expect(await refusal(access.readFile(`${root}/../secret.txt`))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(access.readFile(`${root}/series/../../secret.txt`))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(access.readFile(path.join(scratch, 'study-other', 'b.dcm')))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(access.readFile(path.join(root, 'series', 'link-out.dcm')))).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('not inside a folder indexed') });
    expect(await refusal(access.readFile(path.join(root, 'dir-link', 'b.dcm')))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(access.readFile(path.join(root, 'series')))).toMatchObject({ kind: 'invalid', message: expect.stringContaining('not a regular file') });
    expect(await refusal(access.readFile(root))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(access.readFile('series/a.dcm'))).toMatchObject({ kind: 'invalid', message: expect.stringContaining('absolute') });
    expect(await refusal(access.readFile(path.join(root, 'series', 'nope.dcm')))).toMatchObject({ kind: 'missing' });
  });

  it('refuses files over the size limit', async () => {
    const access = createFileAccess({ maxBytes: 3 });
    await access.allowIndexedRoot(root);
    expect(await refusal(access.readFile(path.join(root, 'series', 'a.dcm')))).toMatchObject({ kind: 'too-large' });
  });

  it('a DICOMDIR (file) root allows its folder', async () => {
    const access = createFileAccess();
    await access.allowIndexedRoot(path.join(root, 'series', 'a.dcm'));
    expect(access.roots()).toEqual([path.join(root, 'series')]);
  });

  it('isInsideRoot is a path-segment check, not a string prefix', () => {
    expect(isInsideRoot('/data/study', '/data/study/a.dcm')).toBe(true);
    expect(isInsideRoot('/data/study', '/data/study-2/a.dcm')).toBe(false);
    expect(isInsideRoot('/data/study', '/data/study')).toBe(false);
    expect(isInsideRoot('/data/study', '/data/study/..a/b')).toBe(true);
    expect(isInsideRoot('/data/study', '/data')).toBe(false);
  });
});

describe('dicom:readFile through the shared handler table', () => {
  it('only after dicom:index of the enclosing folder, and with the same refusals on both transports', async () => {
    const table = createHandlerTable({ version: '0', coreVersion: '0', platform: 'linux', indexDicom: indexDicomWithProgress });
    const emit = () => {};
    const file = path.join(root, 'series', 'a.dcm');
    for (const transport of ['ipc', 'http'] as const) {
      expect(await dispatch(table, 'dicom:readFile', { path: file }, { transport, emit })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const indexed = await dispatch(table, 'dicom:index', { rootPath: root }, { transport: 'http', emit });
    expect(indexed).toMatchObject({ ok: true, value: { root, baseDir: root } });
    for (const transport of ['ipc', 'http'] as const) {
      const answer = await dispatch(table, 'dicom:readFile', { path: file }, { transport, emit });
      expect(answer.ok && new TextDecoder().decode(answer.value as Uint8Array)).toBe('slice a');
      expect(await dispatch(table, 'dicom:readFile', { path: `${root}/../secret.txt` }, { transport, emit })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await dispatch(table, 'dicom:readFile', { path: 'relative.dcm' }, { transport, emit })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
  });
});

describe('file access through a symlinked root', () => {
  it('accepts paths under the root as given and under its real path, refuses outside paths before touching the disk', async () => {
    const linkedRoot = path.join(scratch, 'linked-study');
    symlinkSync(root, linkedRoot);
    const access = createFileAccess();
    await access.allowIndexedRoot(linkedRoot);
    expect(new TextDecoder().decode(await access.readFile(path.join(linkedRoot, 'series', 'a.dcm')))).toBe('slice a');
    expect(new TextDecoder().decode(await access.readFile(path.join(root, 'series', 'a.dcm')))).toBe('slice a');
    // A missing file outside the roots is 'forbidden', not 'missing': the channel does not reveal what exists elsewhere.
    expect(await refusal(access.readFile(path.join(scratch, 'no-such-file')))).toMatchObject({ kind: 'forbidden' });
  });
});

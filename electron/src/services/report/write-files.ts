/**
 * All-or-nothing output: every file is first written to a temporary file in the destination folder (fsync), then
 * all are renamed into place. On any failure the temporary files and any file already renamed are removed, so no
 * half-written report is left behind. Errors are ReportOutputError naming the folder or file and the problem.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from './report-data.ts';

export class ReportOutputError extends Error {}

export interface OutputFile {
  name: string;
  bytes: Uint8Array;
}

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a path component is not a folder',
    ENOSPC: 'no space left on the device',
    EEXIST: 'exists and is not a folder',
  };
  return code && known[code] ? `${known[code]} (${code})` : error instanceof Error ? error.message : String(error);
}

export async function writeFilesAtomic(dir: string, files: OutputFile[]): Promise<WrittenFile[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new ReportOutputError(`${dir}: cannot create the output folder: ${describe(error)}`);
  }
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const f of files) {
      const final = path.join(dir, f.name);
      const temp = path.join(dir, `.${f.name}.${randomBytes(6).toString('hex')}.tmp`);
      temps.push(temp);
      let handle;
      try {
        handle = await open(temp, 'wx', 0o644);
        await handle.writeFile(f.bytes);
        await handle.sync();
      } catch (error) {
        throw new ReportOutputError(`${final}: cannot write: ${describe(error)}`);
      } finally {
        await handle?.close();
      }
    }
    for (let n = 0; n < files.length; n++) {
      const final = path.join(dir, (files[n] as OutputFile).name);
      try {
        await rename(temps[n] as string, final);
      } catch (error) {
        throw new ReportOutputError(`${final}: cannot move into place: ${describe(error)}`);
      }
      placed.push(final);
    }
  } catch (error) {
    await Promise.all([...temps, ...placed].map((p) => rm(p, { force: true }).catch(() => undefined)));
    throw error;
  }
  return files.map((f) => ({ path: path.join(dir, f.name), bytes: f.bytes.length, sha256: sha256Hex(f.bytes) }));
}

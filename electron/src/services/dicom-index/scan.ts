/**
 * The indexing service: scan a folder recursively (or the files a DICOMDIR references), read every file's header with
 * bounded I/O, group into studies/series/stacks, and report non-image objects, media directories and unreadable files.
 * Every file ends up either indexed or reported with a reason; bad files never abort the scan.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DirectoryRecord } from '../../../../wasm/src/dicom/header.ts';
import { groupIndex } from './group.ts';
import type { ParsedFile } from './group.ts';
import { readDicomHeader } from './read-header.ts';
import type { ReadHeaderOptions } from './read-header.ts';
import { INDEX_SCHEMA_VERSION } from './types.ts';
import type { IndexResult, MediaDirectoryEntry, UnreadableEntry } from './types.ts';

export interface IndexOptions extends ReadHeaderOptions {
  /** Files read between yields to the event loop (default 32). */
  batchSize?: number;
}

/** The root cannot be indexed at all (missing, unreadable): the CLI maps this to exit code 2. */
export class IndexRootError extends Error {}

async function listFilesRecursive(root: string, unreadable: UnreadableEntry[], rel: (p: string) => string): Promise<string[]> {
  const out: string[] = [];
  const visited = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      unreadable.push({ path: rel(dir), code: 'io-error', reason: `cannot resolve folder: ${(error as Error).message}` });
      continue;
    }
    if (visited.has(real)) continue; // symlink loop
    visited.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === root) throw new IndexRootError(`cannot read folder ${root}: ${(error as Error).message}`);
      unreadable.push({ path: rel(dir), code: 'io-error', reason: `cannot read folder: ${(error as Error).message}` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) out.push(p);
      else if (e.isSymbolicLink()) {
        try {
          const s = await stat(p);
          if (s.isDirectory()) stack.push(p);
          else if (s.isFile()) out.push(p);
        } catch (error) {
          unreadable.push({ path: rel(p), code: 'io-error', reason: `broken symbolic link: ${(error as Error).message}` });
        }
      }
    }
  }
  return out.sort();
}

/** Resolve a DICOMDIR ReferencedFileID (path components) below `baseDir`, matching each component case-insensitively. */
export async function resolveReferencedFile(baseDir: string, components: string[], cache: Map<string, string[] | null>): Promise<string | undefined> {
  let current = baseDir;
  for (const comp of components) {
    let names = cache.get(current);
    if (names === undefined) {
      try {
        names = await readdir(current);
      } catch {
        names = null;
      }
      cache.set(current, names);
    }
    if (names === null) return undefined;
    const exact = names.find((n) => n === comp);
    const match = exact ?? names.find((n) => n.toUpperCase() === comp.toUpperCase());
    if (match === undefined) return undefined;
    current = path.join(current, match);
  }
  return current;
}

/** Run fn over items in order, yielding to the event loop every `batch` items. */
async function mapBatched<T, R>(items: T[], batch: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i++) {
    results.push(await fn(items[i] as T));
    if ((i + 1) % batch === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return results;
}

function referencedFiles(records: DirectoryRecord[]): string[][] {
  return records.filter((r) => r.referencedFileId.length > 0).map((r) => r.referencedFileId);
}

/** Index a folder (recursively), a DICOMDIR, or a single file. Throws IndexRootError only for an unusable root. */
export async function indexPath(rootArg: string, options: IndexOptions = {}): Promise<IndexResult> {
  const root = path.resolve(rootArg);
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IndexRootError(code === 'ENOENT' ? `no such file or folder: ${rootArg}` : `cannot access ${rootArg}: ${(error as Error).message}`);
  }
  const baseForRel = rootStat.isDirectory() ? root : path.dirname(root);
  const rel = (p: string): string => {
    const r = path.relative(baseForRel, p);
    return r === '' || r.startsWith('..') || path.isAbsolute(r) ? p : r.split(path.sep).join('/');
  };
  const unreadable: UnreadableEntry[] = [];
  const mediaDirectories: MediaDirectoryEntry[] = [];
  const parsed: ParsedFile[] = [];
  const dirCache = new Map<string, string[] | null>();
  const batchSize = options.batchSize ?? 32;

  let candidates: string[];
  if (rootStat.isDirectory()) {
    candidates = await listFilesRecursive(root, unreadable, rel);
  } else if (rootStat.isFile()) {
    candidates = [root];
  } else {
    throw new IndexRootError(`not a file or folder: ${rootArg}`);
  }

  const processed = new Set<string>();
  const handle = async (file: string): Promise<string[]> => {
    const r = readDicomHeader(file, options);
    if (!r.ok) {
      unreadable.push({ path: rel(file), code: r.code, reason: r.reason });
      return [];
    }
    const h = r.header;
    if (h.sopCategory === 'media-directory' || h.directoryRecords !== undefined) {
      const records = h.directoryRecords ?? [];
      const refs = referencedFiles(records);
      const missing: string[] = [];
      const found: string[] = [];
      for (const comps of refs) {
        const resolved = await resolveReferencedFile(path.dirname(file), comps, dirCache);
        if (resolved === undefined) missing.push(comps.join('/'));
        else found.push(resolved);
      }
      mediaDirectories.push({ path: rel(file), recordCount: records.length, referencedFileCount: refs.length, missingFiles: missing, warnings: h.warnings });
      return found;
    }
    parsed.push({ path: rel(file), header: h });
    return [];
  };

  // Paths from the walk are unique; files a DICOMDIR references resolve (by path.join of the real entry names) to the
  // same strings when they lie under the root, so a plain path set dedupes them without a realpath per file.
  // (Two names for one file, e.g. a symlink, are still caught later as a duplicate SOP instance.)
  let queue = candidates;
  while (queue.length > 0) {
    const fresh = queue.filter((p) => {
      const k = path.resolve(p);
      if (processed.has(k)) return false;
      processed.add(k);
      return true;
    });
    const referenced = await mapBatched(fresh, batchSize, handle);
    // Files referenced by a DICOMDIR given as the root (or outside the scanned folder) are indexed too.
    queue = referenced.flat();
  }

  const grouped = groupIndex(parsed);
  unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  mediaDirectories.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    schemaVersion: INDEX_SCHEMA_VERSION,
    root,
    fileCount: processed.size,
    studies: grouped.studies,
    nonImageObjects: grouped.nonImageObjects,
    mediaDirectories,
    unreadableFiles: unreadable,
  };
}

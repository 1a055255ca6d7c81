/**
 * Which files the renderer may read (`dicom:readFile`): only regular files that lie, after following every symlink,
 * under a root indexed with `dicom:index` during this run. One instance per process, shared by both transports
 * (the handler table owns it), so Electron IPC and the browser-mode server refuse exactly the same paths.
 *
 * Refused with a clear message: relative paths, paths lexically outside every allowed root (refused before any disk
 * access, so the channel cannot probe for files elsewhere), paths whose real location (realpath) leaves every allowed root
 * (".." traversal, symlinks pointing outside, hard-to-see tricks like /root-sibling prefixes), folders and other
 * non-files, files larger than the limit, and everything before any folder has been indexed.
 */
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export class FileAccessError extends Error {
  readonly kind: 'invalid' | 'forbidden' | 'missing' | 'too-large';
  constructor(kind: FileAccessError['kind'], message: string) {
    super(message);
    this.name = 'FileAccessError';
    this.kind = kind;
  }
}

/** DICOM slices are < 1 MB; multi-frame objects can be large, but not this large. */
export const MAX_READ_FILE_BYTES = 2 * 1024 ** 3 - 1;

/** Pure: is `candidate` (absolute, normalised) inside `root` (absolute, normalised), root itself excluded? */
export function isInsideRoot(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

export interface FileAccess {
  /** Allow reading under an indexed path (a folder; for a file such as a DICOMDIR, its folder). */
  allowIndexedRoot(indexedPath: string): Promise<void>;
  /** The real roots allowed so far (for tests and logs). */
  roots(): readonly string[];
  /** Resolve a requested path to a readable real file under an allowed root, or throw FileAccessError. */
  resolve(requestedPath: string): Promise<string>;
  /** resolve() then read the whole file. */
  readFile(requestedPath: string): Promise<Uint8Array>;
}

export function createFileAccess(options: { maxBytes?: number } = {}): FileAccess {
  const maxBytes = options.maxBytes ?? MAX_READ_FILE_BYTES;
  /** Each indexed root as given (normalised) and as its real path: requests must be lexically under one, really under a real one. */
  const allowed = new Map<string, { lexical: string; real: string }>();

  const resolveFile = async (requestedPath: string): Promise<string> => {
    if (!path.isAbsolute(requestedPath)) throw new FileAccessError('invalid', `path must be absolute: ${requestedPath}`);
    if (allowed.size === 0) throw new FileAccessError('forbidden', `no folder has been indexed in this session; refusing ${requestedPath}`);
    const normalised = path.resolve(requestedPath);
    const roots = [...allowed.values()];
    // Lexical check first: a path outside every indexed folder is refused without touching the disk (no probing).
    if (!roots.some((r) => isInsideRoot(r.lexical, normalised) || isInsideRoot(r.real, normalised))) {
      throw new FileAccessError('forbidden', `${normalised} is not inside a folder indexed in this session`);
    }
    let real: string;
    try {
      real = await realpath(normalised);
    } catch {
      throw new FileAccessError('missing', `no such file: ${normalised}`);
    }
    // Then the real location: symlinks must not lead out of the indexed folders.
    if (!roots.some((r) => isInsideRoot(r.real, real))) {
      throw new FileAccessError('forbidden', `${normalised} is not inside a folder indexed in this session`);
    }
    const info = await stat(real);
    if (!info.isFile()) throw new FileAccessError('invalid', `not a regular file: ${normalised}`);
    if (info.size > maxBytes) throw new FileAccessError('too-large', `${normalised} is larger than ${maxBytes} bytes`);
    return real;
  };

  return {
    async allowIndexedRoot(indexedPath) {
      const lexical = path.resolve(indexedPath);
      const real = await realpath(lexical);
      const isDirectory = (await stat(real)).isDirectory();
      const root = isDirectory ? { lexical, real } : { lexical: path.dirname(lexical), real: path.dirname(real) };
      allowed.set(root.real, root);
    },
    roots: () => [...allowed.keys()],
    resolve: resolveFile,
    async readFile(requestedPath) {
      const real = await resolveFile(requestedPath);
      // Read through one handle, bounded by the size seen now (a file growing meanwhile is cut, never over-read).
      const handle = await open(real, 'r');
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw new FileAccessError('too-large', `${requestedPath} is larger than ${maxBytes} bytes`);
        const bytes = new Uint8Array(size);
        let offset = 0;
        while (offset < size) {
          const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        return offset === size ? bytes : bytes.subarray(0, offset);
      } finally {
        await handle.close();
      }
    },
  };
}

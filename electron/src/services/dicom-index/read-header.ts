/**
 * Read one file's DICOM header with bounded I/O: a small prefix first, growing only as far as the parser asks
 * (never past maxHeaderBytes), whole-file reads only for the deflated syntax (capped), and 8-byte item-header reads to
 * check encapsulated fragments (capped in count). Never throws: every failure becomes a typed result with a reason.
 * I/O is synchronous positional reads: for many small header reads this is ~2x faster than libuv's thread pool;
 * the scanner yields to the event loop between small batches of files so a caller's loop is never blocked for long.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseDicomHeader, walkEncapsulatedFragments } from '../../../../wasm/src/dicom/header.ts';
import type { DicomInstanceHeader } from '../../../../wasm/src/dicom/header.ts';
import type { UnreadableCode } from './types.ts';

export interface ReadHeaderOptions {
  /** First read size (default 16 KiB). */
  initialChunkBytes?: number;
  /** Largest prefix read to find the end of the header (default 64 MiB). */
  maxHeaderBytes?: number;
  /** Largest deflated-syntax file read whole (default 256 MiB). */
  maxDeflatedFileBytes?: number;
  /** Cap on the inflated dataset (deflate-bomb guard, default 512 MiB). */
  maxInflatedBytes?: number;
  /** Most encapsulated fragments checked per file (default 100 000). */
  maxFragments?: number;
}

export type ReadHeaderResult =
  | { ok: true; header: DicomInstanceHeader; fileSizeBytes: number; bytesRead: number }
  | { ok: false; code: UnreadableCode; reason: string; bytesRead: number };

function readAt(fd: number, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const bytesRead = readSync(fd, buf, got, length - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

export function readDicomHeader(path: string, options: ReadHeaderOptions = {}): ReadHeaderResult {
  const initial = options.initialChunkBytes ?? 16 * 1024;
  const maxHeader = options.maxHeaderBytes ?? 64 * 1024 * 1024;
  const maxDeflated = options.maxDeflatedFileBytes ?? 256 * 1024 * 1024;
  const maxInflated = options.maxInflatedBytes ?? 512 * 1024 * 1024;
  const maxFragments = options.maxFragments ?? 100_000;
  let fd: number | undefined;
  let bytesRead = 0;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size === 0) return { ok: false, code: 'empty', reason: 'empty file (0 bytes)', bytesRead };
    let prefix = readAt(fd, 0, Math.min(size, initial));
    bytesRead += prefix.length;
    for (;;) {
      const r = parseDicomHeader(prefix, { fileSizeBytes: size, maxInflatedBytes: maxInflated });
      if (r.ok) {
        const h = r.header;
        if (h.pixelData?.encapsulated && !h.pixelData.inDeflatedStream) {
          const handle = fd;
          let reads = 0;
          // Item headers are read 8 bytes at a time; the count is capped so a pathological file stays bounded.
          const headers = new Map<number, Uint8Array>();
          const offsets: number[] = [];
          let pos = h.pixelData.valueOffsetBytes;
          let checked = true;
          // Pre-read the item headers (async), then walk them with the synchronous core walker.
          for (;;) {
            if (reads >= maxFragments) {
              checked = false;
              break;
            }
            if (pos + 8 > size) break;
            const head = readAt(handle, pos, 8);
            bytesRead += head.length;
            reads++;
            headers.set(pos, head);
            offsets.push(pos);
            const v = new DataView(head.buffer, head.byteOffset, head.length);
            if (head.length < 8) break;
            const tag = ((v.getUint16(0, h.littleEndian) << 16) | v.getUint16(2, h.littleEndian)) >>> 0;
            const len = v.getUint32(4, h.littleEndian);
            if (tag !== 0xfffee000 || len === 0xffffffff) break;
            pos += 8 + len;
          }
          if (checked) {
            const walked = walkEncapsulatedFragments((o) => headers.get(o) ?? new Uint8Array(0), h.pixelData.valueOffsetBytes, size, h.littleEndian);
            if (!walked.ok) return { ok: false, code: walked.code === 'truncated' ? 'truncated' : 'malformed', reason: walked.message, bytesRead };
            const frames = h.numberOfFrames;
            // Fragments exclude the Basic Offset Table item; each frame needs at least one fragment.
            if (walked.fragments.length - 1 < frames) {
              return { ok: false, code: 'truncated', reason: `encapsulated Pixel Data has ${Math.max(0, walked.fragments.length - 1)} fragment(s) for ${frames} frame(s)`, bytesRead };
            }
          } else {
            h.warnings.push(`more than ${maxFragments} encapsulated fragments: fragment table not fully checked`);
          }
        }
        return { ok: true, header: h, fileSizeBytes: size, bytesRead };
      }
      if (r.code !== 'need-more-bytes') return { ok: false, code: r.code, reason: r.message, bytesRead };
      const needed = r.neededBytes ?? prefix.length * 2;
      if (prefix.length >= size) return { ok: false, code: 'malformed', reason: `parser asked for ${needed} bytes of a ${size}-byte file`, bytesRead };
      const isDeflateRequest = needed >= size && /deflated/u.test(r.message);
      const cap = isDeflateRequest ? maxDeflated : maxHeader;
      if (needed > cap) {
        return {
          ok: false,
          code: 'too-large',
          reason: isDeflateRequest
            ? `deflated file of ${size} bytes exceeds the ${cap}-byte limit for whole-file reads`
            : `header extends beyond ${cap} bytes (needs ${needed}); not read further`,
          bytesRead,
        };
      }
      const next = Math.min(size, cap, Math.max(needed, prefix.length * 2));
      const more = readAt(fd, prefix.length, next - prefix.length);
      bytesRead += more.length;
      const grown = new Uint8Array(prefix.length + more.length);
      grown.set(prefix, 0);
      grown.set(more, prefix.length);
      if (more.length === 0) return { ok: false, code: 'io-error', reason: `file shrank while reading (expected ${size} bytes)`, bytesRead };
      prefix = grown;
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, code: 'io-error', reason: `cannot read file: ${e.code ?? ''} ${e.message}`.trim(), bytesRead };
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Closing a read-only descriptor cannot lose data; nothing to report.
      }
    }
  }
}

/**
 * Labelmap snapshots: snapshot-<gen>.rsnap, written atomically (durable-io.ts). Layout (little-endian):
 *
 *   "RMNSNAP1" (8 bytes) | u32 headerLength | header JSON (utf-8) | u32 CRC-32(header JSON)
 *   | labelmap, gzip (header.labelmapGzipBytes) | undo/redo history, gzip (header.historyGzipBytes)
 *
 * The header carries the geometry, series UIDs, voxel count and the SHA-256 of the raw labelmap and of the raw
 * history block; reading verifies every one of them and throws an error naming the file and the problem.
 */
import { createHash } from 'node:crypto';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import { decodeHistoryState, encodeHistoryState } from '../../../../wasm/src/segmentation/history.ts';
import type { HistoryState } from '../../../../wasm/src/segmentation/history.ts';

export const SNAPSHOT_MAGIC = 'RMNSNAP1';
export const SNAPSHOT_SCHEMA_VERSION = 1;

export interface SnapshotHeader {
  schemaVersion: number;
  generation: number;
  createdAt: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  geometry: ImageGeometry;
  voxelCount: number;
  labelmapSha256: string;
  labelmapGzipBytes: number;
  historySha256: string;
  historyGzipBytes: number;
}

export interface Snapshot {
  header: SnapshotHeader;
  labelmap: Uint8Array;
  history: HistoryState;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodeSnapshot(args: { generation: number; seriesInstanceUid: string; frameOfReferenceUid: string; geometry: ImageGeometry; labelmap: Uint8Array; history: HistoryState; createdAt?: string }): Uint8Array {
  const historyRaw = encodeHistoryState(args.history);
  const labelGz = gzipSync(args.labelmap, { level: 1 });
  const historyGz = gzipSync(historyRaw, { level: 1 });
  const header: SnapshotHeader = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generation: args.generation,
    createdAt: args.createdAt ?? new Date().toISOString(),
    seriesInstanceUid: args.seriesInstanceUid,
    frameOfReferenceUid: args.frameOfReferenceUid,
    geometry: args.geometry,
    voxelCount: args.labelmap.length,
    labelmapSha256: sha256Hex(args.labelmap),
    labelmapGzipBytes: labelGz.length,
    historySha256: sha256Hex(historyRaw),
    historyGzipBytes: historyGz.length,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + 4 + headerBytes.length + 4 + labelGz.length + historyGz.length);
  out.write(SNAPSHOT_MAGIC, 0, 'ascii');
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  out.writeUInt32LE(crc32(headerBytes), 12 + headerBytes.length);
  let o = 16 + headerBytes.length;
  out.set(labelGz, o);
  o += labelGz.length;
  out.set(historyGz, o);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export function decodeSnapshot(bytes: Uint8Array, fileName: string): Snapshot {
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem}`);
  };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 16) fail(`snapshot is ${buf.length} bytes, too short to be a snapshot (partial write?)`);
  if (buf.toString('ascii', 0, 8) !== SNAPSHOT_MAGIC) fail('not a Remnant labelmap snapshot (bad magic)');
  const headerLength = buf.readUInt32LE(8);
  if (16 + headerLength > buf.length) fail(`snapshot header (${headerLength} bytes) runs past the end of the file (${buf.length} bytes): partial write`);
  const headerBytes = buf.subarray(12, 12 + headerLength);
  if (crc32(headerBytes) !== buf.readUInt32LE(12 + headerLength)) fail('snapshot header checksum mismatch (corrupt)');
  let header: SnapshotHeader;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as SnapshotHeader;
  } catch (error) {
    return fail(`snapshot header is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (header.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) fail(`snapshot schema version ${String(header.schemaVersion)} is not supported (expected ${SNAPSHOT_SCHEMA_VERSION})`);
  const size = header.geometry?.sizeIJK;
  if (!Array.isArray(size) || size.length !== 3 || size[0] * size[1] * size[2] !== header.voxelCount) fail('snapshot geometry does not match its voxel count');
  let o = 16 + headerLength;
  const end = o + header.labelmapGzipBytes + header.historyGzipBytes;
  if (end !== buf.length) fail(`snapshot holds ${buf.length - o} data bytes, its header announces ${end - o} (truncated or padded)`);
  let labelmap: Uint8Array;
  let historyRaw: Uint8Array;
  try {
    labelmap = new Uint8Array(gunzipSync(buf.subarray(o, o + header.labelmapGzipBytes)));
    o += header.labelmapGzipBytes;
    historyRaw = new Uint8Array(gunzipSync(buf.subarray(o, o + header.historyGzipBytes)));
  } catch (error) {
    return fail(`snapshot data does not decompress (${error instanceof Error ? error.message : String(error)})`);
  }
  if (labelmap.length !== header.voxelCount) fail(`snapshot labelmap has ${labelmap.length} voxels, the header says ${header.voxelCount}`);
  if (sha256Hex(labelmap) !== header.labelmapSha256) fail('snapshot labelmap SHA-256 does not match its header (corrupt)');
  if (sha256Hex(historyRaw) !== header.historySha256) fail('snapshot history SHA-256 does not match its header (corrupt)');
  return { header, labelmap, history: decodeHistoryState(historyRaw, fileName) };
}

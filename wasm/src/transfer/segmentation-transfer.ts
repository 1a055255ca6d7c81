/**
 * Wire forms of a segmentation between the workspace service (main process) and the renderer's segmentation worker.
 * Runtime-neutral (no Node, no DOM): both sides import it.
 *
 *  - a history entry crosses the JSON transports as base64 of encodeHistoryEntry (wasm/src/segmentation/history.ts);
 *  - an opened segmentation (labelmap + undo history + recovery report) crosses as one binary answer:
 *
 *      "RMNSEGW1" | u32 headerLength | header JSON (7-bit ASCII) | u32 runCount | runLength u32[n] | value u8[n]
 *                 | u32 historyLength | encodeHistoryState bytes
 *
 *    The labelmap is run-length coded along the flat voxel order (i fastest), so an empty 512x512x600 labelmap is a few
 *    bytes and a whole liver a few MB, never a 150 MB copy.
 */
import type { ImageGeometry } from '../geometry/types.ts';
import { asciiJsonBytes, decodeHistoryState, encodeHistoryState, parseAsciiJson } from '../segmentation/history.ts';
import type { HistoryState } from '../segmentation/history.ts';

export const SEGMENTATION_WIRE_MAGIC = 'RMNSEGW1';

export interface SegmentationWireHeader {
  caseId: string;
  timepointId: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  geometry: ImageGeometry;
  generation: number;
  /** What recovery found on open (problems name the damaged files); empty problems when everything was intact. */
  recovery: { snapshotGeneration: number; journalOpsReplayed: number; problems: string[]; lost: string; quarantined: string[] };
  /** True when the segmentation was created by this open (nothing was stored before). */
  created: boolean;
}

export interface SegmentationWire {
  header: SegmentationWireHeader;
  labelmap: Uint8Array;
  history: HistoryState;
}

/** Run-length code of a labelmap along the flat voxel order. */
export function encodeLabelmapRuns(labelmap: Uint8Array): { lengths: Uint32Array; values: Uint8Array } {
  let n = 0;
  for (let v = 0; v < labelmap.length; v++) if (v === 0 || labelmap[v] !== labelmap[v - 1]) n++;
  const lengths = new Uint32Array(n);
  const values = new Uint8Array(n);
  let r = -1;
  for (let v = 0; v < labelmap.length; v++) {
    if (v === 0 || labelmap[v] !== labelmap[v - 1]) {
      r++;
      values[r] = labelmap[v] as number;
    }
    lengths[r]++;
  }
  return { lengths, values };
}

export function decodeLabelmapRuns(lengths: Uint32Array, values: Uint8Array, voxelCount: number, what: string): Uint8Array {
  const out = new Uint8Array(voxelCount);
  let o = 0;
  for (let r = 0; r < lengths.length; r++) {
    const len = lengths[r] as number;
    if (o + len > voxelCount) throw new Error(`${what}: labelmap runs hold more than the ${voxelCount} voxels of the grid`);
    out.fill(values[r] as number, o, o + len);
    o += len;
  }
  if (o !== voxelCount) throw new Error(`${what}: labelmap runs hold ${o} voxels, the grid has ${voxelCount}`);
  return out;
}

export function encodeSegmentationWire(wire: SegmentationWire): Uint8Array {
  const header = asciiJsonBytes(wire.header);
  const { lengths, values } = encodeLabelmapRuns(wire.labelmap);
  const history = encodeHistoryState(wire.history);
  const n = lengths.length;
  const out = new Uint8Array(8 + 4 + header.length + 4 + n * 5 + 4 + history.length);
  const view = new DataView(out.buffer);
  for (let c = 0; c < 8; c++) out[c] = SEGMENTATION_WIRE_MAGIC.charCodeAt(c);
  let o = 8;
  view.setUint32(o, header.length, true);
  o += 4;
  out.set(header, o);
  o += header.length;
  view.setUint32(o, n, true);
  o += 4;
  for (let r = 0; r < n; r++, o += 4) view.setUint32(o, lengths[r] as number, true);
  out.set(values, o);
  o += n;
  view.setUint32(o, history.length, true);
  o += 4;
  out.set(history, o);
  return out;
}

export function decodeSegmentationWire(bytes: Uint8Array, what = 'segmentation'): SegmentationWire {
  const fail = (problem: string): never => {
    throw new Error(`${what}: ${problem}`);
  };
  if (bytes.length < 20) fail(`answer is ${bytes.length} bytes, too short`);
  for (let c = 0; c < 8; c++) if (bytes[c] !== SEGMENTATION_WIRE_MAGIC.charCodeAt(c)) fail('not a Remnant segmentation answer (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  const need = (n: number, part: string): void => {
    if (o + n > bytes.length) fail(`${part} runs past the end (${bytes.length} bytes)`);
  };
  need(4, 'header length');
  const hl = view.getUint32(o, true);
  o += 4;
  need(hl, 'header');
  const header = parseAsciiJson(bytes.subarray(o, o + hl)) as SegmentationWireHeader;
  o += hl;
  const g = header?.geometry;
  if (!g || !Array.isArray(g.sizeIJK) || g.sizeIJK.length !== 3) fail('header lacks the grid geometry');
  need(4, 'run count');
  const n = view.getUint32(o, true);
  o += 4;
  need(n * 5, 'labelmap runs');
  const lengths = new Uint32Array(n);
  for (let r = 0; r < n; r++, o += 4) lengths[r] = view.getUint32(o, true);
  const values = bytes.slice(o, o + n);
  o += n;
  const [nx, ny, nz] = header.geometry.sizeIJK;
  const labelmap = decodeLabelmapRuns(lengths, values, nx * ny * nz, what);
  need(4, 'history length');
  const hsl = view.getUint32(o, true);
  o += 4;
  need(hsl, 'history');
  const history = decodeHistoryState(bytes.subarray(o, o + hsl), `${what} history`);
  o += hsl;
  if (o !== bytes.length) fail(`${bytes.length - o} unexpected bytes at the end`);
  return { header, labelmap, history };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let c = 0; c < 64; c++) t[B64.charCodeAt(c)] = c;
  return t;
})();

/** Standard base64 (RFC 4648, with padding), without btoa/Buffer so it runs everywhere. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let c = 0; c < bytes.length; c += 3) {
    const a = bytes[c] as number;
    const b = c + 1 < bytes.length ? (bytes[c + 1] as number) : 0;
    const d = c + 2 < bytes.length ? (bytes[c + 2] as number) : 0;
    const n = (a << 16) | (b << 8) | d;
    chunk += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (c + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + (c + 2 < bytes.length ? B64[n & 63]! : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error(`base64 text length ${text.length} is not a multiple of 4`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let c = 0; c < text.length; c += 4) {
    let n = 0;
    for (let q = 0; q < 4; q++) {
      const ch = text.charCodeAt(c + q);
      const isPad = ch === 61 && c + q >= text.length - pad;
      const v = isPad ? 0 : ch < 128 ? (B64_INDEX[ch] as number) : -1;
      if (v < 0) throw new Error(`base64 text has an invalid character at ${c + q}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

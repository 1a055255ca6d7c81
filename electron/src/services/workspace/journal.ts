/**
 * The edit journal: append-only, one file per snapshot generation (journal-<gen>.rjnl holds the operations applied
 * on top of snapshot-<gen>.rsnap). Layout (little-endian):
 *
 *   header   "RMNJRNL1" (8 bytes) | u32 generation | u32 CRC-32 of the previous 12 bytes
 *   record   u32 payloadLength | u32 CRC-32(payload) | payload
 *   payload  u8 kind (1 = edit, 2 = undo, 3 = redo) | edit: encoded history entry (wasm/src/segmentation/history.ts)
 *                                                   | undo/redo: u32 id of the entry undone/redone
 *
 * Reading stops at the first record that is incomplete (a torn write: the process died mid-append) or whose CRC does
 * not match (corruption). Everything before it is used; what follows is reported as lost, never applied.
 */
import { crc32 } from 'node:zlib';
import { decodeHistoryEntry, encodeHistoryEntry } from '../../../../wasm/src/segmentation/history.ts';
import type { HistoryEntry } from '../../../../wasm/src/segmentation/history.ts';

export const JOURNAL_MAGIC = 'RMNJRNL1';
export const JOURNAL_HEADER_BYTES = 16;
const KIND_EDIT = 1;
const KIND_UNDO = 2;
const KIND_REDO = 3;

export type JournalOp = { kind: 'edit'; entry: HistoryEntry } | { kind: 'undo'; entryId: number } | { kind: 'redo'; entryId: number };

export function encodeJournalHeader(generation: number): Uint8Array {
  const out = new Uint8Array(JOURNAL_HEADER_BYTES);
  out.set(Buffer.from(JOURNAL_MAGIC, 'ascii'), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, generation, true);
  view.setUint32(12, crc32(out.subarray(0, 12)), true);
  return out;
}

export function encodeJournalRecord(op: JournalOp): Uint8Array {
  let payload: Uint8Array;
  if (op.kind === 'edit') {
    const entry = encodeHistoryEntry(op.entry);
    payload = new Uint8Array(1 + entry.length);
    payload[0] = KIND_EDIT;
    payload.set(entry, 1);
  } else {
    payload = new Uint8Array(5);
    payload[0] = op.kind === 'undo' ? KIND_UNDO : KIND_REDO;
    new DataView(payload.buffer).setUint32(1, op.entryId, true);
  }
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32(payload), true);
  out.set(payload, 8);
  return out;
}

export interface JournalReadResult {
  generation: number;
  ops: JournalOp[];
  /** Bytes of valid records (header included): where a clean journal would end. */
  validBytes: number;
  /** Problem found after the valid records, or null when the whole file was read. */
  problem: { kind: 'torn' | 'corrupt'; atByte: number; message: string } | null;
}

/** Parse a journal file's bytes. Throws (naming the file) only when the header itself is unusable. */
export function readJournal(bytes: Uint8Array, fileName: string): JournalReadResult {
  if (bytes.length < JOURNAL_HEADER_BYTES) throw new Error(`${fileName}: journal header is incomplete (${bytes.length} of ${JOURNAL_HEADER_BYTES} bytes)`);
  if (Buffer.from(bytes.subarray(0, 8)).toString('ascii') !== JOURNAL_MAGIC) throw new Error(`${fileName}: not a Remnant edit journal (bad magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(12, true) !== crc32(bytes.subarray(0, 12))) throw new Error(`${fileName}: journal header checksum mismatch`);
  const generation = view.getUint32(8, true);
  const ops: JournalOp[] = [];
  let o = JOURNAL_HEADER_BYTES;
  let problem: JournalReadResult['problem'] = null;
  let index = 0;
  while (o < bytes.length) {
    index++;
    const remaining = bytes.length - o;
    if (remaining < 8) {
      problem = { kind: 'torn', atByte: o, message: `${fileName}: record ${index} is incomplete (${remaining} bytes of its 8-byte header at byte ${o}): torn write, dropped` };
      break;
    }
    const len = view.getUint32(o, true);
    const crc = view.getUint32(o + 4, true);
    if (len > remaining - 8) {
      problem = { kind: 'torn', atByte: o, message: `${fileName}: record ${index} at byte ${o} is incomplete (${remaining - 8} of ${len} payload bytes): torn write, dropped` };
      break;
    }
    const payload = bytes.subarray(o + 8, o + 8 + len);
    const last = o + 8 + len === bytes.length;
    if (crc32(payload) !== crc) {
      problem = last
        ? { kind: 'torn', atByte: o, message: `${fileName}: last record ${index} at byte ${o} fails its checksum (torn write), dropped` }
        : { kind: 'corrupt', atByte: o, message: `${fileName}: record ${index} at byte ${o} fails its checksum; it and the ${bytes.length - o - 8 - len} bytes after it are not applied` };
      break;
    }
    try {
      ops.push(decodePayload(payload, `${fileName} record ${index}`));
    } catch (error) {
      problem = { kind: 'corrupt', atByte: o, message: error instanceof Error ? error.message : String(error) };
      break;
    }
    o += 8 + len;
  }
  return { generation, ops, validBytes: o, problem };
}

function decodePayload(payload: Uint8Array, what: string): JournalOp {
  if (payload.length < 1) throw new Error(`${what}: empty record`);
  const kind = payload[0];
  if (kind === KIND_EDIT) return { kind: 'edit', entry: decodeHistoryEntry(payload.subarray(1), what) };
  if (kind === KIND_UNDO || kind === KIND_REDO) {
    if (payload.length !== 5) throw new Error(`${what}: ${kind === KIND_UNDO ? 'undo' : 'redo'} record has ${payload.length} bytes, expected 5`);
    const entryId = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(1, true);
    return { kind: kind === KIND_UNDO ? 'undo' : 'redo', entryId };
  }
  throw new Error(`${what}: unknown record kind ${String(kind)}`);
}

/**
 * Undo/redo history of edits. Each entry is described (tool, segment, voxels changed, timestamp) and stores the edit
 * as run-length ranges (runs.ts), never a volume copy. Memory is bounded: when the stored runs exceed `maxBytes`, the
 * oldest undo entries are dropped (counted in `droppedEntries`). Undo applies an entry backward, redo forward; both
 * restore the exact labels voxel for voxel. The same class runs in the renderer worker (the engine) and in the main
 * process (the workspace mirror), so both sides agree on the history after every operation.
 */
import type { ConstraintReport } from './constraints.ts';
import type { EditDiff, ToolName } from './diff.ts';
import { encodeRuns, runsByteLength } from './runs.ts';
import type { LabelRuns } from './runs.ts';

export interface HistoryEntry {
  /** Sequence number, unique within a segmentation. */
  id: number;
  tool: ToolName;
  segment: string;
  op: string;
  voxelsChanged: number;
  /** Milliseconds since the Unix epoch. */
  timestampMs: number;
  /** Human description, e.g. "brush: tumour 1, +412 voxels". */
  description: string;
  report: ConstraintReport | null;
  runs: LabelRuns;
}

/** Fixed bookkeeping charged per entry on top of its runs. */
export const ENTRY_OVERHEAD_BYTES = 256;
/** Default cap: 64 MiB of runs (a few hundred whole-liver edits, thousands of brush strokes). */
export const DEFAULT_HISTORY_MAX_BYTES = 64 * 1024 * 1024;

export function entryBytes(entry: HistoryEntry): number {
  return runsByteLength(entry.runs) + ENTRY_OVERHEAD_BYTES;
}

export function describeEdit(diff: Pick<EditDiff, 'tool' | 'segment' | 'voxelsChanged' | 'indices' | 'oldLabels' | 'newLabels'>): string {
  return `${diff.tool}: ${diff.segment}, ${diff.voxelsChanged} voxel${diff.voxelsChanged === 1 ? '' : 's'} changed`;
}

export function entryFromDiff(diff: EditDiff, id: number, timestampMs: number): HistoryEntry {
  return {
    id,
    tool: diff.tool,
    segment: diff.segment,
    op: diff.op,
    voxelsChanged: diff.voxelsChanged,
    timestampMs,
    description: describeEdit(diff),
    report: diff.report,
    runs: encodeRuns(diff),
  };
}

export interface HistoryState {
  undo: HistoryEntry[];
  redo: HistoryEntry[];
  nextId: number;
  droppedEntries: number;
}

export class EditHistory {
  readonly maxBytes: number;
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  private totalBytes = 0;
  private nextEntryId = 1;
  private dropped = 0;

  constructor(maxBytes: number = DEFAULT_HISTORY_MAX_BYTES) {
    if (!(maxBytes > 0)) throw new Error(`history maxBytes must be positive, got ${maxBytes}`);
    this.maxBytes = maxBytes;
  }

  /** Records a committed edit; clears the redo stack; drops the oldest entries beyond maxBytes. */
  push(diff: EditDiff, timestampMs: number): HistoryEntry {
    const entry = entryFromDiff(diff, this.nextEntryId++, timestampMs);
    this.pushEntry(entry);
    return entry;
  }

  pushEntry(entry: HistoryEntry): void {
    for (const e of this.redoStack) this.totalBytes -= entryBytes(e);
    this.redoStack = [];
    this.undoStack.push(entry);
    this.totalBytes += entryBytes(entry);
    if (entry.id >= this.nextEntryId) this.nextEntryId = entry.id + 1;
    while (this.totalBytes > this.maxBytes && this.undoStack.length > 0) {
      const old = this.undoStack.shift() as HistoryEntry;
      this.totalBytes -= entryBytes(old);
      this.dropped++;
    }
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Moves the newest entry to the redo stack and returns it (apply it backward), or null. */
  takeUndo(): HistoryEntry | null {
    const e = this.undoStack.pop();
    if (!e) return null;
    this.redoStack.push(e);
    return e;
  }

  /** Moves the newest undone entry back and returns it (apply it forward), or null. */
  takeRedo(): HistoryEntry | null {
    const e = this.redoStack.pop();
    if (!e) return null;
    this.undoStack.push(e);
    return e;
  }

  /** Puts an entry taken by takeUndo/takeRedo back where it was (used when applying it failed). */
  restoreAfterFailed(kind: 'undo' | 'redo'): void {
    if (kind === 'undo') {
      const e = this.redoStack.pop();
      if (e) this.undoStack.push(e);
    } else {
      const e = this.undoStack.pop();
      if (e) this.redoStack.push(e);
    }
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get droppedEntries(): number {
    return this.dropped;
  }

  /** Entries (oldest first) for the history panel; runs are not copied. */
  describe(): { undo: Array<Omit<HistoryEntry, 'runs'>>; redo: Array<Omit<HistoryEntry, 'runs'>> } {
    const strip = ({ runs: _runs, ...rest }: HistoryEntry): Omit<HistoryEntry, 'runs'> => rest;
    return { undo: this.undoStack.map(strip), redo: this.redoStack.map(strip).reverse() };
  }

  state(): HistoryState {
    return { undo: [...this.undoStack], redo: [...this.redoStack], nextId: this.nextEntryId, droppedEntries: this.dropped };
  }

  static fromState(state: HistoryState, maxBytes: number = DEFAULT_HISTORY_MAX_BYTES): EditHistory {
    const h = new EditHistory(maxBytes);
    h.undoStack = [...state.undo];
    h.redoStack = [...state.redo];
    h.totalBytes = [...h.undoStack, ...h.redoStack].reduce((s, e) => s + entryBytes(e), 0);
    h.nextEntryId = state.nextId;
    h.dropped = state.droppedEntries;
    return h;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Binary codec (journal records, snapshots, worker <-> main transfer). Little-endian:
//   u32 metaLength | meta JSON (utf-8) | u32 runCount | start u32[n] | length u32[n] | oldLabel u8[n] | newLabel u8[n]

/** JSON as 7-bit ASCII bytes (non-ASCII characters escaped as \uXXXX), so no TextEncoder is needed. */
export function asciiJsonBytes(value: unknown): Uint8Array {
  const text = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const out = new Uint8Array(text.length);
  for (let c = 0; c < text.length; c++) out[c] = text.charCodeAt(c);
  return out;
}

export function parseAsciiJson(bytes: Uint8Array): unknown {
  let text = '';
  for (let c = 0; c < bytes.length; c += 8192) {
    const chunk = bytes.subarray(c, c + 8192);
    for (const b of chunk) if (b > 127) throw new Error(`byte ${c} is not 7-bit ASCII`);
    text += String.fromCharCode(...chunk);
  }
  return JSON.parse(text);
}

export function encodeHistoryEntry(entry: HistoryEntry): Uint8Array {
  const { runs, ...meta } = entry;
  const metaBytes = asciiJsonBytes(meta);
  const n = runs.start.length;
  const out = new Uint8Array(4 + metaBytes.length + 4 + n * 10);
  const view = new DataView(out.buffer);
  let o = 0;
  view.setUint32(o, metaBytes.length, true);
  o += 4;
  out.set(metaBytes, o);
  o += metaBytes.length;
  view.setUint32(o, n, true);
  o += 4;
  for (let r = 0; r < n; r++, o += 4) view.setUint32(o, runs.start[r] as number, true);
  for (let r = 0; r < n; r++, o += 4) view.setUint32(o, runs.length[r] as number, true);
  out.set(runs.oldLabel, o);
  o += n;
  out.set(runs.newLabel, o);
  return out;
}

export function decodeHistoryEntry(bytes: Uint8Array, what: string): HistoryEntry {
  const fail = (problem: string): never => {
    throw new Error(`${what}: ${problem}`);
  };
  if (bytes.length < 8) fail(`edit record is ${bytes.length} bytes, too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLength = view.getUint32(0, true);
  if (8 + metaLength > bytes.length) fail(`edit record metadata (${metaLength} bytes) runs past the record end (${bytes.length} bytes)`);
  let meta: Record<string, unknown>;
  try {
    meta = parseAsciiJson(bytes.subarray(4, 4 + metaLength)) as Record<string, unknown>;
  } catch (error) {
    return fail(`edit record metadata is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  let o = 4 + metaLength;
  const n = view.getUint32(o, true);
  o += 4;
  if (o + n * 10 !== bytes.length) fail(`edit record holds ${bytes.length - o} bytes of runs, ${n} runs need ${n * 10}`);
  const runs: LabelRuns = { start: new Uint32Array(n), length: new Uint32Array(n), oldLabel: new Uint8Array(n), newLabel: new Uint8Array(n) };
  for (let r = 0; r < n; r++, o += 4) runs.start[r] = view.getUint32(o, true);
  for (let r = 0; r < n; r++, o += 4) runs.length[r] = view.getUint32(o, true);
  runs.oldLabel.set(bytes.subarray(o, o + n));
  o += n;
  runs.newLabel.set(bytes.subarray(o, o + n));
  if (typeof meta.id !== 'number' || typeof meta.tool !== 'string' || typeof meta.segment !== 'string' || typeof meta.timestampMs !== 'number') {
    fail('edit record metadata lacks id/tool/segment/timestampMs');
  }
  let voxels = 0;
  for (let r = 0; r < n; r++) voxels += runs.length[r] as number;
  if (voxels !== meta.voxelsChanged) fail(`edit record says ${String(meta.voxelsChanged)} voxels changed, its runs hold ${voxels}`);
  return {
    id: meta.id as number,
    tool: meta.tool as ToolName,
    segment: meta.segment as string,
    op: String(meta.op ?? ''),
    voxelsChanged: voxels,
    timestampMs: meta.timestampMs as number,
    description: String(meta.description ?? ''),
    report: (meta.report ?? null) as ConstraintReport | null,
    runs,
  };
}

/** Whole history: u32 version | u32 nextId | u32 dropped | u32 undoCount | u32 redoCount | (u32 len | entry)*. */
export function encodeHistoryState(state: HistoryState): Uint8Array {
  const parts = [...state.undo, ...state.redo].map(encodeHistoryEntry);
  const total = 20 + parts.reduce((s, p) => s + 4 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 1, true);
  view.setUint32(4, state.nextId, true);
  view.setUint32(8, state.droppedEntries, true);
  view.setUint32(12, state.undo.length, true);
  view.setUint32(16, state.redo.length, true);
  let o = 20;
  for (const p of parts) {
    view.setUint32(o, p.length, true);
    out.set(p, o + 4);
    o += 4 + p.length;
  }
  return out;
}

export function decodeHistoryState(bytes: Uint8Array, what: string): HistoryState {
  if (bytes.length < 20) throw new Error(`${what}: history block is ${bytes.length} bytes, too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(0, true);
  if (version !== 1) throw new Error(`${what}: history block version ${version} is not supported (expected 1)`);
  const nextId = view.getUint32(4, true);
  const droppedEntries = view.getUint32(8, true);
  const nu = view.getUint32(12, true);
  const nr = view.getUint32(16, true);
  const entries: HistoryEntry[] = [];
  let o = 20;
  for (let e = 0; e < nu + nr; e++) {
    if (o + 4 > bytes.length) throw new Error(`${what}: history block ends after ${e} of ${nu + nr} entries`);
    const len = view.getUint32(o, true);
    if (o + 4 + len > bytes.length) throw new Error(`${what}: history entry ${e + 1} runs past the end of the block`);
    entries.push(decodeHistoryEntry(bytes.subarray(o + 4, o + 4 + len), `${what}, history entry ${e + 1}`));
    o += 4 + len;
  }
  if (o !== bytes.length) throw new Error(`${what}: ${bytes.length - o} unexpected bytes after the history entries`);
  return { undo: entries.slice(0, nu), redo: entries.slice(nu), nextId, droppedEntries };
}

/**
 * Autosave of one timepoint's segmentation (docs/workspace.md, "Crash safety"). The main process keeps a mirror of
 * the labelmap and of the undo history; the renderer worker sends every committed operation (edit entry, undo, redo),
 * the store applies it to the mirror (refusing one that does not match), appends it to the journal and fsyncs before
 * acknowledging. Every `compactEvery` operations (or when the journal passes `compactJournalBytes`) the mirror is
 * written as a new snapshot generation and a fresh journal starts. Reopening loads the newest valid snapshot and
 * replays the journals after it; anything damaged is reported (naming the file) and never applied.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import { encodeNifti1 } from '../../../../wasm/src/io/nifti-write.ts';
import { DEFAULT_HISTORY_MAX_BYTES, EditHistory } from '../../../../wasm/src/segmentation/history.ts';
import type { HistoryEntry, HistoryState } from '../../../../wasm/src/segmentation/history.ts';
import { applyRuns } from '../../../../wasm/src/segmentation/runs.ts';
import { appendDurable, fsyncDirectory, writeFileAtomic } from './durable-io.ts';
import { encodeJournalHeader, encodeJournalRecord, readJournal } from './journal.ts';
import type { JournalOp } from './journal.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot.ts';
import type { RecoveryReport } from './types.ts';

export interface SegmentationIdentity {
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  geometry: ImageGeometry;
}

export interface StoreOptions {
  /** Compact after this many journalled operations (default 200). */
  compactEvery?: number;
  /** ... or when the journal exceeds this size (default 64 MiB). */
  compactJournalBytes?: number;
  historyMaxBytes?: number;
}

export type { RecoveryReport } from './types.ts';

const SNAP_RE = /^snapshot-(\d{6})\.rsnap$/;
const JRNL_RE = /^journal-(\d{6})\.rjnl$/;
const pad = (g: number): string => String(g).padStart(6, '0');
export const snapshotName = (g: number): string => `snapshot-${pad(g)}.rsnap`;
export const journalName = (g: number): string => `journal-${pad(g)}.rjnl`;

export class SegmentationStore {
  readonly dir: string;
  readonly identity: SegmentationIdentity;
  readonly labelmap: Uint8Array;
  readonly history: EditHistory;
  readonly recovery: RecoveryReport;
  private generation: number;
  private journalFd: number;
  private journalBytes: number;
  private opsSinceSnapshot = 0;
  private readonly compactEvery: number;
  private readonly compactJournalBytes: number;
  private closed = false;

  private constructor(dir: string, identity: SegmentationIdentity, labelmap: Uint8Array, history: EditHistory, generation: number, recovery: RecoveryReport, options: StoreOptions) {
    this.dir = dir;
    this.identity = identity;
    this.labelmap = labelmap;
    this.history = history;
    this.generation = generation;
    this.recovery = recovery;
    this.compactEvery = options.compactEvery ?? 200;
    this.compactJournalBytes = options.compactJournalBytes ?? 64 * 1024 * 1024;
    const jp = path.join(dir, journalName(generation));
    this.journalFd = fs.openSync(jp, 'a');
    this.journalBytes = fs.fstatSync(this.journalFd).size;
  }

  /** Creates a new segmentation (generation 1) from an initial labelmap. Refuses when one already exists. */
  static create(dir: string, identity: SegmentationIdentity, initial: Uint8Array, options: StoreOptions = {}): SegmentationStore {
    const [nx, ny, nz] = identity.geometry.sizeIJK;
    if (initial.length !== nx * ny * nz) throw new Error(`initial labelmap has ${initial.length} voxels, the grid ${nx}x${ny}x${nz} has ${nx * ny * nz}`);
    fs.mkdirSync(dir, { recursive: true });
    if (fs.readdirSync(dir).some((f) => SNAP_RE.test(f))) throw new Error(`${dir}: a segmentation already exists here; open it instead`);
    const history = new EditHistory(options.historyMaxBytes ?? DEFAULT_HISTORY_MAX_BYTES);
    writeGeneration(dir, 1, identity, initial, history.state());
    const recovery: RecoveryReport = { snapshotGeneration: 1, journalOpsReplayed: 0, problems: [], lost: '', quarantined: [] };
    return new SegmentationStore(dir, identity, initial.slice(), history, 1, recovery, options);
  }

  static exists(dir: string): boolean {
    return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => SNAP_RE.test(f));
  }

  /** Opens a segmentation, recovering from damaged snapshots or journals (see recovery). */
  static open(dir: string, options: StoreOptions = {}): SegmentationStore {
    if (!fs.existsSync(dir)) throw new Error(`${dir}: no segmentation folder`);
    // Leftover temp files of an interrupted atomic write are never valid data.
    for (const f of fs.readdirSync(dir)) if (f.startsWith('.') && f.endsWith('.tmp')) fs.rmSync(path.join(dir, f), { force: true });
    const files = fs.readdirSync(dir);
    const snaps = files.flatMap((f) => (SNAP_RE.test(f) ? [Number(SNAP_RE.exec(f)![1])] : [])).sort((a, b) => b - a);
    const journals = new Set(files.flatMap((f) => (JRNL_RE.test(f) ? [Number(JRNL_RE.exec(f)![1])] : [])));
    const problems: string[] = [];
    const damaged: string[] = [];
    const maxGen = Math.max(0, ...snaps, ...journals);
    let base: ReturnType<typeof decodeSnapshot> | null = null;
    for (const g of snaps) {
      try {
        base = decodeSnapshot(new Uint8Array(fs.readFileSync(path.join(dir, snapshotName(g)))), snapshotName(g));
        if (base.header.generation !== g) throw new Error(`${snapshotName(g)}: header says generation ${base.header.generation}`);
        break;
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        damaged.push(snapshotName(g));
        base = null;
      }
    }
    if (!base) {
      throw new Error(`${dir}: no readable snapshot (${snaps.length === 0 ? 'none found' : problems.join('; ')}); the segmentation cannot be restored`);
    }
    const baseGen = base.header.generation;
    const identity: SegmentationIdentity = { seriesInstanceUid: base.header.seriesInstanceUid, frameOfReferenceUid: base.header.frameOfReferenceUid, geometry: base.header.geometry };
    const historyMaxBytes = options.historyMaxBytes ?? DEFAULT_HISTORY_MAX_BYTES;
    const history = EditHistory.fromState(base.history, historyMaxBytes);
    const labelmap = base.labelmap;
    let replayed = 0;
    let lost = '';
    // Journals baseGen, baseGen+1, ... : each applies on top of the state the previous ones produced.
    for (let g = baseGen; g <= maxGen; g++) {
      const name = journalName(g);
      if (!journals.has(g)) continue;
      let result: ReturnType<typeof readJournal>;
      try {
        result = readJournal(new Uint8Array(fs.readFileSync(path.join(dir, name))), name);
        if (result.generation !== g) throw new Error(`${name}: header says generation ${result.generation}`);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        damaged.push(name);
        lost = `all edits journalled in ${name} and later`;
        break;
      }
      let stop = false;
      for (const [n, op] of result.ops.entries()) {
        try {
          replay(labelmap, history, op);
          replayed++;
        } catch (error) {
          problems.push(`${name}: operation ${n + 1} cannot be replayed (${error instanceof Error ? error.message : String(error)})`);
          lost = `${result.ops.length - n} operation(s) from ${name} onwards`;
          damaged.push(name);
          stop = true;
          break;
        }
      }
      if (stop) break;
      if (result.problem) {
        problems.push(result.problem.message);
        damaged.push(name);
        lost = result.problem.kind === 'torn' ? `the last, incompletely written operation in ${name}` : `operations after byte ${result.problem.atByte} of ${name}`;
        break;
      }
    }
    const recovery: RecoveryReport = { snapshotGeneration: baseGen, journalOpsReplayed: replayed, problems, lost, quarantined: [] };
    // Damaged files (or a replay past a damaged snapshot): write the recovered state as a new generation, so appends
    // never follow garbage, and move the damaged files aside.
    let generation = baseGen;
    const needsFreshGeneration = problems.length > 0 || maxGen > baseGen;
    if (needsFreshGeneration) {
      generation = maxGen + 1;
      writeGeneration(dir, generation, identity, labelmap, history.state());
      const aside = path.join(dir, 'damaged');
      for (const f of new Set(damaged)) {
        fs.mkdirSync(aside, { recursive: true });
        const target = path.join(aside, `${new Date().toISOString().replace(/[:.]/g, '-')}-${f}`);
        fs.renameSync(path.join(dir, f), target);
        recovery.quarantined.push(path.relative(dir, target));
      }
      fsyncDirectory(dir);
      pruneGenerations(dir, generation);
    }
    if (!journals.has(generation) && !needsFreshGeneration) {
      writeFileAtomic(path.join(dir, journalName(generation)), encodeJournalHeader(generation));
    }
    return new SegmentationStore(dir, identity, labelmap, history, generation, recovery, options);
  }

  get currentGeneration(): number {
    return this.generation;
  }

  private append(op: JournalOp): void {
    if (this.closed) throw new Error('segmentation store is closed');
    const rec = encodeJournalRecord(op);
    appendDurable(this.journalFd, rec);
    this.journalBytes += rec.length;
    this.opsSinceSnapshot++;
    if (this.opsSinceSnapshot >= this.compactEvery || this.journalBytes >= this.compactJournalBytes) this.compact();
  }

  /** A committed edit from the engine: applied to the mirror (checked), journalled, durable on return. */
  recordEdit(entry: HistoryEntry): void {
    replay(this.labelmap, this.history, { kind: 'edit', entry });
    this.append({ kind: 'edit', entry });
  }

  recordUndo(): HistoryEntry | null {
    const e = this.history.canUndo ? this.history.state().undo.at(-1)! : null;
    if (!e) return null;
    replay(this.labelmap, this.history, { kind: 'undo', entryId: e.id });
    this.append({ kind: 'undo', entryId: e.id });
    return e;
  }

  recordRedo(): HistoryEntry | null {
    const e = this.history.canRedo ? this.history.state().redo.at(-1)! : null;
    if (!e) return null;
    replay(this.labelmap, this.history, { kind: 'redo', entryId: e.id });
    this.append({ kind: 'redo', entryId: e.id });
    return e;
  }

  /** Snapshot the mirror as generation g+1, start its journal, drop generations older than g. */
  compact(): void {
    const next = this.generation + 1;
    writeGeneration(this.dir, next, this.identity, this.labelmap, this.history.state());
    fs.closeSync(this.journalFd);
    this.generation = next;
    this.journalFd = fs.openSync(path.join(this.dir, journalName(next)), 'a');
    this.journalBytes = fs.fstatSync(this.journalFd).size;
    this.opsSinceSnapshot = 0;
    pruneGenerations(this.dir, next);
  }

  /** NIfTI-1 (.nii or .nii.gz) export of the role labelmap, written atomically; readable by `remnant measure`. */
  exportNifti(filePath: string): void {
    const bytes = encodeNifti1(this.labelmap, this.identity.geometry, { gzip: filePath.endsWith('.gz'), gzipLevel: 6, description: `Remnant role labelmap ${this.identity.seriesInstanceUid}`.slice(0, 79) });
    writeFileAtomic(filePath, bytes);
  }

  historyState(): HistoryState {
    return this.history.state();
  }

  close(): void {
    if (this.closed) return;
    fs.closeSync(this.journalFd);
    this.closed = true;
  }
}

function replay(labelmap: Uint8Array, history: EditHistory, op: JournalOp): void {
  if (op.kind === 'edit') {
    applyRuns(labelmap, op.entry.runs, 'forward');
    history.pushEntry(op.entry);
    return;
  }
  const state = history.state();
  const top = op.kind === 'undo' ? state.undo.at(-1) : state.redo.at(-1);
  if (!top || top.id !== op.entryId) throw new Error(`${op.kind} of entry ${op.entryId}, but the history's next ${op.kind} is ${top ? `entry ${top.id}` : 'empty'}`);
  applyRuns(labelmap, top.runs, op.kind === 'undo' ? 'backward' : 'forward');
  if (op.kind === 'undo') history.takeUndo();
  else history.takeRedo();
}

function writeGeneration(dir: string, generation: number, identity: SegmentationIdentity, labelmap: Uint8Array, history: HistoryState): void {
  // Order matters: the snapshot first, then its empty journal. A crash in between leaves snapshot g without
  // journal g, which opens as snapshot g with no further edits (journal g-1 is already inside it).
  writeFileAtomic(path.join(dir, snapshotName(generation)), encodeSnapshot({ generation, ...identity, labelmap, history }));
  writeFileAtomic(path.join(dir, journalName(generation)), encodeJournalHeader(generation));
}

/** Keep generations >= keep - 1 (the previous one survives a damaged newest snapshot). */
function pruneGenerations(dir: string, keep: number): void {
  for (const f of fs.readdirSync(dir)) {
    const m = SNAP_RE.exec(f) ?? JRNL_RE.exec(f);
    if (m && Number(m[1]) < keep - 1) fs.rmSync(path.join(dir, f), { force: true });
  }
}

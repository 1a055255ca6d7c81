/**
 * The segmentation edit session: one role labelmap + its image, locks, incremental statistics and the undo/redo
 * history. Every tool call: (1) the tool proposes voxels through the constraint rule and writes the labelmap,
 * (2) the diff updates the statistics (applyLabelChanges: O(voxels changed)), (3) the diff is pushed to the history
 * and handed to `onCommit` (the autosave hook: post it to the workspace service). Plain typed arrays only, so it runs
 * in a web worker. Edits are serialized: a call while an asynchronous edit runs is refused.
 */
import type { ImageGeometry } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import { applyLabelChanges, finalizeLabelStats, scanLabelStats } from '../stats/label-stats.ts';
import type { LabelStats, LabelStatsOptions, LabelStatsState } from '../stats/label-stats.ts';
import { lockTable, parseSegmentKey, segmentKey } from './constraints.ts';
import type { SegmentKey } from './constraints.ts';
import { emptyReport } from './constraints.ts';
import type { EditDiff } from './diff.ts';
import { fillHoles, removeIslands, smoothSegment } from './cleanup.ts';
import type { FillHolesOptions, RemoveIslandsOptions, SmoothOptions } from './cleanup.ts';
import { growFromSeeds } from './grow.ts';
import type { GrowFromSeedsOptions, GrowResult } from './grow.ts';
import { DEFAULT_HISTORY_MAX_BYTES, EditHistory } from './history.ts';
import type { HistoryEntry, HistoryState } from './history.ts';
import { fillBetweenSlicesForSegment } from './interpolate.ts';
import type { SegmentFillBetweenSlicesOptions } from './interpolate.ts';
import { applyRuns, decodeRuns } from './runs.ts';
import { brushStroke, checkTarget, cutFlrByPlane, scissors } from './tools.ts';
import type { BrushOptions, EditTarget, FlrCutOptions, ScissorsOptions } from './tools.ts';

export interface SessionOptions {
  labelmap: Uint8Array;
  geometry: ImageGeometry;
  image: ScalarVolume | null;
  locked?: SegmentKey[];
  historyMaxBytes?: number;
  /** Restored history (from the workspace). */
  history?: HistoryState;
  statsOptions?: LabelStatsOptions;
  /** Clock for history timestamps (ms since epoch). */
  now?: () => number;
  /** Called after every committed change (edit, undo, redo) — the autosave hook. */
  onCommit?: (event: CommitEvent) => void;
}

export type CommitEvent = { kind: 'edit'; entry: HistoryEntry; diff: EditDiff } | { kind: 'undo'; entry: HistoryEntry; diff: EditDiff } | { kind: 'redo'; entry: HistoryEntry; diff: EditDiff };

export class SegmentationSession {
  readonly labelmap: Uint8Array;
  readonly geometry: ImageGeometry;
  readonly image: ScalarVolume | null;
  readonly history: EditHistory;
  private readonly locks = new Set<SegmentKey>();
  private lockedLabels: Uint8Array;
  private readonly stats: LabelStatsState;
  private readonly now: () => number;
  private readonly onCommit: ((event: CommitEvent) => void) | undefined;
  private busy = false;

  constructor(options: SessionOptions) {
    this.labelmap = options.labelmap;
    this.geometry = options.geometry;
    this.image = options.image;
    for (const key of options.locked ?? []) this.locks.add(segmentKey(parseSegmentKey(key)));
    this.lockedLabels = lockTable(this.locks);
    checkTarget(this.target());
    this.stats = scanLabelStats(this.labelmap, this.geometry, this.image, options.statsOptions);
    const maxBytes = options.historyMaxBytes ?? DEFAULT_HISTORY_MAX_BYTES;
    this.history = options.history ? EditHistory.fromState(options.history, maxBytes) : new EditHistory(maxBytes);
    this.now = options.now ?? Date.now;
    this.onCommit = options.onCommit;
  }

  private target(): EditTarget {
    return { labelmap: this.labelmap, geometry: this.geometry, image: this.image, lockedLabels: this.lockedLabels };
  }

  setLocked(key: SegmentKey, locked: boolean): void {
    const k = segmentKey(parseSegmentKey(key));
    if (locked) this.locks.add(k);
    else this.locks.delete(k);
    this.lockedLabels = lockTable(this.locks);
  }

  lockedSegments(): SegmentKey[] {
    return [...this.locks].sort();
  }

  private run<T extends { diff: EditDiff } | EditDiff>(body: () => T): T {
    if (this.busy) throw new Error('another edit is still running; wait for it to finish');
    const out = body();
    this.commit('diff' in out ? out.diff : out);
    return out;
  }

  /** Statistics + history for a committed diff (no-op diffs are not recorded). */
  private commit(diff: EditDiff): void {
    if (diff.voxelsChanged === 0) return;
    applyLabelChanges(this.stats, diff, this.image);
    const entry = this.history.push(diff, this.now());
    this.onCommit?.({ kind: 'edit', entry, diff });
  }

  brush(options: BrushOptions): EditDiff {
    return this.run(() => brushStroke(this.target(), options));
  }

  scissors(options: ScissorsOptions): EditDiff {
    return this.run(() => scissors(this.target(), options));
  }

  growFromSeeds(options: GrowFromSeedsOptions): GrowResult {
    return this.run(() => growFromSeeds(this.target(), options));
  }

  removeIslands(options: RemoveIslandsOptions): EditDiff {
    return this.run(() => removeIslands(this.target(), options));
  }

  fillHoles(options: FillHolesOptions): EditDiff {
    return this.run(() => fillHoles(this.target(), options));
  }

  smooth(options: SmoothOptions): EditDiff {
    return this.run(() => smoothSegment(this.target(), options));
  }

  cutFlr(options: FlrCutOptions): EditDiff {
    return this.run(() => cutFlrByPlane(this.target(), options));
  }

  async fillBetweenSlices(options: SegmentFillBetweenSlicesOptions): Promise<{ diff: EditDiff; slicesFilled: number[]; paintedSlices: number[] }> {
    if (this.busy) throw new Error('another edit is still running; wait for it to finish');
    this.busy = true;
    let out: Awaited<ReturnType<typeof fillBetweenSlicesForSegment>>;
    try {
      out = await fillBetweenSlicesForSegment(this.target(), options);
    } finally {
      this.busy = false;
    }
    this.commit(out.diff);
    return out;
  }

  /** Undo the newest edit: restores the exact previous labels. Returns the applied diff, or null when nothing to undo. */
  undo(): EditDiff | null {
    return this.step('undo');
  }

  redo(): EditDiff | null {
    return this.step('redo');
  }

  private step(kind: 'undo' | 'redo'): EditDiff | null {
    if (this.busy) throw new Error('another edit is still running; wait for it to finish');
    const entry = kind === 'undo' ? this.history.takeUndo() : this.history.takeRedo();
    if (!entry) return null;
    try {
      applyRuns(this.labelmap, entry.runs, kind === 'undo' ? 'backward' : 'forward');
    } catch (error) {
      this.history.restoreAfterFailed(kind);
      throw new Error(`${kind} of "${entry.description}" failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const v = decodeRuns(entry.runs);
    const diff: EditDiff = {
      tool: kind,
      segment: entry.segment,
      op: 'mixed',
      voxelsChanged: entry.voxelsChanged,
      indices: v.indices,
      oldLabels: kind === 'undo' ? v.newLabels : v.oldLabels,
      newLabels: kind === 'undo' ? v.oldLabels : v.newLabels,
      report: emptyReport(),
    };
    applyLabelChanges(this.stats, diff, this.image);
    this.onCommit?.({ kind, entry, diff });
    return diff;
  }

  /** Volumetry panel: per-label statistics, kept up to date incrementally. */
  panel(): LabelStats {
    return finalizeLabelStats(this.stats, this.labelmap, this.image);
  }
}

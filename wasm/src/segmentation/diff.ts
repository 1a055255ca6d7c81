/**
 * Edit diffs. A tool proposes candidate voxels to an EditBuilder, which applies THE constraint rule
 * (constraints.ts), writes the labelmap in place and records what changed. The result, an EditDiff, is the only
 * record of an edit: voxel indices (ascending, unique), old and new labels. The same diff feeds the incremental
 * statistics (applyLabelChanges), the undo history (as run-length ranges, runs.ts) and the workspace journal.
 */
import { buildWriteTable, countOutcome, emptyReport, segmentKey } from './constraints.ts';
import type { ConstraintReport, EditOp, SegmentKey, SegmentRef, WriteTable } from './constraints.ts';

export type ToolName =
  | 'brush'
  | 'eraser'
  | 'threshold-brush'
  | 'scissors'
  | 'grow-from-seeds'
  | 'fill-between-slices'
  | 'remove-islands'
  | 'fill-holes'
  | 'smooth'
  | 'flr-cut-plane'
  | 'undo'
  | 'redo'
  | 'import';

export interface EditDiff {
  tool: ToolName;
  segment: SegmentKey;
  /** 'mixed' when the tool both painted and erased (grow-from-seeds, smoothing, FLR cut). */
  op: EditOp | 'mixed';
  voxelsChanged: number;
  /** Flat voxel indices i + nx (j + ny k), strictly ascending. */
  indices: Uint32Array;
  oldLabels: Uint8Array;
  newLabels: Uint8Array;
  report: ConstraintReport;
}

/** Collects the changes of one edit while writing them into the labelmap. */
export class EditBuilder {
  readonly labelmap: Uint8Array;
  readonly report: ConstraintReport = emptyReport();
  private readonly locked: Uint8Array;
  private idx: Uint32Array = new Uint32Array(1024);
  private oldL: Uint8Array = new Uint8Array(1024);
  private newL: Uint8Array = new Uint8Array(1024);
  private n = 0;
  private sorted = true;
  private ops = new Set<EditOp>();
  private segments = new Set<SegmentKey>();

  constructor(labelmap: Uint8Array, lockedLabels: Uint8Array) {
    this.labelmap = labelmap;
    this.locked = lockedLabels;
  }

  /** The rule tabulated for (segment, op), honouring the locks. */
  table(segment: SegmentRef, op: EditOp): WriteTable {
    this.ops.add(op);
    this.segments.add(segmentKey(segment));
    return buildWriteTable(segment, op, this.locked);
  }

  /** Propose one voxel: the constraint decides; a change is written and recorded. Idempotent per voxel. */
  propose(table: WriteTable, index: number): void {
    const lab = this.labelmap;
    const from = lab[index] as number;
    countOutcome(this.report, table, from);
    const to = table.next[from] as number;
    if (to === from) return;
    lab[index] = to;
    this.record(index, from, to);
  }

  private record(index: number, from: number, to: number): void {
    if (this.n === this.idx.length) this.grow();
    if (this.n > 0 && index <= (this.idx[this.n - 1] as number)) this.sorted = false;
    this.idx[this.n] = index;
    this.oldL[this.n] = from;
    this.newL[this.n] = to;
    this.n++;
  }

  private grow(): void {
    const cap = this.idx.length * 2;
    const idx = new Uint32Array(cap);
    idx.set(this.idx);
    const o = new Uint8Array(cap);
    o.set(this.oldL);
    const w = new Uint8Array(cap);
    w.set(this.newL);
    this.idx = idx;
    this.oldL = o;
    this.newL = w;
  }

  get changedCount(): number {
    return this.n;
  }

  /** Undo everything written so far (used when a tool fails half-way). */
  rollback(): void {
    for (let c = this.n - 1; c >= 0; c--) this.labelmap[this.idx[c] as number] = this.oldL[c] as number;
    this.n = 0;
  }

  finish(tool: ToolName, segmentOverride?: SegmentKey): EditDiff {
    const n = this.n;
    let indices: Uint32Array = this.idx.slice(0, n);
    let oldLabels: Uint8Array = this.oldL.slice(0, n);
    let newLabels: Uint8Array = this.newL.slice(0, n);
    if (!this.sorted) ({ indices, oldLabels, newLabels } = sortChanges(indices, oldLabels, newLabels));
    const op: EditOp | 'mixed' = this.ops.size === 1 ? ([...this.ops][0] as EditOp) : 'mixed';
    const segment = segmentOverride ?? ([...this.segments].join('+') || 'none');
    return { tool, segment, op, voxelsChanged: n, indices, oldLabels, newLabels, report: this.report };
  }
}

/** Sort parallel change arrays by voxel index (indices unique): packs index, old and new label into one float64. */
export function sortChanges(indices: Uint32Array, oldLabels: Uint8Array, newLabels: Uint8Array): { indices: Uint32Array; oldLabels: Uint8Array; newLabels: Uint8Array } {
  const n = indices.length;
  const keys = new Float64Array(n);
  for (let c = 0; c < n; c++) keys[c] = (indices[c] as number) * 65536 + (oldLabels[c] as number) * 256 + (newLabels[c] as number);
  keys.sort();
  const idx = new Uint32Array(n);
  const o = new Uint8Array(n);
  const w = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const key = keys[c] as number;
    const index = Math.floor(key / 65536);
    const rest = key - index * 65536;
    idx[c] = index;
    o[c] = rest >>> 8;
    w[c] = rest & 255;
  }
  return { indices: idx, oldLabels: o, newLabels: w };
}

/** Run a tool body against a builder; on any error the labelmap is restored and the error rethrown. */
export function withBuilder(labelmap: Uint8Array, lockedLabels: Uint8Array, tool: ToolName, body: (b: EditBuilder) => void, segmentOverride?: SegmentKey): EditDiff {
  const builder = new EditBuilder(labelmap, lockedLabels);
  try {
    body(builder);
  } catch (error) {
    builder.rollback();
    throw error;
  }
  return builder.finish(tool, segmentOverride);
}

/**
 * Apply a diff forward (old -> new) or backward (new -> old) to a labelmap. Every voxel is checked first: if it does
 * not hold the label the diff expects, nothing is written and an error names the first mismatch (the labelmap and the
 * history disagree; applying would corrupt the segmentation).
 */
export function applyDiffToLabelmap(labelmap: Uint8Array, diff: Pick<EditDiff, 'indices' | 'oldLabels' | 'newLabels'>, direction: 'forward' | 'backward'): void {
  const { indices } = diff;
  const expect = direction === 'forward' ? diff.oldLabels : diff.newLabels;
  const write = direction === 'forward' ? diff.newLabels : diff.oldLabels;
  const n = indices.length;
  if (expect.length !== n || write.length !== n) throw new Error(`diff arrays differ in length: ${n} indices, ${diff.oldLabels.length} old, ${diff.newLabels.length} new labels`);
  for (let c = 0; c < n; c++) {
    const idx = indices[c] as number;
    if (idx >= labelmap.length) throw new Error(`diff voxel index ${idx} is outside the labelmap (${labelmap.length} voxels)`);
    if (labelmap[idx] !== expect[c]) {
      throw new Error(`diff does not match the labelmap: voxel ${idx} holds label ${labelmap[idx]}, the diff expects ${expect[c]} (${direction})`);
    }
  }
  for (let c = 0; c < n; c++) labelmap[indices[c] as number] = write[c] as number;
}

/**
 * Run-length form of an edit: maximal runs of consecutive voxel indices with the same (old, new) label pair. A brush
 * dab on one slice is a few dozen runs (one per row crossed), a region grown over a whole liver a few per row, so the
 * history and the journal store regions, never volume copies. 10 bytes per run.
 */
import type { EditDiff } from './diff.ts';

export interface LabelRuns {
  start: Uint32Array;
  length: Uint32Array;
  oldLabel: Uint8Array;
  newLabel: Uint8Array;
}

export const BYTES_PER_RUN = 10;

/** Runs of a diff whose indices are strictly ascending. */
export function encodeRuns(diff: Pick<EditDiff, 'indices' | 'oldLabels' | 'newLabels'>): LabelRuns {
  const { indices, oldLabels, newLabels } = diff;
  const n = indices.length;
  let runs = 0;
  for (let c = 0; c < n; c++) {
    if (c > 0 && (indices[c] as number) <= (indices[c - 1] as number)) throw new Error(`diff indices must be strictly ascending (position ${c}: ${indices[c]} after ${indices[c - 1]})`);
    if (c === 0 || indices[c] !== (indices[c - 1] as number) + 1 || oldLabels[c] !== oldLabels[c - 1] || newLabels[c] !== newLabels[c - 1]) runs++;
  }
  const out: LabelRuns = { start: new Uint32Array(runs), length: new Uint32Array(runs), oldLabel: new Uint8Array(runs), newLabel: new Uint8Array(runs) };
  let r = -1;
  for (let c = 0; c < n; c++) {
    if (c === 0 || indices[c] !== (indices[c - 1] as number) + 1 || oldLabels[c] !== oldLabels[c - 1] || newLabels[c] !== newLabels[c - 1]) {
      r++;
      out.start[r] = indices[c] as number;
      out.oldLabel[r] = oldLabels[c] as number;
      out.newLabel[r] = newLabels[c] as number;
    }
    out.length[r]++;
  }
  return out;
}

export function runVoxelCount(runs: LabelRuns): number {
  let n = 0;
  for (let r = 0; r < runs.length.length; r++) n += runs.length[r] as number;
  return n;
}

/** Expand runs back to per-voxel arrays (for applyLabelChanges). */
export function decodeRuns(runs: LabelRuns): { indices: Uint32Array; oldLabels: Uint8Array; newLabels: Uint8Array } {
  const n = runVoxelCount(runs);
  const indices = new Uint32Array(n);
  const oldLabels = new Uint8Array(n);
  const newLabels = new Uint8Array(n);
  let c = 0;
  for (let r = 0; r < runs.start.length; r++) {
    const s = runs.start[r] as number;
    const len = runs.length[r] as number;
    oldLabels.fill(runs.oldLabel[r] as number, c, c + len);
    newLabels.fill(runs.newLabel[r] as number, c, c + len);
    for (let q = 0; q < len; q++) indices[c++] = s + q;
  }
  return { indices, oldLabels, newLabels };
}

export function runsByteLength(runs: LabelRuns): number {
  return runs.start.length * BYTES_PER_RUN;
}

/**
 * Apply runs forward or backward, checking every voxel first (see applyDiffToLabelmap): a mismatch writes nothing and
 * throws naming the voxel.
 */
export function applyRuns(labelmap: Uint8Array, runs: LabelRuns, direction: 'forward' | 'backward'): void {
  const expect = direction === 'forward' ? runs.oldLabel : runs.newLabel;
  const write = direction === 'forward' ? runs.newLabel : runs.oldLabel;
  const nr = runs.start.length;
  for (let r = 0; r < nr; r++) {
    const s = runs.start[r] as number;
    const e = s + (runs.length[r] as number);
    if (e > labelmap.length) throw new Error(`edit run ${s}..${e - 1} is outside the labelmap (${labelmap.length} voxels)`);
    const want = expect[r] as number;
    for (let i = s; i < e; i++) {
      if (labelmap[i] !== want) throw new Error(`edit does not match the labelmap: voxel ${i} holds label ${labelmap[i]}, expected ${want} (${direction})`);
    }
  }
  for (let r = 0; r < nr; r++) {
    const s = runs.start[r] as number;
    labelmap.fill(write[r] as number, s, s + (runs.length[r] as number));
  }
}

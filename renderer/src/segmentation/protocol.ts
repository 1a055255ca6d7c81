/**
 * Messages between the main thread and the segmentation worker (segmentation.worker.ts), which owns the engine
 * session (wasm/src/segmentation/session.ts): the role labelmap, a copy of the image (HU), locks, incremental
 * statistics and the undo history. Every answer to an edit carries the changed voxels (for Cornerstone's labelmap),
 * the operation to autosave, the panel statistics and the described history.
 */
import type { ImageGeometry, Vec3 } from '../../../wasm/src/geometry/types.ts';
import type { BrushOptions, FlrCutOptions, ScissorsOptions } from '../../../wasm/src/segmentation/tools.ts';
import type { FillHolesOptions, RemoveIslandsOptions, SmoothOptions } from '../../../wasm/src/segmentation/cleanup.ts';
import type { SegmentFillBetweenSlicesOptions } from '../../../wasm/src/segmentation/interpolate.ts';
import type { SegmentRef } from '../../../wasm/src/segmentation/constraints.ts';
import type { ConstraintReport } from '../../../wasm/src/segmentation/constraints.ts';
import type { HistoryEntry, HistoryState } from '../../../wasm/src/segmentation/history.ts';
import type { LabelStats } from '../../../wasm/src/stats/label-stats.ts';
import type { RoleMapping } from '../../../wasm/src/segments/compose.ts';

export interface GrowRequest {
  segment: SegmentRef;
  /** Strokes (LPS mm) inside the structure and around it; seeds are the voxels under a circle of radiusMm on the stroke's view. */
  strokes: Array<{ pointsLPS: Vec3[]; viewNormalLPS: Vec3; inside: boolean }>;
  radiusMm: number;
  roiMarginMm?: number;
}

export type EditRequest =
  | { kind: 'brush'; options: BrushOptions }
  | { kind: 'scissors'; options: ScissorsOptions }
  | { kind: 'grow'; request: GrowRequest }
  | { kind: 'fill-between'; options: SegmentFillBetweenSlicesOptions }
  | { kind: 'remove-islands'; options: RemoveIslandsOptions }
  | { kind: 'fill-holes'; options: FillHolesOptions }
  | { kind: 'smooth'; options: SmoothOptions }
  | { kind: 'cut-flr'; options: FlrCutOptions }
  | { kind: 'undo' }
  | { kind: 'redo' };

export type HistoryItem = Omit<HistoryEntry, 'runs'>;

/** One operation to autosave (the worker's onCommit events). */
export type PersistOp = { op: 'edit'; entryId: number; entryBytes: Uint8Array } | { op: 'undo' | 'redo'; entryId: number };

export interface EditResult {
  tool: string;
  segment: string;
  voxelsChanged: number;
  /** Voxels changed and their new labels (indices ascending); the main thread writes them into Cornerstone's labelmap. */
  indices: Uint32Array;
  newLabels: Uint8Array;
  /** Slices (k) touched. */
  slicesK: number[];
  report: ConstraintReport | null;
  persist: PersistOp[];
  panel: LabelStats;
  history: { undo: HistoryItem[]; redo: HistoryItem[] };
  /** Time spent in the engine (ms), for the benchmark. */
  engineMs: number;
  /** Tool-specific numbers (grow: grownVoxels, holeVoxelsFilled; fill between: slicesFilled). */
  extra: Record<string, number | number[]>;
}

export interface ImportedSegmentInfo {
  segmentNumber: number;
  label: string;
  voxelCount: number;
}

export type ToWorker =
  | {
      id: number;
      type: 'init';
      geometry: ImageGeometry;
      /** HU per voxel (i fastest), on the labelmap grid. */
      pixels: Int16Array;
      labelmap: Uint8Array;
      history: HistoryState | null;
      locked: string[];
      itkBaseUrl: string;
      seriesInstanceUid: string;
      frameOfReferenceUid: string;
      /** SOP Instance UID (or UID#frame) per slice k, so DICOM SEG frames match by reference; [] = match by position only. */
      sliceKeys: string[];
    }
  | { id: number; type: 'edit'; request: EditRequest }
  | { id: number; type: 'set-locked'; key: string; locked: boolean }
  | { id: number; type: 'import-inspect'; bytes: Uint8Array; fileName: string }
  | { id: number; type: 'import-apply'; mapping: RoleMapping }
  | { id: number; type: 'labelmap' };

export type FromWorker = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

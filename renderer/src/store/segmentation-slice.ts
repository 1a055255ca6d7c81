import type { StateCreator } from 'zustand';
import type { CaseRecord } from '../../../electron/src/ipc/contract.ts';
import type { LiveVolumetry } from '../segmentation/live-volumetry.ts';
import type { HistoryItem, ImportedSegmentInfo } from '../segmentation/protocol.ts';
import { defaultSegments } from '../segmentation/segments.ts';
import type { SegmentItem } from '../segmentation/segments.ts';
import type { AppState } from './store.ts';

export type SegToolKind = 'none' | 'brush' | 'eraser' | 'threshold' | 'scissors' | 'grow' | 'cut-plane' | 'keep-island';

export interface ToolSettings {
  kind: SegToolKind;
  brushShape: 'circle' | 'sphere';
  radiusMm: number;
  presetId: string;
  huMin: number;
  huMax: number;
  scissorsShape: 'rectangle' | 'circle' | 'sphere';
  scissorsMode: 'fill' | 'erase';
  growSeed: 'inside' | 'outside';
  cutMode: 'three-points' | 'line';
  smoothRadiusMm: number;
}

export interface LastEdit {
  tool: string;
  segment: string;
  voxelsChanged: number;
  /** Why voxels were not written (FLR clipped to the liver, locked segment...), for the visible notice. */
  notice: string;
  engineMs: number;
  /** From the request to the panel and views updated (ms). */
  totalMs: number;
}

export interface SegmentationSlice {
  workspaceRoot: string | null;
  cases: CaseRecord[];
  workspaceProblems: string[];
  currentCase: CaseRecord | null;
  timepointId: string | null;
  segStatus: 'none' | 'opening' | 'ready' | 'failed';
  segError?: string;
  /** What reopening found (damaged files, lost operations): shown until dismissed. */
  recoveryNotice?: string;
  segments: SegmentItem[];
  activeSegment: string;
  tool: ToolSettings;
  growSeeds: { inside: number; outside: number };
  cutPoints: number;
  volumetry: LiveVolumetry | null;
  history: { undo: HistoryItem[]; redo: HistoryItem[] };
  lastEdit?: LastEdit;
  busy: boolean;
  editError?: string;
  saveStatus: 'idle' | 'saving' | 'saved' | 'error';
  saveError?: string;
  pendingSaves: number;
  importCandidate: { fileName: string; format: string; segments: ImportedSegmentInfo[] } | null;
  exportedPath?: string;
  editCount: number;
  setSeg(patch: Partial<Omit<SegmentationSlice, 'setSeg' | 'setTool'>>): void;
  setTool(patch: Partial<ToolSettings>): void;
}

export const DEFAULT_TOOL: ToolSettings = {
  kind: 'none',
  brushShape: 'circle',
  radiusMm: 5,
  presetId: 'liver-portal-venous',
  huMin: 80,
  huMax: 200,
  scissorsShape: 'rectangle',
  scissorsMode: 'fill',
  growSeed: 'inside',
  cutMode: 'three-points',
  smoothRadiusMm: 2,
};

export const createSegmentationSlice: StateCreator<AppState, [], [], SegmentationSlice> = (set) => ({
  workspaceRoot: null,
  cases: [],
  workspaceProblems: [],
  currentCase: null,
  timepointId: null,
  segStatus: 'none',
  segments: defaultSegments(),
  activeSegment: 'liver',
  tool: DEFAULT_TOOL,
  growSeeds: { inside: 0, outside: 0 },
  cutPoints: 0,
  volumetry: null,
  history: { undo: [], redo: [] },
  busy: false,
  saveStatus: 'idle',
  pendingSaves: 0,
  importCandidate: null,
  editCount: 0,
  setSeg: (patch) => set(patch),
  setTool: (patch) => set((s) => ({ tool: { ...s.tool, ...patch } })),
});

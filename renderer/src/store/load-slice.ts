import type { StateCreator } from 'zustand';
import type { FileError } from '../series/worker-protocol.ts';
import type { LoadProgress } from '../series/progress.ts';
import type { AppState } from './store.ts';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed' | 'cancelled';

export interface LoadTimings {
  /** ms from the click to the first rendered axial image. */
  firstImageMs?: number;
  /** ms from the click to the full volume shown in every viewport. */
  fullVolumeMs?: number;
  /** ms spent in the worker (fetch + decode + assemble + modality LUT). */
  workerMs?: number;
  /** ms from the worker's result to the rendered viewports (Cornerstone volume, textures, first render). */
  displayMs?: number;
}

export interface LoadedVolumeInfo {
  sizeIJK: [number, number, number];
  spacingMm: [number, number, number];
  modality: string;
  scalarType: 'int16' | 'float32';
  /** 'fallback' when the itk-wasm reference reader decoded the pixels (JPEG family). */
  decoder: 'native' | 'fallback';
  /** Why the volume is not complete and exact (missing slices, header check failed); empty when it is. */
  problems: string[];
  /** Non-fatal findings of the final header check (oblique, tilt on a sheared grid, ...). */
  notes: string[];
}

export interface LoadSlice {
  activeSeriesId?: string;
  loadStatus: LoadStatus;
  loadError?: string;
  progress?: LoadProgress;
  fileErrors: FileError[];
  timings: LoadTimings;
  volumeInfo?: LoadedVolumeInfo;
  /** A note about how this load runs (e.g. no progressive display for JPEG-family series). */
  loadNote?: string;
  loadStarted(seriesId: string, totalFiles: number): void;
  loadProgressed(progress: LoadProgress): void;
  fileFailed(error: FileError): void;
  firstImageShown(ms: number): void;
  setLoadNote(note: string): void;
  loadFinished(info: LoadedVolumeInfo, timings: LoadTimings): void;
  loadFailed(message: string): void;
  loadCancelled(): void;
}

export const createLoadSlice: StateCreator<AppState, [], [], LoadSlice> = (set) => ({
  loadStatus: 'idle',
  fileErrors: [],
  timings: {},
  loadStarted: (activeSeriesId, totalFiles) =>
    set({
      activeSeriesId,
      loadStatus: 'loading',
      loadError: undefined,
      fileErrors: [],
      timings: {},
      volumeInfo: undefined,
      loadNote: undefined,
      progress: { totalFiles, filesRead: 0, filesDecoded: 0, filesFailed: 0, elapsedMs: 0 },
    }),
  loadProgressed: (progress) => set({ progress }),
  fileFailed: (error) => set((s) => ({ fileErrors: [...s.fileErrors, error] })),
  firstImageShown: (ms) => set((s) => ({ timings: { ...s.timings, firstImageMs: ms } })),
  setLoadNote: (loadNote) => set({ loadNote }),
  loadFinished: (volumeInfo, timings) => set({ loadStatus: 'ready', volumeInfo, timings }),
  loadFailed: (loadError) => set({ loadStatus: 'failed', loadError }),
  loadCancelled: () => set({ loadStatus: 'cancelled' }),
});

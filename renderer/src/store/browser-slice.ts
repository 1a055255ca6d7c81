import type { StateCreator } from 'zustand';
import type { FolderIndex } from '../api/types.ts';
import type { AppState } from './store.ts';

export interface BrowserSlice {
  folderPath: string;
  indexStatus: 'idle' | 'indexing' | 'ready' | 'failed';
  indexError?: string;
  folderIndex?: FolderIndex;
  setFolderPath(path: string): void;
  indexStarted(path: string): void;
  indexFinished(index: FolderIndex): void;
  indexFailed(message: string): void;
}

export const createBrowserSlice: StateCreator<AppState, [], [], BrowserSlice> = (set) => ({
  folderPath: '',
  indexStatus: 'idle',
  setFolderPath: (folderPath) => set({ folderPath }),
  indexStarted: (folderPath) => set({ folderPath, indexStatus: 'indexing', indexError: undefined }),
  indexFinished: (folderIndex) => set({ folderIndex, indexStatus: 'ready' }),
  indexFailed: (indexError) => set({ indexStatus: 'failed', indexError }),
});

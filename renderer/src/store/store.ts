/**
 * The app store (zustand, slices pattern). It holds ids, settings and numbers — never voxel arrays (those live in
 * the series worker and then in Cornerstone's cache).
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createBrowserSlice } from './browser-slice.ts';
import type { BrowserSlice } from './browser-slice.ts';
import { createLoadSlice } from './load-slice.ts';
import type { LoadSlice } from './load-slice.ts';
import { createReportSlice } from './report-slice.ts';
import type { ReportSlice } from './report-slice.ts';
import { createSegmentationSlice } from './segmentation-slice.ts';
import type { SegmentationSlice } from './segmentation-slice.ts';
import { createViewerSlice } from './viewer-slice.ts';
import type { ViewerSlice } from './viewer-slice.ts';

export type AppState = BrowserSlice & LoadSlice & ViewerSlice & SegmentationSlice & ReportSlice;

export function createAppStore() {
  return createStore<AppState>()((...a) => ({ ...createBrowserSlice(...a), ...createLoadSlice(...a), ...createViewerSlice(...a), ...createSegmentationSlice(...a), ...createReportSlice(...a) }));
}

export const appStore = createAppStore();

export function useAppState<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

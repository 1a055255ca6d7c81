/**
 * Orchestration between the API, the series worker, the Cornerstone viewer and the store. Voxel arrays pass from the
 * worker straight to the viewer here; the store only receives numbers.
 */
import type { SeriesSummary, ViewerApi } from '../api/types.ts';
import { LoadCancelledError, loadSeriesInWorker } from '../series/series-loader.ts';
import type { SeriesLoadHandle } from '../series/series-loader.ts';
import { appStore } from '../store/store.ts';
import type { MprViewportKey } from '../store/viewer-slice.ts';
import type { MprViewer } from '../viewer/cornerstone/mpr-viewer.ts';
import { defaultPresetFor, percentileWindow, windowLevelToRange, windowPresets } from '../viewer/presets.ts';
import type { PresetId } from '../viewer/presets.ts';

let api: ViewerApi | undefined;
let viewer: MprViewer | undefined;
let viewerReady: Promise<MprViewer> | undefined;
let resolveViewer: ((v: MprViewer) => void) | undefined;
let currentLoad: SeriesLoadHandle | undefined;
let activeViewport: MprViewportKey = 'axial';

export function setApi(value: ViewerApi): void {
  api = value;
}

export function attachViewer(value: MprViewer | undefined): void {
  viewer = value;
  if (value) resolveViewer?.(value);
  else viewerReady = undefined;
}

function waitForViewer(): Promise<MprViewer> {
  if (viewer) return Promise.resolve(viewer);
  viewerReady ??= new Promise((resolve) => (resolveViewer = resolve));
  return viewerReady;
}

export function setActiveViewport(viewport: MprViewportKey): void {
  activeViewport = viewport;
}

export async function openFolder(folderPath: string): Promise<void> {
  if (!api) throw new Error('no API');
  const store = appStore.getState();
  store.indexStarted(folderPath);
  try {
    const index = await api.indexFolder(folderPath);
    appStore.getState().indexFinished(index);
  } catch (e) {
    appStore.getState().indexFailed((e as Error).message);
  }
}

export async function pickFolder(): Promise<void> {
  const folder = await api?.openFolderDialog();
  if (folder) await openFolder(folder);
}

export function cancelLoad(): void {
  currentLoad?.cancel();
}

export async function openSeries(series: SeriesSummary): Promise<void> {
  if (!api) throw new Error('no API');
  currentLoad?.cancel();
  const started = performance.now();
  const store = appStore.getState();
  store.loadStarted(series.id, series.files.length);
  const handle = loadSeriesInWorker(
    series.files.map((path) => ({ path, ...api!.fileRequest(path) })),
    {
      onProgress: (p) => appStore.getState().loadProgressed(p),
      onFileError: (e) => appStore.getState().fileFailed(e),
    },
  );
  currentLoad = handle;
  try {
    const loaded = await handle.result;
    if (currentLoad !== handle) return;
    const workerDone = performance.now();
    const mpr = await waitForViewer();
    const autoWindow = percentileWindow(loaded.scalars, 1, 99, Math.max(1, Math.floor(loaded.scalars.length / 2_000_000)));
    appStore.getState().setAutoWindow(autoWindow);
    await mpr.showVolume({ volumeKey: series.id, geometry: loaded.geometry, modality: loaded.modality, scalars: loaded.scalars });
    const presetId = defaultPresetFor(loaded.modality);
    applyPreset(presetId);
    await mpr.rendered();
    const shownMs = performance.now() - started;
    const g = loaded.geometry;
    appStore.getState().loadFinished(
      {
        sizeIJK: [g.sizeIJK[0], g.sizeIJK[1], g.sizeIJK[2]],
        spacingMm: [g.spacingMm[0], g.spacingMm[1], g.spacingMm[2]],
        modality: loaded.modality,
        scalarType: loaded.scalars instanceof Int16Array ? 'int16' : 'float32',
      },
      { firstImageMs: shownMs, fullVolumeMs: shownMs, workerMs: workerDone - started, displayMs: performance.now() - workerDone },
    );
  } catch (e) {
    if (e instanceof LoadCancelledError) appStore.getState().loadCancelled();
    else appStore.getState().loadFailed((e as Error).message);
  } finally {
    if (currentLoad === handle) currentLoad = undefined;
  }
}

export function applyPreset(presetId: PresetId): void {
  const state = appStore.getState();
  const preset = windowPresets.find((p) => p.id === presetId);
  const wl = preset?.windowLevel ?? state.autoWindow;
  if (!wl || !viewer) return;
  const { lower, upper } = windowLevelToRange(wl);
  viewer.setVoiRange(lower, upper);
  state.setPreset(presetId);
}

export function setPrimaryTool(tool: 'crosshairs' | 'windowLevel' | 'pan' | 'zoom'): void {
  viewer?.setPrimaryTool(tool);
  appStore.getState().setPrimaryTool(tool);
}

export function scrollActive(delta: number): void {
  viewer?.scroll(activeViewport, delta);
}

export function resetViews(): void {
  viewer?.resetCameras();
}

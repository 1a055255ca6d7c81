/**
 * Orchestration between the host API, the series worker, the Cornerstone viewer and the store. Voxel slices pass
 * from the worker straight into the viewer's one volume here; the store only receives numbers.
 */
import { folderIndexFromReport } from '../api/index-model.ts';
import type { Host, SeriesSummary } from '../api/types.ts';
import { LoadCancelledError, loadSeries } from '../series/series-loader.ts';
import type { SeriesLoadHandle, SeriesSlices } from '../series/series-loader.ts';
import { appStore } from '../store/store.ts';
import type { MprViewportKey } from '../store/viewer-slice.ts';
import type { MprViewer, ProgressiveVolume } from '../viewer/cornerstone/mpr-viewer.ts';
import { defaultPresetFor, percentileWindow, windowLevelToRange, windowPresets } from '../viewer/presets.ts';
import type { PresetId } from '../viewer/presets.ts';

let host: Host | undefined;
let viewer: MprViewer | undefined;
let viewerReady: Promise<MprViewer> | undefined;
let resolveViewer: ((v: MprViewer) => void) | undefined;
let currentLoad: SeriesLoadHandle | undefined;
let activeViewport: MprViewportKey = 'axial';

/** Local itk-wasm assets (JPEG-family fallback), served beside the page: see vite.renderer.config.ts. */
function itkBaseUrl(): string {
  return new URL('itk', document.baseURI).href.replace(/\/$/, '');
}

/** The host API and the viewer, for the segmentation controller (renderer/src/segmentation/controller.ts). */
export function currentHost(): Host | undefined {
  return host;
}

export function currentViewer(): MprViewer | undefined {
  return viewer;
}

export function setHost(value: Host): void {
  host = value;
  // File > Open folder… (Electron menu) runs the same open flow as the folder field.
  value.api.onFolderOpened(({ path }) => void openFolder(path));
}

/**
 * Read-only geometry probe on the window for end-to-end tests and benchmarks: where an LPS point lies on a view's
 * canvas (to drive real mouse events), and moving a view to the slice through a point. No data access.
 */
export interface ViewerProbe {
  worldToCanvas(viewportId: 'axial' | 'coronal' | 'sagittal', pointLPS: [number, number, number]): [number, number];
  jumpTo(viewportId: 'axial' | 'coronal' | 'sagittal', pointLPS: [number, number, number]): void;
  /** The LPS point under a canvas position (CSS pixels): what the edit tool receives for a mouse event there. */
  canvasToWorld(viewportId: 'axial' | 'coronal' | 'sagittal', canvas: [number, number]): [number, number, number];
}

export function attachViewer(value: MprViewer | undefined): void {
  viewer = value;
  const probe: ViewerProbe | undefined = value && { worldToCanvas: (id, p) => value.worldToCanvas(id, p), jumpTo: (id, p) => value.jumpTo(id, p), canvasToWorld: (id, c) => value.canvasToWorld(id, c) };
  (globalThis as { remnantViewerProbe?: ViewerProbe }).remnantViewerProbe = probe;
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
  if (!host) throw new Error('no API');
  appStore.getState().indexStarted(folderPath);
  try {
    const report = await host.api.indexDicom({ rootPath: folderPath });
    appStore.getState().indexFinished(folderIndexFromReport(report));
  } catch (e) {
    appStore.getState().indexFailed((e as Error).message);
  }
}

export async function pickFolder(): Promise<void> {
  const picked = await host?.api.openFolder();
  if (picked?.path) await openFolder(picked.path);
}

export function cancelLoad(): void {
  currentLoad?.cancel();
}

export async function openSeries(series: SeriesSummary): Promise<void> {
  if (!host) throw new Error('no API');
  const api = host.api;
  currentLoad?.cancel();
  const started = performance.now();
  const store = appStore.getState();
  store.loadStarted(series.id, series.files.length);
  const geometry = series.geometry;
  if (!geometry) {
    appStore.getState().loadFailed('this series has no slice geometry (ImagePositionPatient / ImageOrientationPatient missing): it cannot be shown as a volume');
    return;
  }
  const mprPromise = waitForViewer();
  let volume: ProgressiveVolume | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let firstShown = false;
  let chainError: Error | undefined;
  let handle: SeriesLoadHandle | undefined = undefined;

  const place = async (slices: SeriesSlices): Promise<void> => {
    if (currentLoad !== handle) return;
    const mpr = await mprPromise;
    if (!volume) {
      volume = await mpr.beginVolume({ volumeKey: series.id, geometry, modality: series.modality, scalarType: slices.scalarType });
      // Until the whole volume is in, the automatic window comes from the first (middle) slice.
      appStore.getState().setAutoWindow(percentileWindow(slices.values, 1, 99));
      applyPreset(defaultPresetFor(series.modality));
    } else if (slices.scalarType !== volume.scalarType) {
      volume = await mpr.retypeToFloat32();
    }
    volume.writeSlices(slices.k, slices.values);
    if (!firstShown) {
      const shownK = volume.axialSliceK();
      if (shownK >= slices.k && shownK < slices.k + slices.count) {
        firstShown = true;
        await mpr.rendered();
        appStore.getState().firstImageShown(performance.now() - started);
      }
    }
  };

  handle = loadSeries(
    { files: series.files, geometry, readFiles: async (paths) => api.readDicomFiles({ paths }), itkBaseUrl: itkBaseUrl() },
    {
      onProgress: (p) => appStore.getState().loadProgressed(p),
      onFileError: (e) => appStore.getState().fileFailed(e),
      onCollecting: (syntax) => appStore.getState().setLoadNote(`${syntax}: decoded with itk-wasm once all files are read (no progressive display)`),
      onSlices: (slices) => {
        chain = chain.then(() => place(slices)).catch((error: unknown) => (chainError ??= error as Error));
      },
    },
  );
  currentLoad = handle;
  try {
    const outcome = await handle.result;
    await chain;
    if (currentLoad !== handle) return;
    if (chainError) throw chainError;
    const workerDone = performance.now();
    const mpr = await mprPromise;
    if (!volume) throw new Error(outcome.check.ok ? 'no slice could be decoded' : outcome.check.message);
    const missing = geometry.sizeIJK[2] - outcome.slicesFilled;
    const problems = [
      ...(outcome.check.ok ? [] : [`not exact: ${outcome.check.message}`]),
      ...(missing > 0 ? [`incomplete: ${missing} of ${geometry.sizeIJK[2]} slices missing (shown black)`] : []),
    ];
    await mpr.rendered();
    void mpr.show3d();
    const fullMs = performance.now() - started;
    appStore.getState().loadFinished(
      {
        sizeIJK: [geometry.sizeIJK[0], geometry.sizeIJK[1], geometry.sizeIJK[2]],
        spacingMm: [geometry.spacingMm[0], geometry.spacingMm[1], geometry.spacingMm[2]],
        modality: outcome.modality || series.modality,
        scalarType: volume.scalarType,
        decoder: outcome.decoder,
        problems,
        notes: outcome.notes,
      },
      { firstImageMs: appStore.getState().timings.firstImageMs ?? fullMs, fullVolumeMs: fullMs, workerMs: workerDone - started, displayMs: performance.now() - workerDone },
    );
  } catch (e) {
    if (e instanceof LoadCancelledError) {
      viewer?.clear();
      appStore.getState().loadCancelled();
    } else {
      appStore.getState().loadFailed((e as Error).message);
    }
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

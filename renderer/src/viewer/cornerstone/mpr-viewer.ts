/**
 * Thin Cornerstone3D adapter: the ONLY place (with the rest of this folder) that imports @cornerstonejs/*.
 * Three ORTHOGRAPHIC volume viewports (axial, coronal, sagittal) with crosshairs + reference lines, scroll, zoom, pan
 * and window/level, plus a VOLUME_3D view with a CT preset. The volume is a local Cornerstone volume built from the
 * core geometry and the HU scalars the series worker produced (modality LUT already applied, see modality-lut.ts).
 */
import {
  cache,
  Enums,
  init as initCore,
  RenderingEngine,
  setVolumesForViewports,
  utilities as csUtils,
  volumeLoader,
} from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import {
  addTool,
  CrosshairsTool,
  Enums as ToolEnums,
  init as initTools,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  TrackballRotateTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import type { ImageGeometry, Vec3 } from '../../../../wasm/src/geometry/types.ts';
import { indexToLPS, sliceIndexAt, spacingAlongNormalMm, toCornerstoneDirection } from './direction.ts';
import { RemnantEditTool } from './edit-tool.ts';
import type { EditToolHandler } from './edit-tool.ts';
import { createSegmentationLayer } from './segmentation-layer.ts';
import type { SegmentationLayer } from './segmentation-layer.ts';

export type MprViewportId = 'axial' | 'coronal' | 'sagittal';
export type ViewportId = MprViewportId | 'volume3d';
export const mprViewportIds: readonly MprViewportId[] = ['axial', 'coronal', 'sagittal'];

export interface ViewportState {
  viewUpLPS: Vec3;
  viewPlaneNormalLPS: Vec3;
  /** Focal point position along the viewing normal, in mm (LPS coordinate along the dominant axis, signed). */
  slicePositionMm: number;
  sliceThicknessMm: number;
  sliceIndex: number;
  sliceCount: number;
  voiLower: number;
  voiUpper: number;
}

export interface VolumeSpec {
  volumeKey: string;
  geometry: ImageGeometry;
  modality: string;
  scalarType: 'int16' | 'float32';
}

/**
 * A volume allocated up front from the index geometry (zero-filled) and filled slice by slice as they are decoded:
 * the one copy of the voxels on the main thread, shared with Cornerstone's per-slice images (no second copy).
 */
export interface ProgressiveVolume {
  readonly scalarType: 'int16' | 'float32';
  /** Write `count` consecutive slices starting at k; the views re-render on the next frame. */
  writeSlices(k: number, values: Int16Array | Float32Array): void;
  /** The slice index (k) the axial view shows now (rounded). */
  axialSliceK(): number;
}

/** The part of Cornerstone's vtkStreamingOpenGLTexture (the volume's GPU texture) the progressive load relies on. */
interface StreamingTexture {
  setUpdatedFrame(k: number): void;
  /** The texture's own per-frame "needs upload" list (the array itself, not a copy). */
  getUpdatedFrames(): Array<boolean | null | undefined>;
}

/**
 * Upload only frames that hold data. A new GL texture is zero-initialised, so a frame not written yet needs no upload;
 * but Cornerstone's texture marks EVERY frame as updated on any modified(), including the one when it is first attached
 * to the render window, so the first render converted (to float32 where EXT_texture_norm16 is missing, e.g. on
 * SwiftShader) and uploaded the whole zero-filled volume before the first image (600 slices: seconds on software GL).
 * The texture object is frozen (vtk.js), but its frame list is a plain array: its entries become accessors that keep a
 * mark only for written frames. A re-created texture still gets every written frame again (modified() marks them).
 */
function uploadOnlyWrittenFrames(texture: StreamingTexture, written: Uint8Array): void {
  const frames = texture.getUpdatedFrames();
  const marked = new Uint8Array(written.length);
  for (let k = 0; k < written.length; k++) {
    if (frames[k]) marked[k] = written[k] ?? 0;
    Object.defineProperty(frames, k, {
      configurable: true,
      enumerable: true,
      get: () => (marked[k] ? true : null),
      set: (value: unknown) => {
        marked[k] = value && written[k] ? 1 : 0;
      },
    });
  }
}

export type PrimaryTool = 'crosshairs' | 'windowLevel' | 'pan' | 'zoom';

let initialized = false;

const sliceVoxels = (g: ImageGeometry): number => g.sizeIJK[0] * g.sizeIJK[1];
const PROGRESSIVE_RENDER_INTERVAL_MS = 500;
let counter = 0;

async function ensureInitialized(): Promise<void> {
  if (initialized) return;
  // Tiled mode: one WebGL context shared by the viewports, so the volume texture is uploaded once (the default
  // context pool uploads it per context, multiplying GPU/CPU memory and upload time).
  initCore({ rendering: { renderingEngineMode: Enums.RenderingEngineModeEnum.Tiled } } as Parameters<typeof initCore>[0]);
  initTools();
  for (const tool of [CrosshairsTool, StackScrollTool, ZoomTool, PanTool, WindowLevelTool, TrackballRotateTool, RemnantEditTool]) addTool(tool);
  initialized = true;
}

const orientationFor: Record<MprViewportId, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  coronal: Enums.OrientationAxis.CORONAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
};

const referenceColors: Record<string, string> = { axial: 'rgb(255, 80, 80)', coronal: 'rgb(80, 220, 80)', sagittal: 'rgb(255, 210, 60)' };

const toolNameFor: Record<PrimaryTool, string> = {
  crosshairs: CrosshairsTool.toolName,
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
};

export interface MprViewer {
  /** Allocate and show a new (empty) volume, replacing the current one; fill it through the returned writer. */
  beginVolume(spec: VolumeSpec): Promise<ProgressiveVolume>;
  /** Re-type the current volume to float32 (exact: int16 values are kept), e.g. when a later slice leaves int16. */
  retypeToFloat32(): Promise<ProgressiveVolume>;
  /** Remove the volume from the views (cancelled load). */
  clear(): void;
  setVoiRange(lower: number, upper: number): void;
  setPrimaryTool(tool: PrimaryTool): void;
  scroll(viewportId: MprViewportId, delta: number): void;
  resetCameras(): void;
  /** (Re)renders the 3D view from the current volume, when it is on (after a load completes). */
  show3d(): Promise<void>;
  /** Adds or removes the VOLUME_3D view (off by default on software GL, where volume rendering takes seconds). */
  set3dEnabled(enabled: boolean): Promise<void>;
  state(viewportId: MprViewportId): ViewportState | undefined;
  /** Resolves after the next render of every viewport. */
  rendered(): Promise<void>;
  /** The HU scalars of the shown volume (the one main-thread copy; read only) and its grid. */
  volumeData(): { scalars: Int16Array | Float32Array; geometry: ImageGeometry } | undefined;
  /** Shows a role labelmap (shared, not copied) over the current volume in the MPR views. */
  attachLabelmap(labelmap: Uint8Array): SegmentationLayer;
  /** Segmentation editing on left drag (null: back to the primary tool). */
  setEditHandler(handler: EditToolHandler | null): void;
  /** Canvas position (CSS px in the viewport element) of an LPS point, and back. */
  worldToCanvas(viewportId: MprViewportId, pointLPS: Vec3): [number, number];
  canvasToWorld(viewportId: MprViewportId, canvas: [number, number]): Vec3;
  /** Moves a view's slice to the plane through an LPS point (keeps the camera direction). */
  jumpTo(viewportId: MprViewportId, pointLPS: Vec3): void;
  destroy(): void;
}

export async function createMprViewer(
  elements: Record<ViewportId, HTMLDivElement>,
  onChange: (viewportId: MprViewportId, state: ViewportState) => void,
  options: { with3d: boolean } = { with3d: true },
): Promise<MprViewer> {

  await ensureInitialized();
  const id = `remnant-${++counter}`;
  const engine = new RenderingEngine(`${id}-engine`);
  const inputs: Types.PublicViewportInput[] = mprViewportIds.map((viewportId) => ({
    viewportId,
    type: Enums.ViewportType.ORTHOGRAPHIC,
    element: elements[viewportId],
    defaultOptions: { orientation: orientationFor[viewportId], background: [0, 0, 0] as Types.Point3 },
  }));
  engine.setViewports(inputs);

  const mprGroup = ToolGroupManager.createToolGroup(`${id}-mpr`);
  if (!mprGroup) throw new Error('could not create the MPR tool group');
  mprGroup.addTool(StackScrollTool.toolName);
  mprGroup.addTool(RemnantEditTool.toolName);
  mprGroup.addTool(ZoomTool.toolName);
  mprGroup.addTool(PanTool.toolName);
  mprGroup.addTool(WindowLevelTool.toolName);
  mprGroup.addTool(CrosshairsTool.toolName, {
    getReferenceLineColor: (viewportId: string) => referenceColors[viewportId] ?? 'white',
    getReferenceLineControllable: () => true,
    getReferenceLineDraggableRotatable: () => false,
    getReferenceLineSlabThicknessControlsOn: () => false,
  });
  for (const viewportId of mprViewportIds) mprGroup.addViewport(viewportId, engine.id);
  mprGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
  mprGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
  mprGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
  let primary: PrimaryTool = 'crosshairs';

  let group3d: ReturnType<typeof ToolGroupManager.createToolGroup>;
  let enabled3d = false;
  const enable3d = (): void => {
    engine.enableElement({
      viewportId: 'volume3d',
      type: Enums.ViewportType.VOLUME_3D,
      element: elements.volume3d,
      defaultOptions: { orientation: Enums.OrientationAxis.CORONAL, background: [0.05, 0.05, 0.08] as Types.Point3 },
    });
    group3d = ToolGroupManager.createToolGroup(`${id}-3d-${++counter}`);
    group3d?.addTool(TrackballRotateTool.toolName);
    group3d?.addTool(ZoomTool.toolName);
    group3d?.addTool(PanTool.toolName);
    group3d?.addViewport('volume3d', engine.id);
    group3d?.setToolActive(TrackballRotateTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    group3d?.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
    group3d?.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
    enabled3d = true;
  };
  const disable3d = (): void => {
    if (group3d) ToolGroupManager.destroyToolGroup(group3d.id);
    group3d = undefined;
    engine.disableElement('volume3d');
    enabled3d = false;
  };
  const show3d = async (modality: string): Promise<void> => {
    if (!enabled3d || !current) return;
    await setVolumesForViewports(engine, [{ volumeId: current.volumeId }], ['volume3d']);
    const v3d = engine.getViewport('volume3d') as Types.IVolumeViewport;
    v3d.setProperties({ preset: modality === 'CT' ? 'CT-Bone' : 'MR-Default' });
    v3d.render();
  };

  let current: { volumeId: string; geometry: ImageGeometry; spec: VolumeSpec; scalars: Int16Array | Float32Array; written: Uint8Array; writer: ProgressiveVolume } | undefined;
  // While a volume fills, re-render at most every PROGRESSIVE_RENDER_INTERVAL_MS: each render re-uploads the new slices
  // and, on software GL, costs tens of ms of main-thread time that the file reads need too.
  // Only views whose image changed are re-rendered: new slices change every coronal and sagittal image, but the axial
  // one only when they include the slice it shows (on software GL each view costs a GPU read-back on the main thread).
  let renderTimer: ReturnType<typeof setTimeout> | undefined;
  let lastRender = 0;
  const dirty = new Set<MprViewportId>();
  const scheduleRender = (views: readonly MprViewportId[]): void => {
    for (const view of views) dirty.add(view);
    if (renderTimer !== undefined) return;
    const wait = Math.max(0, lastRender + PROGRESSIVE_RENDER_INTERVAL_MS - performance.now());
    renderTimer = setTimeout(() => {
      renderTimer = undefined;
      lastRender = performance.now();
      const views = [...dirty];
      dirty.clear();
      engine.renderViewports(views);
    }, wait);
  };

  const show = async (spec: VolumeSpec, scalars: Int16Array | Float32Array, written: Uint8Array): Promise<ProgressiveVolume> => {
    // No ':' in the id: Cornerstone would read the prefix as an image-loader scheme and try to load the slices.
    const volumeId = `${id}-volume-${++counter}`;
    const g = spec.geometry;
    const int16 = scalars instanceof Int16Array;
    const cornerstoneVolume = volumeLoader.createLocalVolume(volumeId, {
      dimensions: g.sizeIJK as Types.Point3,
      spacing: g.spacingMm as Types.Point3,
      origin: g.originLPS as Types.Point3,
      direction: toCornerstoneDirection(g.directionLPS) as unknown as Types.Mat3,
      scalarData: scalars,
      metadata: {
        BitsAllocated: int16 ? 16 : 32,
        BitsStored: int16 ? 16 : 32,
        SamplesPerPixel: 1,
        HighBit: int16 ? 15 : 31,
        PhotometricInterpretation: 'MONOCHROME2',
        PixelRepresentation: 1,
        Modality: spec.modality,
        ImageOrientationPatient: toCornerstoneDirection(g.directionLPS).slice(0, 6),
        PixelSpacing: [g.spacingMm[1], g.spacingMm[0]],
        FrameOfReferenceUID: `${volumeId}-for`,
        Columns: g.sizeIJK[0],
        Rows: g.sizeIJK[1],
        voiLut: [],
        VOILUTFunction: 'LINEAR',
      },
    });
    // createLocalVolume gives every slice image the volume origin as its position; Cornerstone looks slices up by
    // position (acquisition-plane rendering, slice lookup), so give each slice its real LPS position.
    cornerstoneVolume.imageIds.forEach((imageId, k) => {
      const plane = csUtils.genericMetadataProvider.get('imagePlaneModule', imageId) as Record<string, unknown> | undefined;
      csUtils.genericMetadataProvider.add(imageId, {
        type: 'imagePlaneModule',
        metadata: { ...plane, imagePositionPatient: indexToLPS(g, [0, 0, k]) },
      });
    });
    const previous = current?.volumeId;
    const sliceLength = sliceVoxels(g);
    const texture = (cornerstoneVolume as unknown as { vtkOpenGLTexture: StreamingTexture }).vtkOpenGLTexture;
    uploadOnlyWrittenFrames(texture, written);
    const writer: ProgressiveVolume = {
      scalarType: int16 ? 'int16' : 'float32',
      writeSlices(k, values) {
        const count = values.length / sliceLength;
        if (!Number.isInteger(count) || k < 0 || k + count > g.sizeIJK[2]) throw new Error(`slices ${k}+${values.length / sliceLength} do not fit ${g.sizeIJK.join('x')}`);
        scalars.set(values, k * sliceLength);
        for (let f = k; f < k + count; f++) {
          written[f] = 1;
          texture.setUpdatedFrame(f);
        }
        const shownK = writer.axialSliceK();
        scheduleRender(shownK >= k && shownK < k + count ? mprViewportIds : ['coronal', 'sagittal']);
      },
      axialSliceK() {
        return Math.round(sliceIndexAt(g, mprViewport('axial').getCamera().focalPoint as Vec3));
      },
    };
    current = { volumeId, geometry: g, spec, scalars, written, writer };
    currentModality = spec.modality;
    await setVolumesForViewports(engine, [{ volumeId: cornerstoneVolume.volumeId }], [...mprViewportIds]);
    if (previous) cache.removeVolumeLoadObject(previous);
    engine.renderViewports([...mprViewportIds]);
    // The acquisition-plane (axial) view's first render after setVolumes samples nothing (uniform gray) until the
    // camera is modified in a later frame: reset the cameras once on the next frame.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    for (const viewportId of mprViewportIds) mprViewport(viewportId).resetCamera();
    engine.renderViewports([...mprViewportIds]);
    notifyAll();
    return writer;
  };
  let currentModality = '';
  const mprViewport = (viewportId: MprViewportId): Types.IVolumeViewport =>
    engine.getViewport(viewportId) as Types.IVolumeViewport;

  const state = (viewportId: MprViewportId): ViewportState | undefined => {
    if (!current) return undefined;
    const viewport = mprViewport(viewportId);
    const camera = viewport.getCamera();
    const normal = camera.viewPlaneNormal as Vec3;
    const up = camera.viewUp as Vec3;
    const focal = camera.focalPoint as Vec3;
    // Signed coordinate along the dominant LPS axis of the normal (axial -> z, coronal -> y, sagittal -> x).
    const axis = [0, 1, 2].reduce((a, b) => (Math.abs(normal[b]) > Math.abs(normal[a]) ? b : a), 0);
    const slice = csUtils.getImageSliceDataForVolumeViewport(viewport);
    const voi = viewport.getProperties()?.voiRange;
    return {
      viewUpLPS: [up[0], up[1], up[2]],
      viewPlaneNormalLPS: [normal[0], normal[1], normal[2]],
      slicePositionMm: focal[axis],
      sliceThicknessMm: Math.max(viewport.getSlabThickness?.() ?? 0, spacingAlongNormalMm(current.geometry, normal)),
      sliceIndex: slice?.imageIndex ?? 0,
      sliceCount: slice?.numberOfSlices ?? 0,
      voiLower: voi?.lower ?? 0,
      voiUpper: voi?.upper ?? 0,
    };
  };

  const listeners: Array<() => void> = [];
  for (const viewportId of mprViewportIds) {
    const element = elements[viewportId];
    const handler = (): void => {
      const s = state(viewportId);
      if (s) onChange(viewportId, s);
    };
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, handler);
    element.addEventListener(Enums.Events.VOI_MODIFIED, handler);
    listeners.push(() => {
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, handler);
      element.removeEventListener(Enums.Events.VOI_MODIFIED, handler);
    });
  }
  const notifyAll = (): void => {
    for (const viewportId of mprViewportIds) {
      const s = state(viewportId);
      if (s) onChange(viewportId, s);
    }
  };

  let editing = false;
  const editTool = (): RemnantEditTool => mprGroup.getToolInstance(RemnantEditTool.toolName) as RemnantEditTool;
  const viewer: MprViewer = {
    async beginVolume(spec) {
      const scalars = spec.scalarType === 'int16' ? new Int16Array(sliceVoxels(spec.geometry) * spec.geometry.sizeIJK[2]) : new Float32Array(sliceVoxels(spec.geometry) * spec.geometry.sizeIJK[2]);
      return show(spec, scalars, new Uint8Array(spec.geometry.sizeIJK[2]));
    },
    async retypeToFloat32() {
      if (!current) throw new Error('no volume to re-type');
      if (current.scalars instanceof Float32Array) return current.writer;
      const spec = { ...current.spec, scalarType: 'float32' as const };
      const scalars = Float32Array.from(current.scalars);
      return show(spec, scalars, current.written.slice());
    },
    clear() {
      if (!current) return;
      const previous = current.volumeId;
      current = undefined;
      for (const viewportId of mprViewportIds) mprViewport(viewportId).removeAllActors?.();
      if (enabled3d) (engine.getViewport('volume3d') as Types.IVolumeViewport).removeAllActors?.();
      cache.removeVolumeLoadObject(previous);
      engine.renderViewports([...mprViewportIds]);
    },
    setVoiRange(lower, upper) {
      for (const viewportId of mprViewportIds) mprViewport(viewportId).setProperties({ voiRange: { lower, upper } });
      engine.renderViewports([...mprViewportIds]);
      notifyAll();
    },
    setPrimaryTool(tool) {
      if (editing) {
        editTool().setHandler(null);
        mprGroup.setToolPassive(RemnantEditTool.toolName);
        editing = false;
      }
      mprGroup.setToolPassive(toolNameFor[primary]);
      primary = tool;
      mprGroup.setToolActive(toolNameFor[tool], { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
      // Zoom/pan keep their right/middle bindings even when one of them becomes the primary tool.
      if (tool !== 'zoom') mprGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
      if (tool !== 'pan') mprGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
    },
    scroll(viewportId, delta) {
      csUtils.scroll(engine.getViewport(viewportId), { delta });
    },
    resetCameras() {
      for (const viewportId of mprViewportIds) mprViewport(viewportId).resetCamera();
      if (enabled3d) engine.getViewport('volume3d').resetCamera();
      engine.render();
      notifyAll();
    },
    async set3dEnabled(enabled) {
      if (enabled === enabled3d) return;
      if (enabled) {
        enable3d();
        await show3d(currentModality);
      } else disable3d();
    },
    show3d: () => show3d(currentModality),
    state,
    rendered: () =>
      new Promise<void>((resolve) => {
        const element = elements.axial;
        const done = (): void => {
          element.removeEventListener(Enums.Events.IMAGE_RENDERED, done);
          resolve();
        };
        element.addEventListener(Enums.Events.IMAGE_RENDERED, done);
        engine.renderViewports([...mprViewportIds]);
      }),
    volumeData() {
      return current ? { scalars: current.scalars, geometry: current.geometry } : undefined;
    },
    attachLabelmap(labelmap) {
      if (!current) throw new Error('no volume is shown');
      return createSegmentationLayer({
        viewportIds: mprViewportIds,
        geometry: current.geometry,
        frameOfReferenceUID: `${current.volumeId}-for`,
        labelmap,
        render: () => engine.renderViewports([...mprViewportIds]),
      });
    },
    setEditHandler(handler) {
      editTool().setHandler(handler);
      if (handler) {
        if (!editing) mprGroup.setToolPassive(toolNameFor[primary]);
        mprGroup.setToolActive(RemnantEditTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
        editing = true;
      } else if (editing) {
        mprGroup.setToolPassive(RemnantEditTool.toolName);
        editing = false;
        viewer.setPrimaryTool(primary);
      }
      engine.renderViewports([...mprViewportIds]);
    },
    worldToCanvas(viewportId, pointLPS) {
      const c = mprViewport(viewportId).worldToCanvas(pointLPS as Types.Point3);
      return [c[0], c[1]];
    },
    canvasToWorld(viewportId, canvas) {
      const w = mprViewport(viewportId).canvasToWorld(canvas as Types.Point2);
      return [w[0], w[1], w[2]];
    },
    jumpTo(viewportId, pointLPS) {
      const viewport = mprViewport(viewportId);
      const camera = viewport.getCamera();
      const n = camera.viewPlaneNormal as Vec3;
      const f = camera.focalPoint as Vec3;
      const p = camera.position as Vec3;
      const d = n[0] * (pointLPS[0] - f[0]) + n[1] * (pointLPS[1] - f[1]) + n[2] * (pointLPS[2] - f[2]);
      const shift = (v: Vec3): Types.Point3 => [v[0] + d * n[0], v[1] + d * n[1], v[2] + d * n[2]];
      viewport.setCamera({ focalPoint: shift(f), position: shift(p) });
      viewport.render();
      const st = state(viewportId);
      if (st) onChange(viewportId, st);
    },
    destroy() {
      for (const off of listeners) off();
      ToolGroupManager.destroyToolGroup(mprGroup.id);
      if (group3d) ToolGroupManager.destroyToolGroup(group3d.id);
      if (current) cache.removeVolumeLoadObject(current.volumeId);
      engine.destroy();
    },
  };
  viewer.setPrimaryTool('crosshairs');
  if (options.with3d) enable3d();
  return viewer;
}

import type { StateCreator } from 'zustand';
import type { PresetId, WindowLevel } from '../viewer/presets.ts';
import type { Vec3 } from '../../../wasm/src/geometry/types.ts';
import type { AppState } from './store.ts';

export type MprViewportKey = 'axial' | 'coronal' | 'sagittal';
export type PrimaryToolKey = 'crosshairs' | 'windowLevel' | 'pan' | 'zoom';

/** Numbers only: what the overlays show for one viewport. */
export interface ViewportReadout {
  viewUpLPS: Vec3;
  viewPlaneNormalLPS: Vec3;
  slicePositionMm: number;
  sliceThicknessMm: number;
  sliceIndex: number;
  sliceCount: number;
  voiLower: number;
  voiUpper: number;
}

export interface ViewerSlice {
  presetId: PresetId | 'custom';
  /** The automatic (percentile) window of the loaded volume, computed once per load. */
  autoWindow?: WindowLevel;
  primaryTool: PrimaryToolKey;
  readouts: Partial<Record<MprViewportKey, ViewportReadout>>;
  helpOpen: boolean;
  show3d: boolean;
  setPreset(presetId: PresetId | 'custom'): void;
  setAutoWindow(wl: WindowLevel | undefined): void;
  setPrimaryTool(tool: PrimaryToolKey): void;
  setReadout(viewport: MprViewportKey, readout: ViewportReadout): void;
  setHelpOpen(open: boolean): void;
  setShow3d(show: boolean): void;
}

export const createViewerSlice: StateCreator<AppState, [], [], ViewerSlice> = (set) => ({
  presetId: 'abdomen',
  primaryTool: 'crosshairs',
  readouts: {},
  helpOpen: false,
  show3d: true,
  setPreset: (presetId) => set({ presetId }),
  setAutoWindow: (autoWindow) => set({ autoWindow }),
  setPrimaryTool: (primaryTool) => set({ primaryTool }),
  setReadout: (viewport, readout) => set((s) => ({ readouts: { ...s.readouts, [viewport]: readout } })),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setShow3d: (show3d) => set({ show3d }),
});

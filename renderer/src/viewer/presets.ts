/**
 * Window/level presets. CT values are Hounsfield units (the volume handed to Cornerstone holds modality-LUT-applied
 * values, see cornerstone/volume-adapter.ts).
 *  - abdomen: W400 / L40 (soft-tissue abdomen window used by most viewers).
 *  - liver:   W150 / L90: narrow window centred on enhanced parenchyma (portal-venous liver ~ 90-130 HU) so that
 *             hypodense lesions and vessels stand out.
 *  - bone:    W2000 / L500.
 *  - mrAuto:  from intensity percentiles (1st..99th by default) of the volume; used for MR and any non-CT series.
 */
export interface WindowLevel {
  windowWidth: number;
  windowCenter: number;
}

export type PresetId = 'abdomen' | 'liver' | 'bone' | 'auto';

export interface PresetInfo {
  id: PresetId;
  label: string;
  key: string;
  windowLevel?: WindowLevel;
}

export const windowPresets: readonly PresetInfo[] = [
  { id: 'abdomen', label: 'Abdomen W400/L40', key: '1', windowLevel: { windowWidth: 400, windowCenter: 40 } },
  { id: 'liver', label: 'Liver W150/L90', key: '2', windowLevel: { windowWidth: 150, windowCenter: 90 } },
  { id: 'bone', label: 'Bone W2000/L500', key: '3', windowLevel: { windowWidth: 2000, windowCenter: 500 } },
  { id: 'auto', label: 'Auto (percentiles)', key: '4' },
];

/** VOI range [lower, upper] as Cornerstone wants it, from a window (DICOM linear: lower = C - W/2). */
export function windowLevelToRange(wl: WindowLevel): { lower: number; upper: number } {
  return { lower: wl.windowCenter - wl.windowWidth / 2, upper: wl.windowCenter + wl.windowWidth / 2 };
}

export function rangeToWindowLevel(lower: number, upper: number): WindowLevel {
  return { windowWidth: upper - lower, windowCenter: (lower + upper) / 2 };
}

/**
 * Automatic window from intensity percentiles, computed on a strided sample (every `stride`-th voxel) through a
 * histogram, so it costs O(n / stride) and never sorts or copies the volume.
 */
export function percentileWindow(
  values: ArrayLike<number>,
  lowPercentile = 1,
  highPercentile = 99,
  stride = 1,
  slope = 1,
  intercept = 0,
): WindowLevel {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { windowWidth: 1, windowCenter: intercept };
  const binCount = 4096;
  const span = max - min || 1;
  const bins = new Uint32Array(binCount);
  let count = 0;
  for (let i = 0; i < values.length; i += stride) {
    bins[Math.min(binCount - 1, Math.floor(((values[i] - min) / span) * binCount))]++;
    count++;
  }
  const valueAt = (fraction: number): number => {
    const target = fraction * count;
    let cumulative = 0;
    for (let b = 0; b < binCount; b++) {
      cumulative += bins[b];
      if (cumulative >= target) return min + ((b + 0.5) / binCount) * span;
    }
    return max;
  };
  const lower = valueAt(lowPercentile / 100) * slope + intercept;
  const upper = valueAt(highPercentile / 100) * slope + intercept;
  const wl = rangeToWindowLevel(Math.min(lower, upper), Math.max(lower, upper));
  return { windowWidth: Math.max(1, wl.windowWidth), windowCenter: wl.windowCenter };
}

/** Default preset for a modality: CT opens in the abdomen window, everything else in the automatic one. */
export function defaultPresetFor(modality: string | undefined): PresetId {
  return modality === 'CT' ? 'abdomen' : 'auto';
}

/**
 * Key-image rendering (runtime-neutral): one axial or coronal slice of a ScalarVolume, windowed to grey, with the
 * role labelmap drawn as translucent fills and opaque outlines, as RGBA pixels in radiological display convention:
 *   axial   image left = patient right, image top = anterior;
 *   coronal image left = patient right, image top = superior.
 * The slice is taken in index space (the index axis closest to S for axial, to P for coronal) and resampled by nearest
 * neighbour to square display pixels, so the aspect ratio is physical. Orientation letters name the dominant patient
 * directions of each image edge (oblique axes get two or three letters, e.g. "RA").
 */
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';

export type KeyImagePlane = 'axial' | 'coronal';

export interface WindowLevel {
  center: number;
  width: number;
}

/** Liver window for CT in HU (soft-tissue contrast around parenchyma). */
export const LIVER_WINDOW_HU: WindowLevel = { center: 60, width: 200 };

export type Rgb = [number, number, number];

/** Overlay colours per role: liver outside the FLR, FLR, tumours. */
export interface OverlayColours {
  liver: Rgb;
  flr: Rgb;
  tumour: Rgb;
}

export const DEFAULT_OVERLAY_COLOURS: OverlayColours = { liver: [70, 140, 255], flr: [40, 210, 90], tumour: [255, 70, 60] };

export interface OrientationLabels {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major from the top-left. */
  rgba: Uint8Array;
}

export interface KeyImage extends RgbaImage {
  plane: KeyImagePlane;
  /** Index along the through-plane index axis (0-based) and that axis (0 = i, 1 = j, 2 = k). */
  sliceIndex: number;
  throughAxis: number;
  /** Size of one display pixel (square), mm. */
  pixelSizeMm: number;
  orientation: OrientationLabels;
  window: WindowLevel;
}

export interface KeyImageRequest {
  volume: ScalarVolume;
  /** Role labelmap on the volume grid: 0 background, 1 liver outside FLR, 2 FLR, 10+t tumour t. */
  labelmap: Uint8Array;
  plane: KeyImagePlane;
  sliceIndex: number;
  window: WindowLevel;
  colours?: OverlayColours;
  /** Fill opacity of the overlay, 0..1 (default 0.3); outlines are opaque. */
  fillOpacity?: number;
  /** Display pixel size; default the finer in-plane spacing. */
  pixelSizeMm?: number;
}

function axisVector(g: ImageGeometry, c: number): Vec3 {
  const d = g.directionLPS;
  return [d[c] as number, d[3 + c] as number, d[6 + c] as number];
}

/** Patient-direction letters of an LPS unit vector, strongest first (components above 0.3 of the length). */
export function orientationLetters(v: Vec3): string {
  const letters: Array<[number, string]> = [
    [v[0], v[0] >= 0 ? 'L' : 'R'],
    [v[1], v[1] >= 0 ? 'P' : 'A'],
    [v[2], v[2] >= 0 ? 'S' : 'I'],
  ];
  return letters
    .filter(([x]) => Math.abs(x) > 0.3)
    .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]))
    .map(([, l]) => l)
    .join('');
}

const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];

export interface PlaneLayout {
  throughAxis: number;
  /** Index axis shown horizontally, and whether it runs right-to-left on screen (flipped). */
  horizontalAxis: number;
  horizontalFlipped: boolean;
  verticalAxis: number;
  verticalFlipped: boolean;
  orientation: OrientationLabels;
}

/** Which index axes map to the screen for a plane, and the edge letters. */
export function planeLayout(geometry: ImageGeometry, plane: KeyImagePlane): PlaneLayout {
  const axes = [0, 1, 2].map((c) => axisVector(geometry, c));
  const patientAxis = plane === 'axial' ? 2 : 1; // S for axial, P for coronal
  const throughAxis = [0, 1, 2].reduce((best, c) => (Math.abs((axes[c] as Vec3)[patientAxis]) > Math.abs((axes[best] as Vec3)[patientAxis]) ? c : best), 0);
  const rest = [0, 1, 2].filter((c) => c !== throughAxis);
  // Horizontal: the remaining axis closest to L; it must run towards patient left (screen right).
  const horizontalAxis = Math.abs((axes[rest[0] as number] as Vec3)[0]) >= Math.abs((axes[rest[1] as number] as Vec3)[0]) ? (rest[0] as number) : (rest[1] as number);
  const verticalAxis = rest[0] === horizontalAxis ? (rest[1] as number) : (rest[0] as number);
  const h = axes[horizontalAxis] as Vec3;
  const v = axes[verticalAxis] as Vec3;
  const horizontalFlipped = h[0] < 0;
  // Screen down: towards posterior (axial) or inferior (coronal).
  const verticalFlipped = plane === 'axial' ? v[1] < 0 : v[2] > 0;
  const right = horizontalFlipped ? neg(h) : h;
  const down = verticalFlipped ? neg(v) : v;
  return {
    throughAxis,
    horizontalAxis,
    horizontalFlipped,
    verticalAxis,
    verticalFlipped,
    orientation: { left: orientationLetters(neg(right)), right: orientationLetters(right), top: orientationLetters(neg(down)), bottom: orientationLetters(down) },
  };
}

function colourOf(label: number, colours: OverlayColours): Rgb | null {
  if (label === 0) return null;
  if (label === 1) return colours.liver;
  if (label === 2) return colours.flr;
  if (label >= 10) return colours.tumour;
  return null;
}

/** Renders one key image (see the module comment for the display convention). */
export function renderKeyImage(request: KeyImageRequest): KeyImage {
  const { volume, labelmap, plane } = request;
  const g = volume.geometry;
  const [ni, nj, nk] = g.sizeIJK;
  if (labelmap.length !== ni * nj * nk || volume.pixels.length !== ni * nj * nk) throw new Error(`labelmap (${labelmap.length}) and pixels (${volume.pixels.length}) must both hold ${ni * nj * nk} voxels`);
  if (!(request.window.width > 0)) throw new Error(`window width must be positive, got ${request.window.width}`);
  const layout = planeLayout(g, plane);
  const n = g.sizeIJK[layout.throughAxis];
  if (!Number.isInteger(request.sliceIndex) || request.sliceIndex < 0 || request.sliceIndex >= n) throw new Error(`slice ${request.sliceIndex} is outside 0..${n - 1}`);
  const nh = g.sizeIJK[layout.horizontalAxis];
  const nv = g.sizeIJK[layout.verticalAxis];
  const sh = g.spacingMm[layout.horizontalAxis];
  const sv = g.spacingMm[layout.verticalAxis];
  const px = request.pixelSizeMm ?? Math.min(sh, sv);
  const width = Math.max(1, Math.round((nh * sh) / px));
  const height = Math.max(1, Math.round((nv * sv) / px));
  const strides = [1, ni, ni * nj];
  const base = request.sliceIndex * (strides[layout.throughAxis] as number);
  const hStride = strides[layout.horizontalAxis] as number;
  const vStride = strides[layout.verticalAxis] as number;
  const hIndex = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const idx = Math.min(nh - 1, Math.floor(((x + 0.5) * px) / sh));
    hIndex[x] = layout.horizontalFlipped ? nh - 1 - idx : idx;
  }
  const vIndex = new Int32Array(height);
  for (let y = 0; y < height; y++) {
    const idx = Math.min(nv - 1, Math.floor(((y + 0.5) * px) / sv));
    vIndex[y] = layout.verticalFlipped ? nv - 1 - idx : idx;
  }
  const labels = new Uint8Array(width * height);
  const rgba = new Uint8Array(width * height * 4);
  const lo = request.window.center - request.window.width / 2;
  const scale = 255 / request.window.width;
  const { rescaleSlope: slope, rescaleIntercept: intercept, pixels } = volume;
  for (let y = 0; y < height; y++) {
    const rowBase = base + (vIndex[y] as number) * vStride;
    for (let x = 0; x < width; x++) {
      const voxel = rowBase + (hIndex[x] as number) * hStride;
      const value = (pixels[voxel] as number) * slope + intercept;
      const grey = Math.max(0, Math.min(255, Math.round((value - lo) * scale)));
      const o = (y * width + x) * 4;
      rgba[o] = grey;
      rgba[o + 1] = grey;
      rgba[o + 2] = grey;
      rgba[o + 3] = 255;
      labels[y * width + x] = labelmap[voxel] as number;
    }
  }
  const colours = request.colours ?? DEFAULT_OVERLAY_COLOURS;
  const alpha = request.fillOpacity ?? 0.3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const label = labels[y * width + x] as number;
      const colour = colourOf(label, colours);
      if (!colour) continue;
      const edge =
        x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
        labels[y * width + x - 1] !== label || labels[y * width + x + 1] !== label || labels[(y - 1) * width + x] !== label || labels[(y + 1) * width + x] !== label;
      const a = edge ? 1 : alpha;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round((rgba[o + c] as number) * (1 - a) + colour[c as 0 | 1 | 2] * a);
    }
  }
  return { plane, sliceIndex: request.sliceIndex, throughAxis: layout.throughAxis, pixelSizeMm: px, orientation: layout.orientation, window: request.window, width, height, rgba };
}

/** Voxel count of labels accepted by `select`, per slice along `axis`. */
export function countPerSlice(labelmap: Uint8Array, sizeIJK: Vec3, axis: number, select: (label: number) => boolean): number[] {
  const [ni, nj] = sizeIJK;
  const counts = new Array<number>(sizeIJK[axis]).fill(0);
  for (let v = 0; v < labelmap.length; v++) {
    if (!select(labelmap[v] as number)) continue;
    const i = v % ni;
    const j = Math.floor(v / ni) % nj;
    const k = Math.floor(v / (ni * nj));
    const s = axis === 0 ? i : axis === 1 ? j : k;
    counts[s] = (counts[s] as number) + 1;
  }
  return counts;
}

export const isLiverLabel = (label: number): boolean => label === 1 || label === 2 || label >= 10;
export const isFlrLabel = (label: number): boolean => label === 2;

/** The slice along `axis` with the most selected voxels (lowest index on ties), or null when none. */
export function sliceWithLargestArea(labelmap: Uint8Array, sizeIJK: Vec3, axis: number, select: (label: number) => boolean): number | null {
  const counts = countPerSlice(labelmap, sizeIJK, axis, select);
  let best = -1;
  counts.forEach((c, s) => {
    if (c > 0 && (best < 0 || c > (counts[best] as number))) best = s;
  });
  return best < 0 ? null : best;
}

/** Rounded centroid index along `axis` of the selected voxels, or null when none. */
export function centroidSlice(labelmap: Uint8Array, sizeIJK: Vec3, axis: number, select: (label: number) => boolean): number | null {
  const counts = countPerSlice(labelmap, sizeIJK, axis, select);
  let total = 0;
  let sum = 0;
  counts.forEach((c, s) => {
    total += c;
    sum += c * s;
  });
  return total === 0 ? null : Math.round(sum / total);
}

export interface KeyImagePlan {
  axial: number;
  coronal: number;
  axialReason: string;
  coronalReason: string;
}

/** Representative slices: axial with the largest FLR area (else liver), coronal through the liver centroid. */
export function chooseKeySlices(labelmap: Uint8Array, geometry: ImageGeometry): KeyImagePlan {
  const axialAxis = planeLayout(geometry, 'axial').throughAxis;
  const coronalAxis = planeLayout(geometry, 'coronal').throughAxis;
  const flr = sliceWithLargestArea(labelmap, geometry.sizeIJK, axialAxis, isFlrLabel);
  const liverAxial = sliceWithLargestArea(labelmap, geometry.sizeIJK, axialAxis, isLiverLabel);
  const coronal = centroidSlice(labelmap, geometry.sizeIJK, coronalAxis, isLiverLabel);
  const mid = (axis: number): number => Math.floor(geometry.sizeIJK[axis] / 2);
  return {
    axial: flr ?? liverAxial ?? mid(axialAxis),
    axialReason: flr !== null ? 'largest FLR area' : liverAxial !== null ? 'largest liver area (no FLR)' : 'middle slice (no liver)',
    coronal: coronal ?? mid(coronalAxis),
    coronalReason: coronal !== null ? 'through the liver centroid' : 'middle slice (no liver)',
  };
}

/** Window for non-HU images: 1st..99th percentile of the values inside the liver (whole volume if no liver). */
export function percentileWindow(volume: ScalarVolume, labelmap: Uint8Array): WindowLevel {
  const values: number[] = [];
  const useMask = labelmap.some(isLiverLabel);
  const step = Math.max(1, Math.floor(volume.pixels.length / 200_000));
  for (let v = 0; v < volume.pixels.length; v += step) {
    if (useMask && !isLiverLabel(labelmap[v] as number)) continue;
    values.push((volume.pixels[v] as number) * volume.rescaleSlope + volume.rescaleIntercept);
  }
  if (values.length === 0) return { center: 0, width: 1 };
  values.sort((a, b) => a - b);
  const lo = values[Math.floor(0.01 * (values.length - 1))] as number;
  const hi = values[Math.ceil(0.99 * (values.length - 1))] as number;
  const width = Math.max(1, (hi - lo) * 1.6);
  return { center: (lo + hi) / 2, width };
}

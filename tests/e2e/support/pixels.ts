/** Pixel checks on rendered viewports (pure; grayscale luminance arrays, row-major, y down). */
export interface GrayImage {
  width: number;
  height: number;
  luminance: Uint8Array;
}

export function toGray(rgba: Uint8ClampedArray | number[], width: number, height: number): GrayImage {
  const luminance = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    luminance[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
  }
  return { width, height, luminance };
}

export function stats(img: GrayImage): { mean: number; std: number } {
  let sum = 0;
  let sum2 = 0;
  for (const v of img.luminance) {
    sum += v;
    sum2 += v * v;
  }
  const n = img.luminance.length;
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}

export function meanAbsDiff(a: GrayImage, b: GrayImage): number {
  let sum = 0;
  for (let i = 0; i < a.luminance.length; i++) sum += Math.abs(a.luminance[i] - b.luminance[i]);
  return sum / a.luminance.length;
}

export interface BodyBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Bounding box of pixels brighter than `threshold` (the body in a soft-tissue window). */
export function bodyBox(img: GrayImage, threshold = 40): BodyBox {
  let x0 = img.width;
  let x1 = -1;
  let y0 = img.height;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.luminance[y * img.width + x] > threshold) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x0, x1, y0, y1 };
}

/** Mean row (0 = top of the box, 1 = bottom) of pixels within [lo, hi] inside a vertical band of the box. */
export function meanRowFraction(img: GrayImage, box: BodyBox, lo: number, hi: number, band: [number, number]): { fraction: number; count: number } {
  const width = box.x1 - box.x0;
  const xa = Math.round(box.x0 + band[0] * width);
  const xb = Math.round(box.x0 + band[1] * width);
  let sum = 0;
  let count = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = xa; x <= xb; x++) {
      const v = img.luminance[y * img.width + x];
      if (v >= lo && v <= hi) {
        sum += (y - box.y0) / Math.max(1, box.y1 - box.y0);
        count++;
      }
    }
  }
  return { fraction: count ? sum / count : Number.NaN, count };
}

/** Pixels within [lo, hi] in the left and right halves of the box. */
export function leftRightCounts(img: GrayImage, box: BodyBox, lo: number, hi: number): { left: number; right: number } {
  const mid = (box.x0 + box.x1) / 2;
  let left = 0;
  let right = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const v = img.luminance[y * img.width + x];
      if (v >= lo && v <= hi) {
        if (x < mid) left++;
        else right++;
      }
    }
  }
  return { left, right };
}

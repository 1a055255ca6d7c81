import { describe, expect, it } from 'vitest';
import { bodyBox, leftRightCounts, meanAbsDiff, meanRowFraction, toGray } from './pixels.ts';

function image(width: number, height: number, paint: (x: number, y: number) => number) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = paint(x, y);
      rgba.set([v, v, v, 255], 4 * (y * width + x));
    }
  }
  return toGray(rgba, width, height);
}

describe('pixel checks', () => {
  // A 40x40 "body" (gray 100) on black, a bright "spine" near its bottom centre, a gray-150 "liver" on the left.
  const img = image(60, 60, (x, y) => {
    if (x < 10 || x >= 50 || y < 10 || y >= 50) return 0;
    if (x >= 27 && x < 33 && y >= 40 && y < 46) return 250;
    if (x < 28 && y >= 15 && y < 35) return 150;
    return 100;
  });
  it('finds the body box, the bone row and the soft-tissue side', () => {
    const box = bodyBox(img);
    expect(box).toEqual({ x0: 10, x1: 49, y0: 10, y1: 49 });
    expect(meanRowFraction(img, box, 240, 255, [0.4, 0.6]).fraction).toBeGreaterThan(0.75);
    const lr = leftRightCounts(img, box, 140, 160);
    expect(lr.left).toBeGreaterThan(0);
    expect(lr.right).toBe(0);
  });
  it('measures differences between renderings', () => {
    expect(meanAbsDiff(img, img)).toBe(0);
    expect(meanAbsDiff(img, image(60, 60, () => 0))).toBeGreaterThan(40);
  });
});

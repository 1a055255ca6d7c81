/**
 * Fill between slices for one segment, through the constraint rule. The segment's membership (liver = {1, 2, 10+},
 * FLR = {2}, tumour t = {10+t}) becomes a binary mask, wasm/src/interpolate/fill-between-slices.ts interpolates it
 * (itk-wasm morphological contour interpolation; in a worker call configureItkWasmAssets first), and every voxel the
 * interpolation adds is proposed as "paint segment": e.g. FLR is only written over liver parenchyma, liver only
 * over background. Voxels are only ever added.
 */
import { fillBetweenSlices } from '../interpolate/fill-between-slices.ts';
import { segmentKey, segmentMembership } from './constraints.ts';
import type { SegmentRef } from './constraints.ts';
import { withBuilder } from './diff.ts';
import type { EditDiff } from './diff.ts';
import { checkTarget } from './tools.ts';
import type { EditTarget } from './tools.ts';

export interface SegmentFillBetweenSlicesOptions {
  segment: SegmentRef;
  /** Index axis the slices were painted across (default 2). */
  axis?: 0 | 1 | 2;
}

export async function fillBetweenSlicesForSegment(target: EditTarget, options: SegmentFillBetweenSlicesOptions): Promise<{ diff: EditDiff; slicesFilled: number[]; paintedSlices: number[] }> {
  checkTarget(target);
  const member = segmentMembership(options.segment);
  const lab = target.labelmap;
  const mask = new Uint8Array(lab.length);
  for (let v = 0; v < lab.length; v++) mask[v] = member[lab[v] as number] as number;
  const result = await fillBetweenSlices(mask, target.geometry, { label: 1, axis: options.axis ?? 2 });
  const filled = result.labelmap;
  // The labelmap may only be touched synchronously here (after the await) so the edit is atomic for the caller.
  const diff = withBuilder(
    lab,
    target.lockedLabels,
    'fill-between-slices',
    (b) => {
      const paint = b.table(options.segment, 'paint');
      for (let v = 0; v < filled.length; v++) if (filled[v] === 1 && mask[v] === 0) b.propose(paint, v);
    },
    segmentKey(options.segment),
  );
  return { diff, slicesFilled: result.slicesFilled, paintedSlices: result.paintedSlices };
}

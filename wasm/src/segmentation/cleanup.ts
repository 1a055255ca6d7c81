/**
 * Clean-up tools on one segment (membership: liver = {1, 2, 10+}, FLR = {2}, tumour t = {10+t}); every change goes
 * through the constraint rule (paint for voxels added, erase for voxels removed).
 *  - removeIslands: 6-connected 3D components; keep the largest, or the one containing a chosen voxel.
 *  - fillHoles: non-segment regions enclosed by the segment: 3D (6-connected, not connected to the outside of the
 *    segment's bounding box or to the edge of the volume), or per slice along an axis (4-connected in the slice).
 *  - smooth: morphological closing (fills gaps and notches narrower than the element) or opening (removes
 *    protrusions and bridges thinner than it) with an ellipsoid of radius radiusMm in physical space.
 */
import type { Vec3 } from '../geometry/types.ts';
import { segmentKey, segmentMembership } from './constraints.ts';
import type { SegmentRef } from './constraints.ts';
import { withBuilder } from './diff.ts';
import type { EditDiff } from './diff.ts';
import { lpsToContinuousIJK } from './grid-math.ts';
import { connectedComponents, dilate, ellipsoidOffsets, erode, expandBox, extractMembership, forEachInVolume, holesOf, membershipBox, offsetsHalfExtent } from './morphology.ts';
import type { LocalBox } from './morphology.ts';
import { checkTarget } from './tools.ts';
import type { EditTarget } from './tools.ts';

function emptyDiff(target: EditTarget, tool: EditDiff['tool'], segment: SegmentRef): EditDiff {
  return withBuilder(target.labelmap, target.lockedLabels, tool, () => undefined, segmentKey(segment));
}

/** Write a new mask of the segment on a box: voxels entering are painted, voxels leaving are erased. */
function commitMask(target: EditTarget, tool: EditDiff['tool'], segment: SegmentRef, box: LocalBox, before: Uint8Array, after: Uint8Array): EditDiff {
  return withBuilder(
    target.labelmap,
    target.lockedLabels,
    tool,
    (b) => {
      const paint = b.table(segment, 'paint');
      const erase = b.table(segment, 'erase');
      forEachInVolume(box, target.geometry.sizeIJK, (local, global) => {
        const was = before[local];
        const now = after[local];
        if (now === 1 && was === 0) b.propose(paint, global);
        else if (now === 0 && was === 1) b.propose(erase, global);
      });
    },
    segmentKey(segment),
  );
}

export interface RemoveIslandsOptions {
  segment: SegmentRef;
  /** Keep the largest component (default) or the component containing this point. */
  keep?: { kind: 'largest' } | { kind: 'containing'; pointLPS: Vec3 };
}

export function removeIslands(target: EditTarget, options: RemoveIslandsOptions): EditDiff {
  checkTarget(target);
  const { segment } = options;
  const membership = segmentMembership(segment);
  const size = target.geometry.sizeIJK;
  const bbox = membershipBox(target.labelmap, size, membership);
  if (!bbox) return emptyDiff(target, 'remove-islands', segment);
  const box = expandBox(bbox, [0, 0, 0]);
  const mask = extractMembership(target.labelmap, size, membership, box);
  const { ids, sizes } = connectedComponents(mask, box.size);
  let keepId = 0;
  const keep = options.keep ?? { kind: 'largest' };
  if (keep.kind === 'largest') {
    for (let id = 1; id < sizes.length; id++) if ((sizes[id] as number) > (sizes[keepId] as number)) keepId = id;
  } else {
    const c = lpsToContinuousIJK(target.geometry, keep.pointLPS).map(Math.round) as Vec3;
    if (c.some((x, a) => x < 0 || x >= size[a])) throw new Error(`remove islands: the chosen point lies outside the volume (index ${c.join(', ')})`);
    const local = c[0] - box.min[0] + box.size[0] * (c[1] - box.min[1] + box.size[1] * (c[2] - box.min[2]));
    const inBox = c.every((x, a) => x >= box.min[a] && x < box.min[a] + box.size[a]);
    keepId = inBox ? (ids[local] as number) : 0;
    if (keepId === 0) throw new Error(`remove islands: the chosen point (index ${c.join(', ')}) is not in segment ${segmentKey(segment)}`);
  }
  const after = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) if (ids[v] === keepId) after[v] = 1;
  return commitMask(target, 'remove-islands', segment, box, mask, after);
}

export interface FillHolesOptions {
  segment: SegmentRef;
  /** '3d' (default) or per slice across index axis `axis` (default 2, the acquisition slices). */
  mode?: '3d' | 'slice';
  axis?: 0 | 1 | 2;
}

export function fillHoles(target: EditTarget, options: FillHolesOptions): EditDiff {
  checkTarget(target);
  const { segment } = options;
  const membership = segmentMembership(segment);
  const size = target.geometry.sizeIJK;
  const bbox = membershipBox(target.labelmap, size, membership);
  if (!bbox) return emptyDiff(target, 'fill-holes', segment);
  const sliceAxis = options.mode === 'slice' ? (options.axis ?? 2) : null;
  const margin: Vec3 = [1, 1, 1];
  if (sliceAxis !== null) margin[sliceAxis] = 0;
  const box = expandBox(bbox, margin);
  const mask = extractMembership(target.labelmap, size, membership, box);
  const holes = holesOf(mask, box.size, sliceAxis);
  const after = mask.slice();
  for (let v = 0; v < after.length; v++) if (holes[v] === 1) after[v] = 1;
  return commitMask(target, 'fill-holes', segment, box, mask, after);
}

export interface SmoothOptions {
  segment: SegmentRef;
  /** 'closing' (default) or 'opening'. */
  method?: 'closing' | 'opening';
  radiusMm: number;
}

export function smoothSegment(target: EditTarget, options: SmoothOptions): EditDiff {
  checkTarget(target);
  const { segment } = options;
  const membership = segmentMembership(segment);
  const size = target.geometry.sizeIJK;
  const offsets = ellipsoidOffsets(target.geometry, options.radiusMm);
  const bbox = membershipBox(target.labelmap, size, membership);
  if (!bbox) return emptyDiff(target, 'smooth', segment);
  const half = offsetsHalfExtent(offsets);
  // Closing dilates first: the box needs room for the dilation plus an empty ring for the erosion.
  const box = expandBox(bbox, [2 * half[0] + 1, 2 * half[1] + 1, 2 * half[2] + 1]);
  const mask = extractMembership(target.labelmap, size, membership, box);
  const after =
    (options.method ?? 'closing') === 'closing' ? erode(dilate(mask, box.size, offsets), box.size, offsets) : dilate(erode(mask, box.size, offsets), box.size, offsets);
  return commitMask(target, 'smooth', segment, box, mask, after);
}

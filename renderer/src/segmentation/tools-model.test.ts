import { describe, expect, it } from 'vitest';
import { emptyReport } from '../../../wasm/src/segmentation/constraints.ts';
import { constraintNotice, densifyStroke, editCommandForKey, segmentLabel } from './tools-model.ts';

describe('tools model', () => {
  it('densifies a stroke so that dabs are at most one step apart, keeping the end points', () => {
    const out = densifyStroke([[0, 0, 0], [10, 0, 0], [10, 0, 0], [10, 3, 0]], 2);
    expect(out[0]).toEqual([0, 0, 0]);
    expect(out.at(-1)).toEqual([10, 3, 0]);
    for (let n = 1; n < out.length; n++) expect(Math.hypot(out[n]![0] - out[n - 1]![0], out[n]![1] - out[n - 1]![1])).toBeLessThanOrEqual(2 + 1e-9);
    expect(out).toHaveLength(1 + 5 + 2);
  });

  it('turns the constraint report into a visible notice', () => {
    expect(constraintNotice({ ...emptyReport(), clippedOutsideLiver: 12, blockedLocked: 1 })).toBe('FLR clipped to the liver: 12 voxels outside the liver not painted; 1 voxel of locked segments unchanged');
    expect(constraintNotice(emptyReport())).toBe('');
  });

  it('maps undo/redo keys', () => {
    const m = { ctrl: true, meta: false, shift: false, alt: false };
    expect(editCommandForKey('z', m)).toBe('undo');
    expect(editCommandForKey('Z', { ...m, shift: true })).toBe('redo');
    expect(editCommandForKey('y', m)).toBe('redo');
    expect(editCommandForKey('z', { ...m, ctrl: false })).toBeUndefined();
    expect(segmentLabel('tumour:0+flr', new Map([['tumour:0', 'Tumour 1'], ['flr', 'FLR']]))).toBe('Tumour 1 + FLR');
  });
});

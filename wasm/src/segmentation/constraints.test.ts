import { describe, expect, it } from 'vitest';
import { buildWriteTable, constrainVoxel, lockTable, parseSegmentKey, segmentKey } from './constraints.ts';
import type { EditOp, SegmentRef } from './constraints.ts';
import { EditBuilder } from './diff.ts';

const none = lockTable([]);
const liver: SegmentRef = { role: 'liver' };
const flr: SegmentRef = { role: 'flr' };
const t0: SegmentRef = { role: 'tumour', tumourIndex: 0 };
const t1: SegmentRef = { role: 'tumour', tumourIndex: 1 };

function after(current: number, segment: SegmentRef, op: EditOp, locks = none): number {
  return constrainVoxel(current, segment, op, locks).label;
}

describe('constraint rule', () => {
  it('paint liver writes 1 into background only', () => {
    expect([0, 1, 2, 10, 11].map((l) => after(l, liver, 'paint'))).toEqual([1, 1, 2, 10, 11]);
  });
  it('paint tumour takes background (joins the liver), parenchyma and FLR, but not another tumour', () => {
    expect([0, 1, 2, 10, 11].map((l) => after(l, t0, 'paint'))).toEqual([10, 10, 10, 10, 11]);
  });
  it('paint FLR writes 2 only over label 1 (clipped outside the liver and in tumours)', () => {
    expect([0, 1, 2, 10].map((l) => after(l, flr, 'paint'))).toEqual([0, 2, 2, 10]);
  });
  it('erase per segment: liver removes 1 and 2 (keeps tumours), FLR returns to 1, tumour returns to 1', () => {
    expect([0, 1, 2, 10].map((l) => after(l, liver, 'erase'))).toEqual([0, 0, 0, 10]);
    expect([0, 1, 2, 10].map((l) => after(l, flr, 'erase'))).toEqual([0, 1, 1, 10]);
    expect([0, 1, 2, 10, 11].map((l) => after(l, t1, 'erase'))).toEqual([0, 1, 2, 10, 1]);
  });
  it('locked segments are never modified nor written', () => {
    const lockLiver = lockTable(['liver']);
    expect(after(1, t0, 'paint', lockLiver)).toBe(1);
    expect(after(0, liver, 'paint', lockLiver)).toBe(0);
    expect(after(2, t0, 'paint', lockLiver)).toBe(10);
    const lockFlr = lockTable(['flr']);
    expect(after(2, liver, 'erase', lockFlr)).toBe(2);
    expect(after(1, flr, 'paint', lockFlr)).toBe(1);
    expect(after(10, t0, 'erase', lockTable(['tumour:0']))).toBe(10);
  });
  it('reserved labels are never changed', () => {
    for (const s of [liver, flr, t0]) for (const op of ['paint', 'erase'] as const) expect(after(5, s, op)).toBe(5);
  });
  it('the tabulated rule is idempotent (proposing a voxel twice changes it once)', () => {
    for (const s of [liver, flr, t0, t1]) {
      for (const op of ['paint', 'erase'] as const) {
        const t = buildWriteTable(s, op, none);
        for (let l = 0; l < 256; l++) expect(t.next[t.next[l] as number]).toBe(t.next[l]);
      }
    }
  });
  it('segment keys round-trip and bad keys are named', () => {
    for (const s of [liver, flr, t1]) expect(parseSegmentKey(segmentKey(s))).toEqual(s);
    expect(() => parseSegmentKey('spleen')).toThrow(/unknown segment "spleen"/);
  });
  it('the builder reports clipped, blocked and joined voxels', () => {
    const lab = Uint8Array.from([0, 1, 2, 10, 11, 1]);
    const b = new EditBuilder(lab, lockTable(['tumour:1']));
    const flrPaint = b.table(flr, 'paint');
    for (let v = 0; v < lab.length; v++) b.propose(flrPaint, v);
    const d = b.finish('brush');
    expect(Array.from(lab)).toEqual([0, 2, 2, 10, 11, 2]);
    expect(d.report).toMatchObject({ candidates: 6, changed: 2, clippedOutsideLiver: 1, clippedTumour: 2 });
    expect(Array.from(d.indices)).toEqual([1, 5]);
    const b2 = new EditBuilder(lab, lockTable(['tumour:1']));
    const tPaint = b2.table(t0, 'paint');
    for (let v = 0; v < lab.length; v++) b2.propose(tPaint, v);
    expect(b2.finish('brush').report).toMatchObject({ changed: 4, addedToLiver: 1, removedFromFlr: 3, blockedOtherTumour: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import {
  LABEL_FLR,
  LABEL_LIVER_NON_FLR,
  LABEL_TUMOUR_BASE,
  MAX_TUMOURS,
  describeLabel,
  isFlrLabel,
  isLiverLabel,
  isReservedLabel,
  isTlvMeasuredLabel,
  isTumourLabel,
  roleOfLabel,
  tumourIndexOfLabel,
  tumourLabel,
} from './roles.ts';

describe('role label semantics', () => {
  it('partitions 0..255 into background, liver non-FLR, FLR, reserved and tumours', () => {
    const liver: number[] = [];
    const tlv: number[] = [];
    const flr: number[] = [];
    const tumours: number[] = [];
    const reserved: number[] = [];
    for (let l = 0; l < 256; l++) {
      if (isLiverLabel(l)) liver.push(l);
      if (isTlvMeasuredLabel(l)) tlv.push(l);
      if (isFlrLabel(l)) flr.push(l);
      if (isTumourLabel(l)) tumours.push(l);
      if (isReservedLabel(l)) reserved.push(l);
    }
    expect(tlv).toEqual([1, 2]);
    expect(flr).toEqual([2]);
    expect(reserved).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(tumours).toHaveLength(246);
    expect(tumours[0]).toBe(10);
    expect(tumours.at(-1)).toBe(255);
    // liver = TLV measured + tumours, disjointly
    expect(liver).toEqual([...tlv, ...tumours]);
    expect(isLiverLabel(0)).toBe(false);
    expect(isTumourLabel(256)).toBe(false);
  });

  it('maps tumour indices to labels and back, rejecting out-of-range indices', () => {
    for (let t = 0; t < MAX_TUMOURS; t++) expect(tumourIndexOfLabel(tumourLabel(t))).toBe(t);
    expect(tumourLabel(0)).toBe(LABEL_TUMOUR_BASE);
    expect(tumourIndexOfLabel(LABEL_FLR)).toBe(-1);
    expect(() => tumourLabel(MAX_TUMOURS)).toThrow(/tumourIndex must be an integer in 0\.\.245, got 246/);
    expect(() => tumourLabel(-1)).toThrow(/tumourIndex/);
    expect(() => tumourLabel(1.5)).toThrow(/tumourIndex/);
  });

  it('names roles for people (tumours 1-based)', () => {
    expect(roleOfLabel(LABEL_LIVER_NON_FLR)).toBe('liver-non-flr');
    expect(roleOfLabel(5)).toBe('reserved');
    expect(describeLabel(12)).toBe('tumour 3');
    expect(describeLabel(2)).toBe('FLR');
    expect(() => roleOfLabel(300)).toThrow(/0\.\.255, got 300/);
  });
});

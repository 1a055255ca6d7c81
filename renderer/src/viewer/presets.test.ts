import { describe, expect, it } from 'vitest';
import { defaultPresetFor, percentileWindow, rangeToWindowLevel, windowLevelToRange, windowPresets } from './presets.ts';

describe('window presets', () => {
  it('abdomen preset maps to the HU range -160..240', () => {
    const abdomen = windowPresets.find((p) => p.id === 'abdomen');
    expect(abdomen?.windowLevel && windowLevelToRange(abdomen.windowLevel)).toEqual({ lower: -160, upper: 240 });
  });
  it('range and window/level round-trip', () => {
    expect(rangeToWindowLevel(-160, 240)).toEqual({ windowWidth: 400, windowCenter: 40 });
  });
  it('each preset has a distinct shortcut key', () => {
    expect(new Set(windowPresets.map((p) => p.key)).size).toBe(windowPresets.length);
  });
  it('CT defaults to abdomen, MR to automatic', () => {
    expect(defaultPresetFor('CT')).toBe('abdomen');
    expect(defaultPresetFor('MR')).toBe('auto');
  });
});

describe('percentileWindow', () => {
  it('ignores outliers beyond the 1st/99th percentiles', () => {
    const values = new Int16Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = i % 1000; // uniform 0..999
    values[0] = -30_000;
    values[1] = 30_000;
    const wl = percentileWindow(values);
    const { lower, upper } = windowLevelToRange(wl);
    expect(lower).toBeGreaterThan(-50);
    expect(lower).toBeLessThan(40);
    expect(upper).toBeGreaterThan(960);
    expect(upper).toBeLessThan(1050);
  });
  it('applies the modality rescale to stored values', () => {
    const values = new Uint16Array(1000).map((_, i) => i);
    const wl = percentileWindow(values, 0, 100, 1, 2, -1000);
    expect(wl.windowCenter).toBeCloseTo(0, -1);
    expect(wl.windowWidth).toBeCloseTo(2000, -2);
  });
});

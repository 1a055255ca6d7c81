import { describe, expect, it } from 'vitest';
import { directionLettersLPS, orientationMarkers } from './orientation.ts';

describe('orientationMarkers (LPS)', () => {
  it('axial radiological view: anterior up, patient right on screen left', () => {
    expect(orientationMarkers([0, -1, 0], [0, 0, -1])).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
  });
  it('coronal view: superior up, patient right on screen left', () => {
    expect(orientationMarkers([0, 0, 1], [0, -1, 0])).toEqual({ top: 'S', bottom: 'I', left: 'R', right: 'L' });
  });
  it('sagittal view: superior up, anterior on screen left', () => {
    expect(orientationMarkers([0, 0, 1], [1, 0, 0])).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
  });
  it('a flipped axial camera (viewed from below) swaps left and right', () => {
    expect(orientationMarkers([0, -1, 0], [0, 0, 1])).toEqual({ top: 'A', bottom: 'P', left: 'L', right: 'R' });
  });
});

describe('directionLettersLPS', () => {
  it('orders oblique components by magnitude and drops small ones', () => {
    expect(directionLettersLPS([0.8, -0.6, 0])).toBe('LA');
    expect(directionLettersLPS([-0.2, 0.1, -0.97])).toBe('I');
    expect(directionLettersLPS([0, 0, 0])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { createAppStore } from './store.ts';

describe('app store', () => {
  it('tracks a series load from start to finish, keeping per-file errors', () => {
    const store = createAppStore();
    store.getState().loadStarted('s1', 3);
    expect(store.getState().loadStatus).toBe('loading');
    store.getState().fileFailed({ file: '/a.dcm', message: 'decode failed' });
    store.getState().loadFinished({ sizeIJK: [2, 2, 2], spacingMm: [1, 1, 1], modality: 'CT', scalarType: 'int16', decoder: 'native', problems: [], notes: [] }, { firstImageMs: 10, fullVolumeMs: 30 });
    const s = store.getState();
    expect(s.loadStatus).toBe('ready');
    expect(s.fileErrors).toHaveLength(1);
    expect(s.timings.firstImageMs).toBe(10);
    expect(s.timings.fullVolumeMs).toBe(30);
  });
  it('records the first image while the load is still running', () => {
    const store = createAppStore();
    store.getState().loadStarted('s1', 600);
    store.getState().firstImageShown(120);
    expect(store.getState().loadStatus).toBe('loading');
    expect(store.getState().timings.firstImageMs).toBe(120);
  });
  it('a new load clears the previous errors', () => {
    const store = createAppStore();
    store.getState().fileFailed({ file: '/a.dcm', message: 'x' });
    store.getState().loadStarted('s2', 1);
    expect(store.getState().fileErrors).toEqual([]);
    expect(store.getState().progress?.totalFiles).toBe(1);
  });
});

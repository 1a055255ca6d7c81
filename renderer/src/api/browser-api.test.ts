import { describe, expect, it } from 'vitest';
import { buildFileUrl, tokenFromLocation } from './browser-api.ts';

describe('browser-mode api helpers', () => {
  it('reads the per-run token from the page query', () => {
    expect(tokenFromLocation('#token=abc123&x=1')).toBe('abc123');
    expect(tokenFromLocation('', '?token=q')).toBe('q');
    expect(tokenFromLocation('', '')).toBe('');
  });
  it('encodes paths with spaces and non-ASCII characters into the file URL', () => {
    const url = new URL(buildFileUrl('http://127.0.0.1:4567', '/data/Études/a b#1.dcm'));
    expect(url.host).toBe('127.0.0.1:4567');
    expect(url.pathname).toBe('/api/file');
    expect(url.searchParams.get('path')).toBe('/data/Études/a b#1.dcm');
  });
});

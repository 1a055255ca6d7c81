import { describe, expect, it } from 'vitest';
import { uidFromParts } from './uid.ts';

describe('uidFromParts', () => {
  it('gives valid, deterministic, distinct 2.25 UUID-derived UIDs', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 2000; k++) {
      const uid = uidFromParts('series', k);
      expect(uid).toBe(uidFromParts('series', k));
      expect(uid).toMatch(/^2\.25\.[1-9][0-9]{0,38}$/);
      expect(uid.length).toBeLessThanOrEqual(64);
      const n = BigInt(uid.slice(5));
      expect(n < 1n << 128n).toBe(true);
      expect(Number((n >> 76n) & 0xfn)).toBe(8); // UUID version nibble
      expect(Number((n >> 62n) & 0x3n)).toBe(2); // RFC 4122 variant
      seen.add(uid);
    }
    expect(seen.size).toBe(2000);
    expect(uidFromParts('a', 'b')).not.toBe(uidFromParts('a', 'c'));
  });
});
